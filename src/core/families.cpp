#include "families.h"

#include "error.h"

namespace attnscope {

using nlohmann::json;

// Reads a required positive integer field; errors name the field.
int require_int(const json& config, const char* key) {
  auto it = config.find(key);
  if (it == config.end()) throw Error(ErrorKind::NotFound, std::string("config.json: missing integer field '") + key + "'");
  if (!it->is_number_integer()) {
    std::string got = it->dump(-1, ' ', true, json::error_handler_t::replace);  // ASCII: safe to cut
    if (got.size() > 40) got = got.substr(0, 37) + "...";
    throw Error(std::string("config.json: field '") + key + "' must be an integer, got " + got);
  }
  long long v = it->get<long long>();
  if (v <= 0 || v > (1LL << 30))
    throw Error(ErrorKind::OutOfRange, std::string("config.json: field '") + key + "' must be from 1 to 2^30, got " + std::to_string(v));
  return static_cast<int>(v);
}

int optional_int(const json& config, const char* key, int fallback) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return fallback;
  return require_int(config, key);
}

float optional_float(const json& config, const char* key, float fallback) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_number()) throw Error(std::string("config.json: field '") + key + "' must be a number");
  return it->get<float>();
}

std::string optional_string(const json& config, const char* key, const std::string& fallback) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw Error(std::string("config.json: field '") + key + "' must be a string");
  return it->get<std::string>();
}

bool optional_bool(const json& config, const char* key, bool fallback) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw Error(std::string("config.json: field '") + key + "' must be true or false");
  return it->get<bool>();
}

Activation activation_named(const std::string& name, const char* field) {
  if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast") return Activation::GeluTanh;
  if (name == "gelu") return Activation::GeluErf;
  if (name == "relu") return Activation::Relu;
  if (name == "silu" || name == "swish") return Activation::SwiGlu;
  throw Error(ErrorKind::Unsupported, std::string("config.json: unsupported ") + field + " '" + name + "'");
}

namespace {

void check_heads(const ModelConfig& c) {
  if (c.dim % c.n_heads != 0 && c.head_dim * c.n_heads != c.dim && c.family != Family::Llama)
    throw Error("config.json: hidden size " + std::to_string(c.dim) + " is not divisible by " +
                std::to_string(c.n_heads) + " heads");
  if (c.n_heads % c.n_kv_heads != 0)
    throw Error("config.json: " + std::to_string(c.n_heads) + " attention heads are not a multiple of " +
                std::to_string(c.n_kv_heads) + " key/value heads");
}

ModelConfig read_gpt2(const json& j) {
  ModelConfig c;
  c.family = Family::Gpt2;
  c.model_type = "gpt2";
  c.n_layers = require_int(j, "n_layer");
  c.n_heads = c.n_kv_heads = require_int(j, "n_head");
  c.dim = require_int(j, "n_embd");
  c.head_dim = c.dim / c.n_heads;
  c.ffn_dim = optional_int(j, "n_inner", 4 * c.dim);
  c.vocab_size = require_int(j, "vocab_size");
  c.max_positions = optional_int(j, "n_positions", optional_int(j, "n_ctx", 1024));
  c.norm_eps = optional_float(j, "layer_norm_epsilon", 1e-5f);
  c.activation = activation_named(optional_string(j, "activation_function", "gelu_new"), "activation_function");
  if (optional_bool(j, "scale_attn_by_inverse_layer_idx", false))
    throw Error(ErrorKind::Unsupported, "config.json: scale_attn_by_inverse_layer_idx = true is not supported");
  c.norm = NormKind::LayerNorm;
  c.pre_norm = true;
  c.causal = true;
  check_heads(c);
  return c;
}

ModelConfig read_bert(const json& j) {
  ModelConfig c;
  c.family = Family::Bert;
  c.model_type = "bert";
  c.n_layers = require_int(j, "num_hidden_layers");
  c.n_heads = c.n_kv_heads = require_int(j, "num_attention_heads");
  c.dim = require_int(j, "hidden_size");
  c.head_dim = c.dim / c.n_heads;
  c.ffn_dim = require_int(j, "intermediate_size");
  c.vocab_size = require_int(j, "vocab_size");
  c.max_positions = optional_int(j, "max_position_embeddings", 512);
  c.n_token_types = optional_int(j, "type_vocab_size", 2);
  c.norm_eps = optional_float(j, "layer_norm_eps", 1e-12f);
  c.activation = activation_named(optional_string(j, "hidden_act", "gelu"), "hidden_act");
  if (optional_string(j, "position_embedding_type", "absolute") != "absolute")
    throw Error("config.json: only position_embedding_type 'absolute' is supported");
  c.norm = NormKind::LayerNorm;
  c.pre_norm = false;
  c.causal = false;
  c.masked_lm = true;
  check_heads(c);
  return c;
}

// RoBERTa is BERT with fairseq's position numbering (rows pad+1, pad+2, ...),
// one token type and LayerNorm eps 1e-5.
ModelConfig read_roberta(const json& j) {
  ModelConfig c = read_bert(j);
  c.family = Family::Roberta;
  c.model_type = "roberta";
  c.norm_eps = optional_float(j, "layer_norm_eps", 1e-5f);
  c.n_token_types = optional_int(j, "type_vocab_size", 1);
  c.pad_token_id = optional_int(j, "pad_token_id", 1);
  c.positions_after_pad = true;
  const int table_rows = optional_int(j, "max_position_embeddings", 514);
  if (table_rows <= c.pad_token_id + 1)
    throw Error("config.json: max_position_embeddings " + std::to_string(table_rows) + " leaves no position after pad_token_id " +
                std::to_string(c.pad_token_id));
  c.max_positions = table_rows - c.pad_token_id - 1;
  return c;
}

ModelConfig read_distilbert(const json& j) {
  ModelConfig c;
  c.family = Family::DistilBert;
  c.model_type = "distilbert";
  c.n_layers = require_int(j, "n_layers");
  c.n_heads = c.n_kv_heads = require_int(j, "n_heads");
  c.dim = require_int(j, "dim");
  c.head_dim = c.dim / c.n_heads;
  c.ffn_dim = require_int(j, "hidden_dim");
  c.vocab_size = require_int(j, "vocab_size");
  c.max_positions = optional_int(j, "max_position_embeddings", 512);
  c.norm_eps = 1e-12f;  // hard-coded in transformers, absent from config.json
  c.activation = activation_named(optional_string(j, "activation", "gelu"), "activation");
  c.norm = NormKind::LayerNorm;
  c.pre_norm = false;
  c.causal = false;
  c.masked_lm = true;
  check_heads(c);
  return c;
}

ModelConfig read_llama(const json& j) {
  ModelConfig c;
  c.family = Family::Llama;
  c.model_type = "llama";
  c.n_layers = require_int(j, "num_hidden_layers");
  c.n_heads = require_int(j, "num_attention_heads");
  c.n_kv_heads = optional_int(j, "num_key_value_heads", c.n_heads);
  c.dim = require_int(j, "hidden_size");
  c.head_dim = optional_int(j, "head_dim", c.dim / c.n_heads);
  c.ffn_dim = require_int(j, "intermediate_size");
  c.vocab_size = require_int(j, "vocab_size");
  c.max_positions = optional_int(j, "max_position_embeddings", 2048);
  c.norm_eps = optional_float(j, "rms_norm_eps", 1e-6f);
  c.rope_theta = optional_float(j, "rope_theta", 10000.0f);
  if (j.contains("rope_scaling") && !j["rope_scaling"].is_null())
    throw Error(ErrorKind::Unsupported, "config.json: rope_scaling is not supported yet");
  if (optional_bool(j, "attention_bias", false) || optional_bool(j, "mlp_bias", false))
    throw Error(ErrorKind::Unsupported, "config.json: attention_bias / mlp_bias = true is not supported yet");
  if (activation_named(optional_string(j, "hidden_act", "silu"), "hidden_act") != Activation::SwiGlu)
    throw Error("config.json: Llama models need hidden_act 'silu'");
  if (c.head_dim % 2 != 0) throw Error("config.json: head_dim must be even for rotary embeddings");
  c.activation = Activation::SwiGlu;
  c.norm = NormKind::RmsNorm;
  c.rope = RopeStyle::HalfRotate;
  c.pre_norm = true;
  c.causal = true;
  check_heads(c);
  return c;
}

const TensorNameTable kGpt2Names = [] {
  TensorNameTable t;
  t.prefixes = {"transformer.", ""};
  t.token_embedding = ".wte";
  t.position_embedding = ".wpe";
  t.attn_norm = ".h.{i}.ln_1";
  t.wqkv_fused = ".h.{i}.attn.c_attn";
  t.wo = ".h.{i}.attn.c_proj";
  t.ffn_norm = ".h.{i}.ln_2";
  t.ffn_up = ".h.{i}.mlp.c_fc";
  t.ffn_down = ".h.{i}.mlp.c_proj";
  t.final_norm = ".ln_f";
  t.lm_head = "lm_head";  // usually tied to wte and left out of the file
  t.conv1d = true;
  return t;
}();

const TensorNameTable kBertNames = [] {
  TensorNameTable t;
  t.prefixes = {"bert.", ""};
  t.token_embedding = ".embeddings.word_embeddings";
  t.position_embedding = ".embeddings.position_embeddings";
  t.token_type_embedding = ".embeddings.token_type_embeddings";
  t.embedding_norm = ".embeddings.LayerNorm";
  t.wq = ".encoder.layer.{i}.attention.self.query";
  t.wk = ".encoder.layer.{i}.attention.self.key";
  t.wv = ".encoder.layer.{i}.attention.self.value";
  t.wo = ".encoder.layer.{i}.attention.output.dense";
  t.attn_norm = ".encoder.layer.{i}.attention.output.LayerNorm";
  t.ffn_up = ".encoder.layer.{i}.intermediate.dense";
  t.ffn_down = ".encoder.layer.{i}.output.dense";
  t.ffn_norm = ".encoder.layer.{i}.output.LayerNorm";
  t.mlm_transform = "cls.predictions.transform.dense";
  t.mlm_norm = "cls.predictions.transform.LayerNorm";
  t.lm_head = "cls.predictions.decoder";  // tied to word_embeddings when absent
  t.lm_head_bias = "cls.predictions.bias";
  return t;
}();

const TensorNameTable kRobertaNames = [] {
  TensorNameTable t = kBertNames;
  t.prefixes = {"roberta.", ""};
  t.mlm_transform = "lm_head.dense";
  t.mlm_norm = "lm_head.layer_norm";
  t.lm_head = "lm_head.decoder";  // tied to word_embeddings when absent
  t.lm_head_bias = "lm_head.bias";
  return t;
}();

const TensorNameTable kDistilBertNames = [] {
  TensorNameTable t;
  t.prefixes = {"distilbert.", ""};
  t.token_embedding = ".embeddings.word_embeddings";
  t.position_embedding = ".embeddings.position_embeddings";
  t.embedding_norm = ".embeddings.LayerNorm";
  t.wq = ".transformer.layer.{i}.attention.q_lin";
  t.wk = ".transformer.layer.{i}.attention.k_lin";
  t.wv = ".transformer.layer.{i}.attention.v_lin";
  t.wo = ".transformer.layer.{i}.attention.out_lin";
  t.attn_norm = ".transformer.layer.{i}.sa_layer_norm";
  t.ffn_up = ".transformer.layer.{i}.ffn.lin1";
  t.ffn_down = ".transformer.layer.{i}.ffn.lin2";
  t.ffn_norm = ".transformer.layer.{i}.output_layer_norm";
  t.mlm_transform = "vocab_transform";
  t.mlm_norm = "vocab_layer_norm";
  t.lm_head = "vocab_projector";  // weight tied to word_embeddings when absent
  t.lm_head_bias = "vocab_projector.bias";
  return t;
}();

const TensorNameTable kLlamaNames = [] {
  TensorNameTable t;
  t.prefixes = {"model.", ""};
  t.token_embedding = ".embed_tokens";
  t.attn_norm = ".layers.{i}.input_layernorm";
  t.wq = ".layers.{i}.self_attn.q_proj";
  t.wk = ".layers.{i}.self_attn.k_proj";
  t.wv = ".layers.{i}.self_attn.v_proj";
  t.wo = ".layers.{i}.self_attn.o_proj";
  t.ffn_norm = ".layers.{i}.post_attention_layernorm";
  t.ffn_gate = ".layers.{i}.mlp.gate_proj";
  t.ffn_up = ".layers.{i}.mlp.up_proj";
  t.ffn_down = ".layers.{i}.mlp.down_proj";
  t.final_norm = ".norm";
  t.lm_head = "lm_head";
  return t;
}();

const FamilyInfo kFamilies[] = {
    {Family::Gpt2, "gpt2", read_gpt2, kGpt2Names},
    {Family::Bert, "bert", read_bert, kBertNames},
    {Family::DistilBert, "distilbert", read_distilbert, kDistilBertNames},
    {Family::Llama, "llama", read_llama, kLlamaNames},
    {Family::Roberta, "roberta", read_roberta, kRobertaNames},
};

}  // namespace

bool tie_word_embeddings(const nlohmann::json& config, Family family) {
  return optional_bool(config, "tie_word_embeddings", family != Family::Llama);
}

std::string config_model_type(const nlohmann::json& config) { return optional_string(config, "model_type", ""); }

std::string tensor_name(const std::string& role, int layer, const std::string& prefix) {
  std::string name = role;
  if (!name.empty() && name[0] == '.') name = prefix + name.substr(1);
  const auto at = name.find("{i}");
  if (at != std::string::npos) name.replace(at, 3, std::to_string(layer));
  return name;
}

const TensorNameTable& tensor_names(Family family) {
  for (const auto& f : kFamilies)
    if (f.family == family) return f.names;
  throw Error(ErrorKind::Unsupported, "no tensor-name table for this model family");
}

const FamilyInfo* find_family(const std::string& model_type) {
  for (const auto& f : kFamilies)
    if (model_type == f.model_type) return &f;
  return nullptr;
}

std::string supported_model_types() {
  std::string out;
  for (const auto& f : kFamilies) out += (out.empty() ? "" : ", ") + std::string(f.model_type);
  return out + ", marian, t5";  // the encoder-decoder families (families_seq2seq.cpp)
}

const char* family_name(Family family) {
  if (family == Family::Marian) return "marian";
  if (family == Family::T5) return "t5";
  for (const auto& f : kFamilies)
    if (f.family == family) return f.model_type;
  return "?";
}

}  // namespace attnscope
