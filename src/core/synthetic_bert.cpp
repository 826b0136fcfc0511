#include "core/synthetic_bert.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/families.h"
#include "core/synthetic_weights.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

// [PAD] [UNK] [CLS] [SEP] [MASK], every printable ASCII character alone and
// as a ##continuation, then filler pieces up to V.
std::string vocab_text(int vocab_size) {
  std::vector<std::string> pieces = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (char c = '!'; c <= '~'; ++c) pieces.emplace_back(1, c);
  for (char c = '!'; c <= '~'; ++c) pieces.push_back("##" + std::string(1, c));
  if (static_cast<int>(pieces.size()) > vocab_size) throw Error("synthetic BERT: a vocabulary needs at least " + std::to_string(pieces.size()) + " entries");
  for (int id = static_cast<int>(pieces.size()); id < vocab_size; ++id) pieces.push_back("filler" + std::to_string(id));
  std::string text;
  for (const std::string& p : pieces) text += p + "\n";
  return text;
}

nlohmann::json config_of(const BertShape& s) {
  return {{"model_type", "bert"},           {"architectures", {"BertForMaskedLM"}},
          {"num_hidden_layers", s.n_layers}, {"num_attention_heads", s.n_heads},
          {"hidden_size", s.dim},            {"intermediate_size", s.ffn_dim},
          {"vocab_size", s.vocab_size},      {"max_position_embeddings", s.positions},
          {"type_vocab_size", 2},            {"layer_norm_eps", 1e-12},
          {"hidden_act", "gelu"},            {"pad_token_id", 0}};
}

}  // namespace

void write_synthetic_bert(const fs::path& folder, const BertShape& s, std::uint64_t seed) {
  fs::create_directories(folder);
  FastUniform rng(seed);
  const std::int64_t D = s.dim, F = s.ffn_dim;
  const TensorNameTable& names = tensor_names(Family::Bert);
  const auto name = [](const std::string& role, int layer, const char* suffix) { return tensor_name(role, layer, "bert.") + suffix; };
  std::vector<NamedTensor> t;
  const auto norm = [&](const std::string& role, int layer) {
    t.push_back(constant_tensor(name(role, layer, ".weight"), D, 1.0f));
    t.push_back(constant_tensor(name(role, layer, ".bias"), D, 0.0f));
  };
  // HF Linear weights are [out, in].
  const auto linear = [&](const std::string& role, int layer, std::int64_t out, std::int64_t in) {
    t.push_back(random_tensor(name(role, layer, ".weight"), {out, in}, rng));
    t.push_back(random_tensor(name(role, layer, ".bias"), {out}, rng));
  };
  t.push_back(random_tensor(name(names.token_embedding, -1, ".weight"), {s.vocab_size, D}, rng));      // [V, D]
  t.push_back(random_tensor(name(names.position_embedding, -1, ".weight"), {s.positions, D}, rng));    // [P, D]
  t.push_back(random_tensor(name(names.token_type_embedding, -1, ".weight"), {2, D}, rng));            // [2, D]
  norm(names.embedding_norm, -1);
  for (int i = 0; i < s.n_layers; ++i) {
    for (const std::string* role : {&names.wq, &names.wk, &names.wv, &names.wo}) linear(*role, i, D, D);  // [D, D]
    norm(names.attn_norm, i);
    linear(names.ffn_up, i, F, D);    // [F, D]
    linear(names.ffn_down, i, D, F);  // [D, F]
    norm(names.ffn_norm, i);
  }
  linear(names.mlm_transform, -1, D, D);
  norm(names.mlm_norm, -1);
  t.push_back(constant_tensor(names.lm_head_bias, s.vocab_size, 0.0f));  // [V]
  write_safetensors(folder / "model.safetensors", t, {{"format", "pt"}});
  write_file_atomically(folder / "config.json", config_of(s).dump(2), Overwrite::Refuse);
  write_file_atomically(folder / "vocab.txt", vocab_text(s.vocab_size), Overwrite::Refuse);
}

}  // namespace attnscope
