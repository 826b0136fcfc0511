#include "train/hf_export.h"


#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/families.h"

namespace attnscope::train {

NamedTensor matrix_tensor(const std::string& name, const float* data, std::int64_t rows, std::int64_t cols, std::int64_t stride,
                          std::int64_t col0, bool transpose) {
  NamedTensor t;
  t.name = name;
  t.shape = transpose ? std::vector<std::int64_t>{cols, rows} : std::vector<std::int64_t>{rows, cols};
  t.data.resize(static_cast<size_t>(rows * cols));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) {
      const float v = data[r * stride + col0 + c];
      t.data[static_cast<size_t>(transpose ? c * rows + r : r * cols + c)] = v;
    }
  return t;
}

NamedTensor vector_tensor(const std::string& name, const float* data, std::int64_t size) {
  return NamedTensor{name, {size}, std::vector<float>(data, data + size), DType::F32};
}

namespace {

// Names come from the loader's own tables, so an exported folder always loads.
class Names {
 public:
  Names(Family family, std::string prefix) : table_(tensor_names(family)), prefix_(std::move(prefix)) {}
  const TensorNameTable& operator*() const { return table_; }
  std::string operator()(const std::string& role, int layer, const char* suffix) const {
    return tensor_name(role, layer, prefix_) + suffix;
  }

 private:
  const TensorNameTable& table_;
  std::string prefix_;
};

// One Linear or Norm: weight and bias.
void push_vector_pair(std::vector<NamedTensor>& t, const Names& n, const std::string& role, int layer, const float* w,
                      const float* b, std::int64_t size) {
  t.push_back(vector_tensor(n(role, layer, ".weight"), w, size));
  t.push_back(vector_tensor(n(role, layer, ".bias"), b, size));
}

std::vector<NamedTensor> gpt2_tensors(const ModelShape& s, const ParamLayout& o, const float* p) {
  const std::int64_t D = s.dim, F = s.ffn_dim;
  const Names n(Family::Gpt2, "");  // the original gpt2 checkpoints have no "transformer." prefix
  std::vector<NamedTensor> t;
  t.push_back(matrix_tensor(n((*n).token_embedding, -1, ".weight"), p + o.tok_emb, s.vocab_size, D, D, 0, false));
  t.push_back(matrix_tensor(n((*n).position_embedding, -1, ".weight"), p + o.pos_emb, s.max_positions, D, D, 0, false));
  for (int i = 0; i < s.n_layers; ++i) {
    const LayerOffsets& l = o.layers[static_cast<size_t>(i)];
    push_vector_pair(t, n, (*n).attn_norm, i, p + l.ln1_w, p + l.ln1_b, D);
    t.push_back(matrix_tensor(n((*n).wqkv_fused, i, ".weight"), p + l.qkv_w, D, 3 * D, 3 * D, 0, false));  // Conv1D [D, 3D]
    t.push_back(vector_tensor(n((*n).wqkv_fused, i, ".bias"), p + l.qkv_b, 3 * D));
    t.push_back(matrix_tensor(n((*n).wo, i, ".weight"), p + l.proj_w, D, D, D, 0, false));
    t.push_back(vector_tensor(n((*n).wo, i, ".bias"), p + l.proj_b, D));
    push_vector_pair(t, n, (*n).ffn_norm, i, p + l.ln2_w, p + l.ln2_b, D);
    t.push_back(matrix_tensor(n((*n).ffn_up, i, ".weight"), p + l.up_w, D, F, F, 0, false));  // [D, F]
    t.push_back(vector_tensor(n((*n).ffn_up, i, ".bias"), p + l.up_b, F));
    t.push_back(matrix_tensor(n((*n).ffn_down, i, ".weight"), p + l.down_w, F, D, D, 0, false));  // [F, D]
    t.push_back(vector_tensor(n((*n).ffn_down, i, ".bias"), p + l.down_b, D));
  }
  push_vector_pair(t, n, (*n).final_norm, -1, p + o.final_ln_w, p + o.final_ln_b, D);
  return t;
}

void push_bert_layer(std::vector<NamedTensor>& t, const Names& n, int i, const ModelShape& s, const LayerOffsets& l,
                     const float* p) {
  const std::int64_t D = s.dim, F = s.ffn_dim;
  const std::string* qkv[3] = {&(*n).wq, &(*n).wk, &(*n).wv};
  for (int q = 0; q < 3; ++q) {  // the trainer keeps [D, 3D]; nn.Linear stores each [out, in]
    t.push_back(matrix_tensor(n(*qkv[q], i, ".weight"), p + l.qkv_w, D, D, 3 * D, q * D, true));
    t.push_back(vector_tensor(n(*qkv[q], i, ".bias"), p + l.qkv_b + q * D, D));
  }
  t.push_back(matrix_tensor(n((*n).wo, i, ".weight"), p + l.proj_w, D, D, D, 0, true));
  t.push_back(vector_tensor(n((*n).wo, i, ".bias"), p + l.proj_b, D));
  push_vector_pair(t, n, (*n).attn_norm, i, p + l.ln1_w, p + l.ln1_b, D);
  t.push_back(matrix_tensor(n((*n).ffn_up, i, ".weight"), p + l.up_w, D, F, F, 0, true));
  t.push_back(vector_tensor(n((*n).ffn_up, i, ".bias"), p + l.up_b, F));
  t.push_back(matrix_tensor(n((*n).ffn_down, i, ".weight"), p + l.down_w, F, D, D, 0, true));
  t.push_back(vector_tensor(n((*n).ffn_down, i, ".bias"), p + l.down_b, D));
  push_vector_pair(t, n, (*n).ffn_norm, i, p + l.ln2_w, p + l.ln2_b, D);
}

std::vector<NamedTensor> bert_tensors(const ModelShape& s, const ParamLayout& o, const float* p) {
  const std::int64_t D = s.dim;
  const Names n(Family::Bert, "bert.");
  std::vector<NamedTensor> t;
  t.push_back(matrix_tensor(n((*n).token_embedding, -1, ".weight"), p + o.tok_emb, s.vocab_size, D, D, 0, false));
  t.push_back(matrix_tensor(n((*n).position_embedding, -1, ".weight"), p + o.pos_emb, s.max_positions, D, D, 0, false));
  t.push_back(matrix_tensor(n((*n).token_type_embedding, -1, ".weight"), p + o.type_emb, s.n_token_types, D, D, 0, false));
  push_vector_pair(t, n, (*n).embedding_norm, -1, p + o.emb_ln_w, p + o.emb_ln_b, D);
  for (int i = 0; i < s.n_layers; ++i) push_bert_layer(t, n, i, s, o.layers[static_cast<size_t>(i)], p);
  t.push_back(matrix_tensor(n((*n).mlm_transform, -1, ".weight"), p + o.head_w, D, D, D, 0, true));
  t.push_back(vector_tensor(n((*n).mlm_transform, -1, ".bias"), p + o.head_b, D));
  push_vector_pair(t, n, (*n).mlm_norm, -1, p + o.head_ln_w, p + o.head_ln_b, D);
  t.push_back(vector_tensor((*n).lm_head_bias, p + o.out_bias, s.vocab_size));
  return t;
}

nlohmann::json hf_config(const ModelShape& s, const SpecialIds& ids) {
  nlohmann::json c;
  if (s.arch == Arch::Gpt) {
    c = {{"model_type", "gpt2"},         {"architectures", {"GPT2LMHeadModel"}},
         {"n_layer", s.n_layers},        {"n_head", s.n_heads},
         {"n_embd", s.dim},              {"n_inner", s.ffn_dim},
         {"vocab_size", s.vocab_size},   {"n_positions", s.max_positions},
         {"n_ctx", s.max_positions},     {"layer_norm_epsilon", s.norm_eps},
         {"activation_function", "gelu_new"}, {"tie_word_embeddings", true}};
    if (ids.bos >= 0) c["bos_token_id"] = ids.bos;
    if (ids.eos >= 0) c["eos_token_id"] = ids.eos;
  } else {
    c = {{"model_type", "bert"},           {"architectures", {"BertForMaskedLM"}},
         {"num_hidden_layers", s.n_layers}, {"num_attention_heads", s.n_heads},
         {"hidden_size", s.dim},            {"intermediate_size", s.ffn_dim},
         {"vocab_size", s.vocab_size},      {"max_position_embeddings", s.max_positions},
         {"type_vocab_size", s.n_token_types}, {"layer_norm_eps", s.norm_eps},
         {"hidden_act", "gelu"},            {"position_embedding_type", "absolute"},
         {"tie_word_embeddings", true}};
    if (ids.pad >= 0) c["pad_token_id"] = ids.pad;
  }
  return c;
}

}  // namespace

std::vector<NamedTensor> hf_tensors(const ModelShape& shape, const ParamLayout& layout, const std::vector<float>& params) {
  if (params.size() != layout.total)
    throw Error("export: " + std::to_string(params.size()) + " parameters, the layout has " + std::to_string(layout.total));
  return shape.arch == Arch::Gpt ? gpt2_tensors(shape, layout, params.data()) : bert_tensors(shape, layout, params.data());
}

void export_hf_model(const std::filesystem::path& folder, const ModelShape& shape, const ParamLayout& layout,
                     const std::vector<float>& params, const SpecialIds& ids) {
  std::filesystem::create_directories(folder);
  // A re-export replaces the folder's files on purpose, each one atomically.
  write_file_atomically(folder / "config.json", hf_config(shape, ids).dump(2) + "\n", Overwrite::Allow);
  write_safetensors(folder / "model.safetensors", hf_tensors(shape, layout, params), {{"format", "pt"}}, Overwrite::Allow);
}

}  // namespace attnscope::train
