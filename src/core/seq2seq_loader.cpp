// Loads a Marian or T5 folder: the encoder into the Model's own config and
// weights, the decoder into Model::encoder_decoder, through the family's
// tensor-name table. Every tensor's shape is checked; errors name the file
// and the tensor. As for the other loaders, every weight is scanned for
// NaN/Inf and the tokenizers are checked against vocab_size; what is suspect
// but usable becomes a Model::warnings entry.
#include "seq2seq_loader.h"

#include "error.h"
#include "head_presets.h"
#include "families.h"
#include "families_seq2seq.h"
#include "finite_check.h"
#include "regular_file.h"
#include "tokenizer_spm.h"
#include "vocabulary_check.h"
#include "weight_binding.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

class Seq2SeqBinder {
 public:
  Seq2SeqBinder(const TensorStore& store, Model& model, bool biases, WeightScan& scan)
      : store_(store), model_(model), biases_(biases), scan_(scan) {}

  static std::string at_layer(const std::string& role, int layer) { return tensor_name(role, layer, ""); }

  const float* tensor(const std::string& name, std::initializer_list<std::int64_t> shape) {
    return bind_weight(store_, model_, scan_, name, shape);
  }

  Norm norm(const std::string& role, int layer, int dim) {
    if (role.empty()) return {};
    const std::string base = at_layer(role, layer);
    Norm n;
    n.weight = tensor(base + ".weight", {dim});
    if (biases_) n.bias = tensor(base + ".bias", {dim});
    return n;
  }

  Linear linear(const std::string& role, int layer, int in, int out) {
    if (role.empty()) return {};
    const std::string base = at_layer(role, layer);
    Linear l;
    l.in = in;
    l.out = out;
    l.stride = in;  // nn.Linear: [out, in]
    l.w = tensor(base + ".weight", {out, in});
    if (biases_) l.b = tensor(base + ".bias", {out});
    return l;
  }

  // Self-attention and FFN of one layer (encoder or decoder).
  LayerWeights layer(const Seq2SeqLayerNames& names, int i, int D, int inner, int F) {
    LayerWeights lw;
    lw.attn_norm = norm(names.attn_norm, i, D);
    lw.wq = linear(names.wq, i, D, inner);
    lw.wk = linear(names.wk, i, D, inner);
    lw.wv = linear(names.wv, i, D, inner);
    lw.wo = linear(names.wo, i, inner, D);
    lw.ffn_norm = norm(names.ffn_norm, i, D);
    lw.ffn_up = linear(names.ffn_up, i, D, F);
    lw.ffn_gate = linear(names.ffn_gate, i, D, F);
    lw.ffn_down = linear(names.ffn_down, i, F, D);
    return lw;
  }

  CrossAttentionWeights cross(const Seq2SeqLayerNames& names, int i, int D, int inner) {
    return {norm(names.cross_norm, i, D), linear(names.cross_wq, i, D, inner), linear(names.cross_wk, i, D, inner),
            linear(names.cross_wv, i, D, inner), linear(names.cross_wo, i, inner, D)};
  }

  // A stored table, or Marian's sinusoids when the checkpoint left it out.
  const float* positions(const std::string& name, int P, int D) {
    if (store_.contains(name + ".weight")) return tensor(name + ".weight", {P, D});
    auto table = std::make_shared<std::vector<float>>(marian_sinusoid_table(P, D));
    model_.storage.push_back(table);
    return table->data();
  }

 private:
  const TensorStore& store_;
  Model& model_;
  bool biases_;
  WeightScan& scan_;
};

void bind_seq2seq(const TensorStore& store, Model& model, EncoderDecoder& ed, const Seq2SeqNameTable& names, bool tie,
                  WeightScan& scan) {
  const ModelConfig& c = model.config;
  const EncoderDecoderConfig& dc = ed.config;
  const int D = c.dim, V = c.vocab_size, inner = c.n_heads * c.head_dim, H = c.n_heads;
  Seq2SeqBinder bind(store, model, names.biases, scan);
  ModelWeights& w = model.weights;
  EncoderDecoderWeights& dw = ed.weights;

  w.token_embedding = bind.tensor(names.shared_embedding + ".weight", {V, D});
  if (dc.sinusoidal_positions) {
    w.position_embedding = bind.positions(names.encoder_positions, c.max_positions, D);
    dw.decoder_position_embedding = bind.positions(names.decoder_positions, c.max_positions, D);
  }
  if (dc.relative_buckets > 0) {
    dw.encoder_relative_bias = bind.tensor(names.encoder_relative_bias + ".weight", {dc.relative_buckets, H});
    dw.decoder_relative_bias = bind.tensor(names.decoder_relative_bias + ".weight", {dc.relative_buckets, H});
  }
  for (int i = 0; i < c.n_layers; ++i) w.layers.push_back(bind.layer(names.encoder, i, D, inner, c.ffn_dim));
  for (int i = 0; i < dc.n_decoder_layers; ++i)
    dw.layers.push_back({bind.layer(names.decoder, i, D, inner, dc.decoder_ffn_dim), bind.cross(names.decoder, i, D, inner)});
  w.final_norm = bind.norm(names.encoder_final_norm, -1, D);
  dw.final_norm = bind.norm(names.decoder_final_norm, -1, D);
  w.lm_head = tie ? w.token_embedding : bind.tensor(names.lm_head + ".weight", {V, D});
  if (!names.final_logits_bias.empty()) w.lm_head_bias = bind.tensor(names.final_logits_bias, {1, V});
}

nlohmann::json read_generation_config(const fs::path& folder) {
  const fs::path path = folder / "generation_config.json";
  if (!entry_exists(path)) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(read_regular_file(path), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) throw Error(path.string() + ": not a JSON object");
  return j;
}

void load_tokenizers(const fs::path& folder, Model& model, EncoderDecoder& ed) {
  if (model.config.family == Family::Marian) {
    MarianTokenizers both = load_marian_tokenizers(folder);
    model.tokenizer = std::move(both.source);
    ed.target_tokenizer = std::move(both.target);
  } else {
    model.tokenizer = load_t5_tokenizer(folder);
    ed.target_tokenizer = load_t5_tokenizer(folder);
  }
  // Source and target share one embedding table, so both must fit it.
  check_vocabulary_size(folder.string(), *model.tokenizer, model.config.vocab_size, &model.warnings);
  if (model.config.family == Family::Marian)
    check_vocabulary_size(folder.string() + " (target side)", *ed.target_tokenizer, model.config.vocab_size, &model.warnings);
}

}  // namespace

bool is_seq2seq_model_type(const std::string& model_type) { return seq2seq_names(model_type) != nullptr; }

std::shared_ptr<Model> load_seq2seq_folder(const fs::path& folder, const nlohmann::json& config) {
  auto model = std::make_shared<Model>();
  auto ed = std::make_shared<EncoderDecoder>();
  model->source = folder;
  Seq2SeqConfig sc;
  try {
    sc = read_seq2seq_config(config, read_generation_config(folder));
  } catch (const Error& e) {
    rethrow_with_context(folder.string() + ": error loading model hyperparameters", e);
  }
  model->config = sc.encoder;
  ed->config = sc.decoder;
  try {
    TensorStore store = TensorStore::open_folder(folder);
    WeightScan scan;
    bind_seq2seq(store, *model, *ed, seq2seq_names_for(sc), sc.tie_lm_head, scan);
    for (std::string& warning : scan.warnings(folder.string())) model->warnings.push_back(std::move(warning));
  } catch (const Error& e) {
    const int inner = sc.encoder.n_heads * sc.encoder.head_dim;
    rethrow_with_context("error loading model weights (config: " + std::to_string(sc.encoder.n_heads) + " heads x " +
                             std::to_string(sc.encoder.head_dim) + " = " + std::to_string(inner) + " attention dims)",
                         e);
  }
  try {
    load_tokenizers(folder, *model, *ed);
  } catch (const Error& e) {
    rethrow_with_context("error loading tokenizer", e);
  }
  const int layers = model->config.n_layers, decoder_layers = ed->config.n_decoder_layers, heads = model->config.n_heads;
  model->encoder_decoder = std::move(ed);
  // As for the other families, a bad presets file is reported, not fatal.
  try {
    model->presets = read_head_presets(folder, HeadGrids{{{layers, heads}, {decoder_layers, heads}, {decoder_layers, heads}}},
                                       &model->warnings);
  } catch (const Error& e) {
    model->presets_problem = e.what();
  }
  return model;
}

}  // namespace attnscope
