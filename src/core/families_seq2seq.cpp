#include "families_seq2seq.h"

#include <algorithm>
#include <cmath>

#include "error.h"
#include "families.h"

namespace attnscope {
namespace {

using nlohmann::json;

// A token id: unlike a size, 0 is valid (T5's <pad>, Marian's </s>).
int optional_id(const json& config, const char* key, int fallback) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > (1LL << 30))
    throw Error(std::string("config.json: field '") + key + "' must be a token id (a non-negative integer)");
  return it->get<int>();
}

// Single-token entries of bad_words_ids ([[661]]) can simply never be chosen;
// longer sequences would need a search over the generated suffix.
std::vector<int> single_token_bad_words(const json& config) {
  std::vector<int> ids;
  auto it = config.find("bad_words_ids");
  if (it == config.end() || !it->is_array()) return ids;
  for (const auto& words : *it)
    if (words.is_array() && words.size() == 1 && words[0].is_number_integer()) ids.push_back(words[0].get<int>());
  return ids;
}

void check_same(int encoder, int decoder, const char* what) {
  if (encoder != decoder)
    throw Error(ErrorKind::Unsupported, std::string("config.json: encoder and decoder with different ") + what + " (" +
                                            std::to_string(encoder) + " vs " + std::to_string(decoder) + ") are not supported");
}

// MarianConfig: post-LN BART-style layers, fixed sinusoid positions from 0,
// tied embeddings, pad as the decoder start token. Defaults are transformers'.
Seq2SeqConfig read_marian(const json& j, const json& generation) {
  Seq2SeqConfig out;
  ModelConfig& c = out.encoder;
  EncoderDecoderConfig& d = out.decoder;
  c.family = Family::Marian;
  c.model_type = "marian";
  c.dim = optional_int(j, "d_model", 1024);
  c.n_layers = optional_int(j, "encoder_layers", 12);
  c.n_heads = c.n_kv_heads = optional_int(j, "encoder_attention_heads", 16);
  check_same(c.n_heads, optional_int(j, "decoder_attention_heads", 16), "head counts");
  if (c.dim % c.n_heads != 0)
    throw Error("config.json: d_model " + std::to_string(c.dim) + " is not divisible by " + std::to_string(c.n_heads) + " heads");
  c.head_dim = c.dim / c.n_heads;
  c.ffn_dim = optional_int(j, "encoder_ffn_dim", 4096);
  c.vocab_size = optional_int(j, "vocab_size", 58101);
  check_same(c.vocab_size, optional_int(j, "decoder_vocab_size", c.vocab_size), "vocabularies");
  if (!optional_bool(j, "share_encoder_decoder_embeddings", true))
    throw Error(ErrorKind::Unsupported, "config.json: share_encoder_decoder_embeddings = false is not supported");
  c.max_positions = optional_int(j, "max_position_embeddings", 1024);
  c.norm_eps = 1e-5f;  // nn.LayerNorm's default, not in config.json
  c.activation = activation_named(optional_string(j, "activation_function", "gelu"), "activation_function");
  c.norm = NormKind::LayerNorm;
  c.pre_norm = false;
  c.causal = false;
  c.pad_token_id = optional_id(j, "pad_token_id", 58100);
  d.n_decoder_layers = optional_int(j, "decoder_layers", 12);
  d.decoder_ffn_dim = optional_int(j, "decoder_ffn_dim", 4096);
  d.decoder_start_id = optional_id(j, "decoder_start_token_id", c.pad_token_id);
  d.eos_id = optional_id(j, "eos_token_id", 0);
  // MarianMTModel never generates <pad> (adjust_logits_during_generation / bad_words_ids).
  d.suppressed_ids = single_token_bad_words(generation.is_object() && generation.contains("bad_words_ids") ? generation : j);
  if (std::find(d.suppressed_ids.begin(), d.suppressed_ids.end(), c.pad_token_id) == d.suppressed_ids.end())
    d.suppressed_ids.push_back(c.pad_token_id);
  d.embedding_scale = optional_bool(j, "scale_embedding", false) ? std::sqrt(static_cast<float>(c.dim)) : 1.0f;
  d.sinusoidal_positions = true;
  d.scale_scores = true;
  out.tie_lm_head = true;  // lm_head is model.shared
  return out;
}

// T5Config: pre-norm RMS layers, relative position buckets, no score scaling.
// feed_forward_proj is "ACT" or "gated-ACT"; "gated-gelu" means gelu_new.
Seq2SeqConfig read_t5(const json& j) {
  Seq2SeqConfig out;
  ModelConfig& c = out.encoder;
  EncoderDecoderConfig& d = out.decoder;
  c.family = Family::T5;
  c.model_type = "t5";
  c.dim = optional_int(j, "d_model", 512);
  c.head_dim = optional_int(j, "d_kv", 64);
  c.n_heads = c.n_kv_heads = optional_int(j, "num_heads", 8);
  c.n_layers = optional_int(j, "num_layers", 6);
  c.ffn_dim = optional_int(j, "d_ff", 2048);
  c.vocab_size = optional_int(j, "vocab_size", 32128);
  c.max_positions = optional_int(j, "n_positions", 512);
  c.norm_eps = optional_float(j, "layer_norm_epsilon", 1e-6f);
  c.norm = NormKind::RmsNorm;
  c.pre_norm = true;
  c.causal = false;
  c.pad_token_id = optional_id(j, "pad_token_id", 0);
  std::string proj = optional_string(j, "feed_forward_proj", "relu");
  if (proj.rfind("gated-", 0) == 0) {
    d.gated_ffn = true;
    proj = proj.substr(6);
    if (proj == "gelu") proj = "gelu_new";  // T5Config.__init__: dense_act_fn = "gelu_new"
  }
  c.activation = activation_named(proj, "feed_forward_proj");
  d.n_decoder_layers = optional_int(j, "num_decoder_layers", c.n_layers);
  d.decoder_ffn_dim = c.ffn_dim;
  d.decoder_start_id = optional_id(j, "decoder_start_token_id", c.pad_token_id);
  d.eos_id = optional_id(j, "eos_token_id", 1);
  d.scale_scores = false;
  d.relative_buckets = optional_int(j, "relative_attention_num_buckets", 32);
  d.relative_max_distance = optional_int(j, "relative_attention_max_distance", 128);
  if (d.relative_buckets < 4)
    throw Error("config.json: relative_attention_num_buckets must be at least 4, got " + std::to_string(d.relative_buckets));
  out.tie_lm_head = optional_bool(j, "tie_word_embeddings", true);
  // Mesh TensorFlow rescales before a tied projection.
  d.logits_scale = out.tie_lm_head ? 1.0f / std::sqrt(static_cast<float>(c.dim)) : 1.0f;
  return out;
}

const Seq2SeqNameTable kMarianNames = [] {
  Seq2SeqNameTable t;
  t.shared_embedding = "model.shared";
  t.encoder_positions = "model.encoder.embed_positions";
  t.decoder_positions = "model.decoder.embed_positions";
  t.final_logits_bias = "final_logits_bias";
  t.lm_head = "lm_head";
  t.biases = true;
  for (auto* layer : {&t.encoder, &t.decoder}) {
    const std::string p = layer == &t.encoder ? "model.encoder.layers.{i}." : "model.decoder.layers.{i}.";
    layer->wq = p + "self_attn.q_proj";
    layer->wk = p + "self_attn.k_proj";
    layer->wv = p + "self_attn.v_proj";
    layer->wo = p + "self_attn.out_proj";
    layer->attn_norm = p + "self_attn_layer_norm";
    layer->ffn_up = p + "fc1";
    layer->ffn_down = p + "fc2";
    layer->ffn_norm = p + "final_layer_norm";
  }
  const std::string p = "model.decoder.layers.{i}.";
  t.decoder.cross_wq = p + "encoder_attn.q_proj";
  t.decoder.cross_wk = p + "encoder_attn.k_proj";
  t.decoder.cross_wv = p + "encoder_attn.v_proj";
  t.decoder.cross_wo = p + "encoder_attn.out_proj";
  t.decoder.cross_norm = p + "encoder_attn_layer_norm";
  return t;
}();

// T5: for a gated FFN the activation is on wi_0 (ffn_gate), wi_1 is linear (ffn_up).
const Seq2SeqNameTable kT5Names = [] {
  Seq2SeqNameTable t;
  t.shared_embedding = "shared";
  t.encoder_relative_bias = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias";
  t.decoder_relative_bias = "decoder.block.0.layer.0.SelfAttention.relative_attention_bias";
  t.encoder_final_norm = "encoder.final_layer_norm";
  t.decoder_final_norm = "decoder.final_layer_norm";
  t.lm_head = "lm_head";
  for (auto* layer : {&t.encoder, &t.decoder}) {
    const bool enc = layer == &t.encoder;
    const std::string p = enc ? "encoder.block.{i}.layer." : "decoder.block.{i}.layer.";
    const std::string ffn = p + (enc ? "1." : "2.");
    layer->wq = p + "0.SelfAttention.q";
    layer->wk = p + "0.SelfAttention.k";
    layer->wv = p + "0.SelfAttention.v";
    layer->wo = p + "0.SelfAttention.o";
    layer->attn_norm = p + "0.layer_norm";
    layer->ffn_norm = ffn + "layer_norm";
    layer->ffn_up = ffn + "DenseReluDense.wi";
    layer->ffn_down = ffn + "DenseReluDense.wo";
  }
  const std::string p = "decoder.block.{i}.layer.1.";
  t.decoder.cross_wq = p + "EncDecAttention.q";
  t.decoder.cross_wk = p + "EncDecAttention.k";
  t.decoder.cross_wv = p + "EncDecAttention.v";
  t.decoder.cross_wo = p + "EncDecAttention.o";
  t.decoder.cross_norm = p + "layer_norm";
  return t;
}();

// The gated variant's FFN names (wi_0 activated, wi_1 linear).
const Seq2SeqNameTable kT5GatedNames = [] {
  Seq2SeqNameTable t = kT5Names;
  for (auto* layer : {&t.encoder, &t.decoder}) {
    const std::string base = layer->ffn_up;  // "...DenseReluDense.wi"
    layer->ffn_gate = base + "_0";
    layer->ffn_up = base + "_1";
  }
  return t;
}();

}  // namespace

const Seq2SeqNameTable* seq2seq_names(const std::string& model_type) {
  if (model_type == "marian") return &kMarianNames;
  if (model_type == "t5") return &kT5Names;
  return nullptr;
}

const Seq2SeqNameTable& seq2seq_names_for(const Seq2SeqConfig& config) {
  if (config.encoder.family == Family::Marian) return kMarianNames;
  return config.decoder.gated_ffn ? kT5GatedNames : kT5Names;
}

namespace {

// Token ids the decoder embeds or generation compares must lie in the vocabulary.
void check_token_ids(const Seq2SeqConfig& c) {
  const int V = c.encoder.vocab_size;
  auto check = [&](int id, const char* field) {
    if (id < 0 || id >= V)
      throw Error(ErrorKind::OutOfRange, std::string("config.json: ") + field + " " + std::to_string(id) +
                                             " is outside the vocabulary (0.." + std::to_string(V - 1) + ")");
  };
  check(c.decoder.decoder_start_id, "decoder_start_token_id");
  check(c.decoder.eos_id, "eos_token_id");
  for (int id : c.decoder.suppressed_ids) check(id, "bad_words_ids / pad_token_id");
}

}  // namespace

Seq2SeqConfig read_seq2seq_config(const json& config, const json& generation) {
  const std::string type = config_model_type(config);
  Seq2SeqConfig out;
  if (type == "marian")
    out = read_marian(config, generation);
  else if (type == "t5")
    out = read_t5(config);
  else
    throw Error(ErrorKind::Unsupported, "config.json: model_type '" + type + "' is not an encoder-decoder family attnscope knows");
  check_token_ids(out);
  return out;
}

}  // namespace attnscope
