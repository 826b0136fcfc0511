// The architectures attnscope understands: how each one's config.json maps to
// ModelConfig, and which checkpoint tensor plays which role. Adding a family
// (RoBERTa, say) means one more config reader and one more name table here.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model.h"

namespace attnscope {

// Tensor names per role. "{i}" stands for the layer index. A name starting
// with '.' lives inside the base model and gets the prefix the checkpoint uses
// ("transformer.", "bert.", "model.", "distilbert." or none); other names
// (output heads) are used as written. Norm and Linear names omit
// ".weight"/".bias". Empty = the family has no such tensor.
struct TensorNameTable {
  std::vector<std::string> prefixes;  // tried in order; the first under which token_embedding exists wins
  std::string token_embedding, position_embedding, token_type_embedding, embedding_norm;
  std::string attn_norm, wq, wk, wv, wqkv_fused, wo, ffn_norm, ffn_up, ffn_gate, ffn_down;
  std::string final_norm, mlm_transform, mlm_norm, lm_head, lm_head_bias;
  bool conv1d = false;  // GPT-2 stores matrices [in, out]
};

struct FamilyInfo {
  Family family;
  const char* model_type;  // config.json's model_type
  ModelConfig (*read_config)(const nlohmann::json& config);
  const TensorNameTable& names;
};

// config.json field readers; errors name the field. The optional ones return
// `fallback` when the key is missing or null.
int require_int(const nlohmann::json& config, const char* key);  // positive
int optional_int(const nlohmann::json& config, const char* key, int fallback);
float optional_float(const nlohmann::json& config, const char* key, float fallback);
std::string optional_string(const nlohmann::json& config, const char* key, const std::string& fallback);
bool optional_bool(const nlohmann::json& config, const char* key, bool fallback);
Activation activation_named(const std::string& name, const char* field);  // "gelu", "gelu_new", "relu", "silu"...

// Fields every family reads the same way; errors name the field.
std::string config_model_type(const nlohmann::json& config);
bool tie_word_embeddings(const nlohmann::json& config, Family family);

// The checkpoint name of a role: "{i}" becomes `layer`, and a leading '.'
// becomes `prefix` (one of the table's prefixes). The loader, the trainer's
// exporter and the synthetic benchmark checkpoint all name tensors this way.
std::string tensor_name(const std::string& role, int layer, const std::string& prefix);
const TensorNameTable& tensor_names(Family family);

// nullptr when model_type is not supported.
const FamilyInfo* find_family(const std::string& model_type);
std::string supported_model_types();  // "gpt2, bert, distilbert, llama"

}  // namespace attnscope
