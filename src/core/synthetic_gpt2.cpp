#include "core/synthetic_gpt2.h"

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/families.h"
#include "core/safetensors_writer.h"
#include "core/synthetic_weights.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  write_file_atomically(path, text, Overwrite::Refuse);
}

std::string utf8(unsigned cp) {  // code points < 0x800 only: all byte symbols are
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest
// become U+0100.. in byte order. Id i is the i-th symbol of that list, which
// puts "Ġ" (space) at 220 as in the real vocabulary.
std::vector<unsigned> byte_symbols() {
  std::vector<unsigned> printable, symbols;
  std::vector<bool> is_printable(256, false);
  for (unsigned b = 0; b < 256; ++b)
    if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) is_printable[b] = true;
  for (unsigned b = 0; b < 256; ++b)
    if (is_printable[b]) symbols.push_back(b);
  unsigned n = 0;
  for (unsigned b = 0; b < 256; ++b)
    if (!is_printable[b]) symbols.push_back(256 + n++);
  return symbols;
}

// The 256 byte symbols, ASCII filler pieces up to V - 1, and <|endoftext|> last.
// No merges: every input byte becomes its own token, which is all a benchmark
// that feeds token ids needs.
void write_tokenizer(const fs::path& folder, int vocab_size) {
  nlohmann::json vocab = nlohmann::json::object();
  const std::vector<unsigned> symbols = byte_symbols();
  for (size_t id = 0; id < symbols.size(); ++id) vocab[utf8(symbols[id])] = id;
  for (int id = 256; id < vocab_size - 1; ++id) vocab["filler" + std::to_string(id)] = id;
  vocab["<|endoftext|>"] = vocab_size - 1;
  write_text(folder / "vocab.json", vocab.dump());
  write_text(folder / "merges.txt", "#version: 0.2\n");
}

void write_config(const fs::path& folder, const Gpt2Shape& s) {
  nlohmann::json config = {
      {"model_type", "gpt2"},
      {"architectures", {"GPT2LMHeadModel"}},
      {"n_layer", s.n_layers},
      {"n_head", s.n_heads},
      {"n_embd", s.dim},
      {"vocab_size", s.vocab_size},
      {"n_positions", s.positions},
      {"n_ctx", s.positions},
      {"layer_norm_epsilon", 1e-5},
      {"activation_function", "gelu_new"},
      {"bos_token_id", s.vocab_size - 1},
      {"eos_token_id", s.vocab_size - 1},
  };
  write_text(folder / "config.json", config.dump(2));
}

}  // namespace

void write_synthetic_gpt2(const fs::path& folder, const Gpt2Shape& s, std::uint64_t seed) {
  fs::create_directories(folder);
  FastUniform rng(seed);
  const std::int64_t D = s.dim, F = 4 * s.dim;
  const TensorNameTable& names = tensor_names(Family::Gpt2);
  // The original gpt2 checkpoints' names: no "transformer." prefix.
  const auto name = [&](const std::string& role, int layer, const char* suffix) {
    return tensor_name(role, layer, "") + suffix;
  };
  std::vector<NamedTensor> tensors;
  tensors.push_back(random_tensor(name(names.token_embedding, -1, ".weight"), {s.vocab_size, D}, rng));  // [V, D]
  tensors.push_back(random_tensor(name(names.position_embedding, -1, ".weight"), {s.positions, D}, rng));  // [P, D]
  for (int i = 0; i < s.n_layers; ++i) {
    tensors.push_back(constant_tensor(name(names.attn_norm, i, ".weight"), D, 1.0f));
    tensors.push_back(constant_tensor(name(names.attn_norm, i, ".bias"), D, 0.0f));
    tensors.push_back(random_tensor(name(names.wqkv_fused, i, ".weight"), {D, 3 * D}, rng));  // [D, 3D] = [q | k | v]
    tensors.push_back(random_tensor(name(names.wqkv_fused, i, ".bias"), {3 * D}, rng));
    tensors.push_back(random_tensor(name(names.wo, i, ".weight"), {D, D}, rng));  // [D, D]
    tensors.push_back(random_tensor(name(names.wo, i, ".bias"), {D}, rng));
    tensors.push_back(constant_tensor(name(names.ffn_norm, i, ".weight"), D, 1.0f));
    tensors.push_back(constant_tensor(name(names.ffn_norm, i, ".bias"), D, 0.0f));
    tensors.push_back(random_tensor(name(names.ffn_up, i, ".weight"), {D, F}, rng));  // [D, F]
    tensors.push_back(random_tensor(name(names.ffn_up, i, ".bias"), {F}, rng));
    tensors.push_back(random_tensor(name(names.ffn_down, i, ".weight"), {F, D}, rng));  // [F, D]
    tensors.push_back(random_tensor(name(names.ffn_down, i, ".bias"), {D}, rng));
  }
  tensors.push_back(constant_tensor(name(names.final_norm, -1, ".weight"), D, 1.0f));
  tensors.push_back(constant_tensor(name(names.final_norm, -1, ".bias"), D, 0.0f));
  write_safetensors(folder / "model.safetensors", tensors, {{"format", "pt"}});
  write_config(folder, s);
  write_tokenizer(folder, s.vocab_size);
}

}  // namespace attnscope
