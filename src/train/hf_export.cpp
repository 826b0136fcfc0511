#include "train/hf_export.h"


#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"

namespace attnscope::train {
namespace {

// Copies a [rows, cols] block starting at column `col0` of a row-major matrix
// with `stride` columns, transposed when asked (nn.Linear stores [out, in]).
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

std::vector<NamedTensor> gpt2_tensors(const ModelShape& s, const ParamLayout& o, const float* p) {
  const std::int64_t D = s.dim, F = s.ffn_dim;
  std::vector<NamedTensor> t;
  t.push_back(matrix_tensor("wte.weight", p + o.tok_emb, s.vocab_size, D, D, 0, false));
  t.push_back(matrix_tensor("wpe.weight", p + o.pos_emb, s.max_positions, D, D, 0, false));
  for (int i = 0; i < s.n_layers; ++i) {
    const LayerOffsets& l = o.layers[static_cast<size_t>(i)];
    const std::string h = "h." + std::to_string(i) + ".";
    t.push_back(vector_tensor(h + "ln_1.weight", p + l.ln1_w, D));
    t.push_back(vector_tensor(h + "ln_1.bias", p + l.ln1_b, D));
    t.push_back(matrix_tensor(h + "attn.c_attn.weight", p + l.qkv_w, D, 3 * D, 3 * D, 0, false));
    t.push_back(vector_tensor(h + "attn.c_attn.bias", p + l.qkv_b, 3 * D));
    t.push_back(matrix_tensor(h + "attn.c_proj.weight", p + l.proj_w, D, D, D, 0, false));
    t.push_back(vector_tensor(h + "attn.c_proj.bias", p + l.proj_b, D));
    t.push_back(vector_tensor(h + "ln_2.weight", p + l.ln2_w, D));
    t.push_back(vector_tensor(h + "ln_2.bias", p + l.ln2_b, D));
    t.push_back(matrix_tensor(h + "mlp.c_fc.weight", p + l.up_w, D, F, F, 0, false));
    t.push_back(vector_tensor(h + "mlp.c_fc.bias", p + l.up_b, F));
    t.push_back(matrix_tensor(h + "mlp.c_proj.weight", p + l.down_w, F, D, D, 0, false));
    t.push_back(vector_tensor(h + "mlp.c_proj.bias", p + l.down_b, D));
  }
  t.push_back(vector_tensor("ln_f.weight", p + o.final_ln_w, D));
  t.push_back(vector_tensor("ln_f.bias", p + o.final_ln_b, D));
  return t;
}

std::vector<NamedTensor> bert_tensors(const ModelShape& s, const ParamLayout& o, const float* p) {
  const std::int64_t D = s.dim, F = s.ffn_dim;
  std::vector<NamedTensor> t;
  const std::string e = "bert.embeddings.";
  t.push_back(matrix_tensor(e + "word_embeddings.weight", p + o.tok_emb, s.vocab_size, D, D, 0, false));
  t.push_back(matrix_tensor(e + "position_embeddings.weight", p + o.pos_emb, s.max_positions, D, D, 0, false));
  t.push_back(matrix_tensor(e + "token_type_embeddings.weight", p + o.type_emb, s.n_token_types, D, D, 0, false));
  t.push_back(vector_tensor(e + "LayerNorm.weight", p + o.emb_ln_w, D));
  t.push_back(vector_tensor(e + "LayerNorm.bias", p + o.emb_ln_b, D));
  for (int i = 0; i < s.n_layers; ++i) {
    const LayerOffsets& l = o.layers[static_cast<size_t>(i)];
    const std::string b = "bert.encoder.layer." + std::to_string(i) + ".";
    const char* parts[3] = {"query", "key", "value"};
    for (int q = 0; q < 3; ++q) {
      t.push_back(matrix_tensor(b + "attention.self." + parts[q] + ".weight", p + l.qkv_w, D, D, 3 * D, q * D, true));
      t.push_back(vector_tensor(b + "attention.self." + parts[q] + ".bias", p + l.qkv_b + q * D, D));
    }
    t.push_back(matrix_tensor(b + "attention.output.dense.weight", p + l.proj_w, D, D, D, 0, true));
    t.push_back(vector_tensor(b + "attention.output.dense.bias", p + l.proj_b, D));
    t.push_back(vector_tensor(b + "attention.output.LayerNorm.weight", p + l.ln1_w, D));
    t.push_back(vector_tensor(b + "attention.output.LayerNorm.bias", p + l.ln1_b, D));
    t.push_back(matrix_tensor(b + "intermediate.dense.weight", p + l.up_w, D, F, F, 0, true));
    t.push_back(vector_tensor(b + "intermediate.dense.bias", p + l.up_b, F));
    t.push_back(matrix_tensor(b + "output.dense.weight", p + l.down_w, F, D, D, 0, true));
    t.push_back(vector_tensor(b + "output.dense.bias", p + l.down_b, D));
    t.push_back(vector_tensor(b + "output.LayerNorm.weight", p + l.ln2_w, D));
    t.push_back(vector_tensor(b + "output.LayerNorm.bias", p + l.ln2_b, D));
  }
  t.push_back(matrix_tensor("cls.predictions.transform.dense.weight", p + o.head_w, D, D, D, 0, true));
  t.push_back(vector_tensor("cls.predictions.transform.dense.bias", p + o.head_b, D));
  t.push_back(vector_tensor("cls.predictions.transform.LayerNorm.weight", p + o.head_ln_w, D));
  t.push_back(vector_tensor("cls.predictions.transform.LayerNorm.bias", p + o.head_ln_b, D));
  t.push_back(vector_tensor("cls.predictions.bias", p + o.out_bias, s.vocab_size));
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
