#include "hf_loader.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "error.h"
#include "families.h"
#include "finite_check.h"
#include "regular_file.h"
#include "seq2seq_loader.h"
#include "tokenizer_spm.h"
#include "vocabulary_check.h"
#include "weight_binding.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& path) {
  return read_regular_file(path);
}

json read_config(const fs::path& folder) {
  const fs::path path = folder / "config.json";
  if (!entry_exists(path)) throw Error(ErrorKind::NotFound, folder.string() + ": no config.json (is this a Hugging Face model folder?)");
  json config = json::parse(read_text(path), nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) throw Error(path.string() + ": not valid JSON");
  if (!config.is_object()) throw Error(path.string() + ": expected a JSON object");
  return config;
}

bool is_bare_encoder(const json& config) {
  auto it = config.find("architectures");
  if (it == config.end() || !it->is_array()) return false;
  for (const auto& a : *it)
    if (a.is_string() && (a == "BertModel" || a == "DistilBertModel")) return true;
  return false;
}

// Resolves role names against one checkpoint and collects the weights, keeping
// every mapping or converted copy alive in the model's storage.
class WeightBinder {
 public:
  WeightBinder(const TensorStore& store, Model& model, const TensorNameTable& names, WeightScan& scan)
      : store_(store), model_(model), names_(names), scan_(scan) {
    for (const auto& prefix : names.prefixes) {
      prefix_ = prefix;
      if (store.contains(resolve(names.token_embedding, -1) + ".weight")) return;
    }
    throw Error("tensor '" + names.prefixes.front() + names.token_embedding.substr(1) +
                ".weight' is missing (no token embedding under any known prefix)");
  }

  std::string resolve(const std::string& role, int layer) const { return tensor_name(role, layer, prefix_); }

  bool has(const std::string& role, int layer, const char* suffix = ".weight") const {
    return !role.empty() && store_.contains(resolve(role, layer) + suffix);
  }

  const float* tensor(const std::string& name, std::initializer_list<std::int64_t> shape) {
    return bind_weight(store_, model_, scan_, name, shape);
  }

  // Old BERT checkpoints name LayerNorm parameters gamma/beta.
  Norm norm(const std::string& role, int layer, int dim, bool with_bias) {
    const std::string base = resolve(role, layer);
    Norm n;
    n.weight = tensor(store_.contains(base + ".weight") || !store_.contains(base + ".gamma") ? base + ".weight" : base + ".gamma",
                      {dim});
    if (with_bias)
      n.bias = tensor(store_.contains(base + ".bias") || !store_.contains(base + ".beta") ? base + ".bias" : base + ".beta", {dim});
    return n;
  }

  Linear linear(const std::string& role, int layer, int in, int out, bool with_bias) {
    const std::string base = resolve(role, layer);
    Linear l;
    l.in = in;
    l.out = out;
    l.in_out = names_.conv1d;
    l.stride = names_.conv1d ? out : in;
    l.w = names_.conv1d ? tensor(base + ".weight", {in, out}) : tensor(base + ".weight", {out, in});
    if (with_bias) l.b = tensor(base + ".bias", {out});
    return l;
  }

  // GPT-2's c_attn holds [q | k | v] side by side in one Conv1D [D, 3D]; each
  // part becomes a strided view.
  void fused_qkv(int layer, int dim, LayerWeights& lw) {
    const std::string base = resolve(names_.wqkv_fused, layer);
    const float* w = tensor(base + ".weight", {dim, 3 * dim});
    const float* b = tensor(base + ".bias", {3 * dim});
    Linear* parts[3] = {&lw.wq, &lw.wk, &lw.wv};
    for (int p = 0; p < 3; ++p) {
      Linear& l = *parts[p];
      l.in = dim;
      l.out = dim;
      l.in_out = true;
      l.stride = 3 * dim;
      l.w = w + p * dim;
      l.b = b + p * dim;
    }
  }

 private:
  const TensorStore& store_;
  Model& model_;
  const TensorNameTable& names_;
  WeightScan& scan_;
  std::string prefix_;
};

int position_rows(const ModelConfig& c) { return c.positions_after_pad ? c.max_positions + c.pad_token_id + 1 : c.max_positions; }

// The config's layer count is checked against the tensors present before
// anything is sized by it, so an absurd count is a named error at once.
void check_layer_count(const WeightBinder& bind, const TensorNameTable& names, Model& model) {
  const int configured = model.config.n_layers;
  int present = 0;
  while (bind.has(names.wo, present)) ++present;
  if (configured > present)
    throw Error(ErrorKind::OutOfRange, "config.json sets " + std::to_string(configured) +
                                           " layers but the checkpoint holds " + std::to_string(present) + " (no tensor '" +
                                           bind.resolve(names.wo, present) + ".weight')");
  if (configured < present)
    model.warnings.push_back("the checkpoint holds " + std::to_string(present) + " layers; config.json uses only the first " +
                             std::to_string(configured));
}

void bind_weights(const TensorStore& store, Model& model, const TensorNameTable& names, bool tie_lm_head,
                  WeightScan& scan) {
  const ModelConfig& c = model.config;
  const bool biases = c.family != Family::Llama;
  const bool layer_norm = c.norm == NormKind::LayerNorm;
  const int D = c.dim, F = c.ffn_dim, V = c.vocab_size, qd = c.n_heads * c.head_dim, kvd = c.n_kv_heads * c.head_dim;
  WeightBinder bind(store, model, names, scan);
  ModelWeights& w = model.weights;
  check_layer_count(bind, names, model);

  w.token_embedding = bind.tensor(bind.resolve(names.token_embedding, -1) + ".weight", {V, D});
  if (!names.position_embedding.empty())
    w.position_embedding = bind.tensor(bind.resolve(names.position_embedding, -1) + ".weight", {position_rows(c), D});
  if (!names.token_type_embedding.empty() && c.n_token_types > 0)
    w.token_type_embedding = bind.tensor(bind.resolve(names.token_type_embedding, -1) + ".weight", {c.n_token_types, D});
  if (!names.embedding_norm.empty()) w.embedding_norm = bind.norm(names.embedding_norm, -1, D, true);

  w.layers.resize(static_cast<size_t>(c.n_layers));
  for (int i = 0; i < c.n_layers; ++i) {
    LayerWeights& lw = w.layers[static_cast<size_t>(i)];
    lw.attn_norm = bind.norm(names.attn_norm, i, D, layer_norm);
    if (!names.wqkv_fused.empty()) {
      bind.fused_qkv(i, D, lw);
    } else {
      lw.wq = bind.linear(names.wq, i, D, qd, biases);
      lw.wk = bind.linear(names.wk, i, D, kvd, biases);
      lw.wv = bind.linear(names.wv, i, D, kvd, biases);
    }
    lw.wo = bind.linear(names.wo, i, qd, D, biases);
    lw.ffn_norm = bind.norm(names.ffn_norm, i, D, layer_norm);
    lw.ffn_up = bind.linear(names.ffn_up, i, D, F, biases);
    if (!names.ffn_gate.empty()) lw.ffn_gate = bind.linear(names.ffn_gate, i, D, F, biases);
    lw.ffn_down = bind.linear(names.ffn_down, i, F, D, biases);
  }
  if (!names.final_norm.empty()) w.final_norm = bind.norm(names.final_norm, -1, D, layer_norm);

  if (!c.has_lm_head) return;
  if (!names.mlm_transform.empty()) {
    w.mlm_transform = bind.linear(names.mlm_transform, -1, D, D, true);
    w.mlm_norm = bind.norm(names.mlm_norm, -1, D, true);
  }
  // A stored decoder/lm_head wins; otherwise the head is tied to the embeddings.
  if (bind.has(names.lm_head, -1))
    w.lm_head = bind.tensor(names.lm_head + ".weight", {V, D});
  else if (tie_lm_head)
    w.lm_head = w.token_embedding;
  else
    w.lm_head = bind.tensor(names.lm_head + ".weight", {V, D});  // reports it missing
  if (!names.lm_head_bias.empty()) {
    if (store.contains(names.lm_head_bias))
      w.lm_head_bias = bind.tensor(names.lm_head_bias, {V});
    else if (store.contains(names.lm_head + ".bias"))
      w.lm_head_bias = bind.tensor(names.lm_head + ".bias", {V});
    else
      w.lm_head_bias = bind.tensor(names.lm_head_bias, {V});  // reports it missing
  }
}

std::unique_ptr<Tokenizer> load_hf_tokenizer(const fs::path& folder, Family family) {
  switch (family) {
    case Family::Gpt2: return load_gpt2_bpe(folder);
    case Family::Bert:
    case Family::DistilBert: return load_wordpiece(folder);
    case Family::Roberta: return load_roberta_bpe(folder);
    case Family::Marian:
    case Family::T5: break;
    case Family::Llama:
      if (entry_exists(folder / "tokenizer.json")) return make_tokenizer_from_json(read_text(folder / "tokenizer.json"), true);
      if (entry_exists(folder / "vocab.json")) return load_gpt2_bpe(folder);
      if (entry_exists(folder / "tokenizer.model")) return load_llama_sentencepiece(folder / "tokenizer.model", true);
      throw Error(ErrorKind::NotFound, folder.string() + ": no tokenizer.json, vocab.json + merges.txt or tokenizer.model");
  }
  throw Error("unknown family");
}

}  // namespace

std::shared_ptr<Model> load_hf_folder(const fs::path& folder) {
  auto model = std::make_shared<Model>();
  model->source = folder;
  const json config = read_config(folder);
  std::string type;
  bool tie = true;
  const FamilyInfo* family = nullptr;
  try {
    type = config_model_type(config);
    family = find_family(type);
    if (family) tie = tie_word_embeddings(config, family->family);
  } catch (const Error& e) {
    rethrow_with_context(folder.string(), e);
  }
  if (is_seq2seq_model_type(type)) return load_seq2seq_folder(folder, config);
  if (!family)
    throw Error((folder / "config.json").string() + ": unknown model_type '" + type + "' (supported: " +
                supported_model_types() + ")");
  try {
    model->config = family->read_config(config);
  } catch (const Error& e) {
    rethrow_with_context(folder.string() + ": error loading model hyperparameters", e);
  }
  model->config.has_lm_head = !is_bare_encoder(config);
  try {
    TensorStore store = TensorStore::open_folder(folder);
    WeightScan scan;
    bind_weights(store, *model, family->names, tie, scan);
    for (std::string& warning : scan.warnings(folder.string())) model->warnings.push_back(std::move(warning));
  } catch (const Error& e) {
    rethrow_with_context(folder.string() + ": error loading model weights", e);
  }
  try {
    model->tokenizer = load_hf_tokenizer(folder, model->config.family);
  } catch (const Error& e) {
    rethrow_with_context("error loading tokenizer", e);
  }
  check_vocabulary_size(folder.string(), *model->tokenizer, model->config.vocab_size, &model->warnings);
  // A bad presets file must not cost the user the model: it is reported instead.
  try {
    model->presets = read_head_presets(folder, model->config.n_layers, model->config.n_heads, &model->warnings);
  } catch (const Error& e) {
    model->presets_problem = e.what();
  }
  return model;
}

}  // namespace attnscope
