// Loads a llama2.c legacy checkpoint into a Model whose weights point straight
// into the memory-mapped file, the way run.c's memory_map_weights does.
#include "llama2c_checkpoint.h"

#include <cstring>
#include <limits>
#include <system_error>
#include <vector>

#include "error.h"
#include "finite_check.h"
#include "mapped_file.h"
#include "tokenizer_sentencepiece.h"

namespace attnscope {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeaderBytes = 7 * sizeof(std::int32_t);
constexpr std::uint32_t kVersionedMagic = 0x616b3432;  // "ak42": llama2.c's newer export versions

struct TensorPlan {
  const char* name;
  std::string shape;    // "[5][64][64]"
  std::uint64_t count;  // float32 values
};

std::uint64_t checked_product(std::initializer_list<std::uint64_t> factors, const std::string& source,
                              const char* name) {
  std::uint64_t product = 1;
  for (std::uint64_t f : factors) {
    if (f != 0 && product > std::numeric_limits<std::uint64_t>::max() / f)
      throw Error(source + ": tensor " + name + " is too large (size overflows 64 bits); the header is corrupt");
    product *= f;
  }
  return product;
}

// Every tensor in file order, with the shape the header implies.
std::vector<TensorPlan> tensor_plan(const Llama2cHeader& h, const std::string& source) {
  const std::uint64_t D = h.dim, F = h.hidden_dim, L = h.n_layers, V = h.vocab_size, P = h.seq_len;
  const std::uint64_t Dh = D / h.n_heads, kv_dim = Dh * h.n_kv_heads;
  auto shape = [](std::initializer_list<std::uint64_t> dims) {
    std::string s;
    for (std::uint64_t d : dims) {
      s += '[';
      s += std::to_string(d);
      s += ']';
    }
    return s;
  };
  auto tensor = [&](const char* name, std::initializer_list<std::uint64_t> dims) {
    return TensorPlan{name, shape(dims), checked_product(dims, source, name)};
  };
  std::vector<TensorPlan> plan = {
      tensor("token_embedding", {V, D}), tensor("rms_att", {L, D}),     tensor("wq", {L, D, D}),
      tensor("wk", {L, kv_dim, D}),      tensor("wv", {L, kv_dim, D}),  tensor("wo", {L, D, D}),
      tensor("rms_ffn", {L, D}),         tensor("w1", {L, F, D}),       tensor("w2", {L, D, F}),
      tensor("w3", {L, F, D}),           tensor("rms_final", {D}),      tensor("freq_cis_real", {P, Dh / 2}),
      tensor("freq_cis_imag", {P, Dh / 2}),
  };
  if (!h.shared_classifier) plan.push_back(tensor("wcls", {V, D}));
  return plan;
}

std::uint64_t tensor_end(std::uint64_t offset, const TensorPlan& t, const std::string& source) {
  std::uint64_t bytes = checked_product({t.count, sizeof(float)}, source, t.name);
  if (bytes > std::numeric_limits<std::uint64_t>::max() - offset)
    throw Error(source + ": tensor " + std::string(t.name) + " ends past 2^64 bytes; the header is corrupt");
  return offset + bytes;
}

// tok<V>.bin first (llama2.c's naming for custom vocabularies), then
// tokenizer.bin, then a lone tok*.bin.
fs::path find_tokenizer(const fs::path& checkpoint, int vocab_size) {
  const fs::path dir = checkpoint.parent_path().empty() ? fs::path(".") : checkpoint.parent_path();
  std::error_code ec;
  for (const char* name : {"", "tokenizer.bin"}) {
    fs::path candidate = dir / (*name ? std::string(name) : "tok" + std::to_string(vocab_size) + ".bin");
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  std::vector<fs::path> found;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".bin" && p.filename().string().rfind("tok", 0) == 0 && it->is_regular_file(ec))
      found.push_back(p);
  }
  if (found.size() == 1) return found[0];
  throw Error(checkpoint.string() + ": no tokenizer next to the checkpoint (expected tok" + std::to_string(vocab_size) +
              ".bin or tokenizer.bin in " + dir.string() + (found.empty() ? "" : ", found several tok*.bin") + ")");
}

Linear linear(const float* w, int in, int out) { return Linear{w, nullptr, in, out, in, false}; }

}  // namespace

Llama2cHeader read_llama2c_header(std::span<const std::uint8_t> bytes, const std::string& source) {
  if (bytes.size() < kHeaderBytes)
    throw Error(source + ": too short for the 28-byte llama2.c header (" + std::to_string(bytes.size()) + " bytes)");
  std::int32_t v[7];
  std::memcpy(v, bytes.data(), kHeaderBytes);
  if (static_cast<std::uint32_t>(v[0]) == kVersionedMagic)
    throw Error(source + ": a versioned llama2.c export (magic \"ak42\"); only the legacy format is supported, "
                         "re-export with --version 0");
  const char* names[7] = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
  for (int i = 0; i < 7; i++) {
    bool ok = i == 5 ? v[i] != 0 && v[i] != std::numeric_limits<std::int32_t>::min() : v[i] > 0;
    if (!ok)
      throw Error(source + ": header field " + names[i] + " is " + std::to_string(v[i]) +
                  (i == 5 ? ", expected non-zero (negative = unshared classifier)" : ", expected > 0"));
  }
  Llama2cHeader h;
  h.dim = v[0];
  h.hidden_dim = v[1];
  h.n_layers = v[2];
  h.n_heads = v[3];
  h.n_kv_heads = v[4];
  h.shared_classifier = v[5] > 0;
  h.vocab_size = v[5] > 0 ? v[5] : -v[5];
  h.seq_len = v[6];
  if (h.dim % h.n_heads != 0)
    throw Error(source + ": header dim " + std::to_string(h.dim) + " is not a multiple of n_heads " +
                std::to_string(h.n_heads));
  if (h.n_heads % h.n_kv_heads != 0)
    throw Error(source + ": header n_heads " + std::to_string(h.n_heads) + " is not a multiple of n_kv_heads " +
                std::to_string(h.n_kv_heads));
  if ((h.dim / h.n_heads) % 2 != 0)
    throw Error(source + ": head dim " + std::to_string(h.dim / h.n_heads) + " (dim / n_heads) is odd; RoPE needs pairs");
  return h;
}

std::uint64_t llama2c_file_size(const Llama2cHeader& header, const std::string& source) {
  std::uint64_t offset = kHeaderBytes;
  for (const TensorPlan& t : tensor_plan(header, source)) offset = tensor_end(offset, t, source);
  return offset;
}

std::shared_ptr<Model> load_llama2c(const fs::path& checkpoint) {
  const std::string source = checkpoint.string();
  auto file = std::make_shared<MappedFile>(MappedFile::open(checkpoint));
  const std::span<const std::uint8_t> bytes = file->bytes();
  const Llama2cHeader h = read_llama2c_header(bytes, source);

  // Locate every tensor, stopping at the first one the file is too short for.
  const std::vector<TensorPlan> plan = tensor_plan(h, source);
  const std::uint64_t expected = llama2c_file_size(h, source);
  std::vector<const float*> data;  // [tensor] start of each tensor in `plan`
  std::uint64_t offset = kHeaderBytes;
  for (const TensorPlan& t : plan) {
    std::uint64_t end = tensor_end(offset, t, source);
    if (end > bytes.size())
      throw Error(source + ": tensor " + t.name + " " + t.shape + " runs past the end of the file: needs bytes " +
                  std::to_string(offset) + ".." + std::to_string(end) + ", file has " + std::to_string(bytes.size()) +
                  " (expected size " + std::to_string(expected) + ")");
    data.push_back(reinterpret_cast<const float*>(bytes.data() + offset));
    offset = end;
  }
  if (bytes.size() != expected)
    throw Error(source + ": file has " + std::to_string(bytes.size()) + " bytes, the header implies exactly " +
                std::to_string(expected) + " (" + std::to_string(bytes.size() - expected) +
                " extra); a negative vocab_size marks an unshared classifier");

  auto model = std::make_shared<Model>();
  ModelConfig& c = model->config;
  c.family = Family::Llama;
  c.model_type = "llama2c";
  c.n_layers = h.n_layers;
  c.n_heads = h.n_heads;
  c.n_kv_heads = h.n_kv_heads;
  c.dim = h.dim;
  c.head_dim = h.dim / h.n_heads;
  c.ffn_dim = h.hidden_dim;
  c.vocab_size = h.vocab_size;
  c.max_positions = h.seq_len;
  c.norm_eps = 1e-5f;
  c.rope_theta = 10000.0f;
  c.norm = NormKind::RmsNorm;
  c.activation = Activation::SwiGlu;
  c.rope = RopeStyle::Interleaved;
  c.pre_norm = true;
  c.causal = true;

  enum { kEmb, kRmsAtt, kWq, kWk, kWv, kWo, kRmsFfn, kW1, kW2, kW3, kRmsFinal, kFreqReal, kFreqImag, kWcls };
  WeightScan scan;
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (i != kFreqReal && i != kFreqImag)  // unused: the forward pass computes its own RoPE tables
      scan.scan(plan[i].name, data[i], static_cast<std::size_t>(plan[i].count));
  model->warnings = scan.warnings(source);
  const std::int64_t D = h.dim, F = h.hidden_dim, kv_dim = static_cast<std::int64_t>(c.head_dim) * h.n_kv_heads;
  ModelWeights& w = model->weights;
  w.token_embedding = data[kEmb];
  for (std::int64_t l = 0; l < h.n_layers; l++) {
    LayerWeights layer;
    layer.attn_norm.weight = data[kRmsAtt] + l * D;
    layer.wq = linear(data[kWq] + l * D * D, h.dim, h.dim);
    layer.wk = linear(data[kWk] + l * kv_dim * D, h.dim, static_cast<int>(kv_dim));
    layer.wv = linear(data[kWv] + l * kv_dim * D, h.dim, static_cast<int>(kv_dim));
    layer.wo = linear(data[kWo] + l * D * D, h.dim, h.dim);
    layer.ffn_norm.weight = data[kRmsFfn] + l * D;
    layer.ffn_gate = linear(data[kW1] + l * F * D, h.dim, h.hidden_dim);    // w1
    layer.ffn_down = linear(data[kW2] + l * D * F, h.hidden_dim, h.dim);    // w2
    layer.ffn_up = linear(data[kW3] + l * F * D, h.dim, h.hidden_dim);      // w3
    w.layers.push_back(layer);
  }
  w.final_norm.weight = data[kRmsFinal];
  // The stored RoPE tables are unused: the forward pass computes the same
  // frequencies, as run.c does.
  w.lm_head = h.shared_classifier ? data[kEmb] : data[kWcls];

  const fs::path tokenizer_path = find_tokenizer(checkpoint, h.vocab_size);
  {
    MappedFile tok = MappedFile::open(tokenizer_path);
    std::string_view tok_bytes(reinterpret_cast<const char*>(tok.bytes().data()), tok.bytes().size());
    // add_bos: run.c encodes prompts with BOS first.
    model->tokenizer = make_llama2c_tokenizer_named(tok_bytes, h.vocab_size, /*add_bos=*/true, tokenizer_path.string());
  }
  model->source = checkpoint;
  model->storage.push_back(std::shared_ptr<const void>(file));
  return model;
}

std::optional<fs::path> find_llama2c_checkpoint(const fs::path& folder) {
  std::error_code ec;
  std::optional<fs::path> found;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() != ".bin" || p.filename().string().rfind("tok", 0) == 0 || !it->is_regular_file(ec)) continue;
    if (found) return std::nullopt;
    found = p;
  }
  return ec ? std::nullopt : found;
}

}  // namespace attnscope
