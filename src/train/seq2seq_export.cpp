#include "train/seq2seq_export.h"

#include "core/atomic_file.h"
#include "core/encoder_decoder.h"
#include "core/error.h"
#include "core/families.h"
#include "core/families_seq2seq.h"
#include "train/hf_export.h"

namespace attnscope::train {
namespace {

std::string name_of(const std::string& role, int layer, const char* suffix) { return tensor_name(role, layer, "") + suffix; }

// One nn.Linear from a column block of a trainer matrix stored [D, cols].
void push_linear(std::vector<NamedTensor>& t, const std::string& role, int layer, const float* w, const float* b, std::int64_t in,
                 std::int64_t out, std::int64_t stride, std::int64_t col0) {
  t.push_back(matrix_tensor(name_of(role, layer, ".weight"), w, in, out, stride, col0, true));  // [out, in]
  t.push_back(vector_tensor(name_of(role, layer, ".bias"), b + col0, out));
}

void push_norm(std::vector<NamedTensor>& t, const std::string& role, int layer, const float* w, const float* b, std::int64_t D) {
  t.push_back(vector_tensor(name_of(role, layer, ".weight"), w, D));
  t.push_back(vector_tensor(name_of(role, layer, ".bias"), b, D));
}

void push_self_attention(std::vector<NamedTensor>& t, const Seq2SeqLayerNames& n, int i, const AttentionOffsets& o, const float* p,
                         std::int64_t D) {
  const std::string* roles[3] = {&n.wq, &n.wk, &n.wv};
  for (int part = 0; part < 3; ++part) push_linear(t, *roles[part], i, p + o.q_w, p + o.q_b, D, D, 3 * D, part * D);
  push_linear(t, n.wo, i, p + o.out_w, p + o.out_b, D, D, D, 0);
  push_norm(t, n.attn_norm, i, p + o.ln_w, p + o.ln_b, D);
}

void push_cross_attention(std::vector<NamedTensor>& t, const Seq2SeqLayerNames& n, int i, const AttentionOffsets& o, const float* p,
                          std::int64_t D) {
  push_linear(t, n.cross_wq, i, p + o.q_w, p + o.q_b, D, D, D, 0);
  push_linear(t, n.cross_wk, i, p + o.kv_w, p + o.kv_b, D, D, 2 * D, 0);
  push_linear(t, n.cross_wv, i, p + o.kv_w, p + o.kv_b, D, D, 2 * D, D);
  push_linear(t, n.cross_wo, i, p + o.out_w, p + o.out_b, D, D, D, 0);
  push_norm(t, n.cross_norm, i, p + o.ln_w, p + o.ln_b, D);
}

void push_ffn(std::vector<NamedTensor>& t, const Seq2SeqLayerNames& n, int i, const FfnOffsets& o, const float* p, std::int64_t D,
              std::int64_t F) {
  push_linear(t, n.ffn_up, i, p + o.fc1_w, p + o.fc1_b, D, F, F, 0);
  push_linear(t, n.ffn_down, i, p + o.fc2_w, p + o.fc2_b, F, D, D, 0);
  push_norm(t, n.ffn_norm, i, p + o.ln_w, p + o.ln_b, D);
}

}  // namespace

std::vector<NamedTensor> marian_tensors(const Seq2SeqShape& s, const Seq2SeqLayout& o, const std::vector<float>& params) {
  if (params.size() != o.total)
    throw Error("export: " + std::to_string(params.size()) + " parameters, the layout has " + std::to_string(o.total));
  const Seq2SeqNameTable& n = *seq2seq_names("marian");
  const float* p = params.data();
  const std::int64_t D = s.dim, F = s.ffn_dim, V = s.vocab_size, P = s.max_positions;
  std::vector<NamedTensor> t;
  t.push_back(matrix_tensor(n.shared_embedding + ".weight", p + o.shared, V, D, D, 0, false));
  NamedTensor bias = vector_tensor(n.final_logits_bias, p + o.logits_bias, V);
  bias.shape = {1, V};  // a [1, V] buffer in MarianMTModel
  t.push_back(std::move(bias));
  const std::vector<float> table = marian_sinusoid_table(s.max_positions, s.dim);
  for (const std::string* role : {&n.encoder_positions, &n.decoder_positions})
    t.push_back(NamedTensor{*role + ".weight", {P, D}, table, DType::F32});
  for (int i = 0; i < s.encoder_layers; ++i) {
    const EncoderLayerOffsets& l = o.encoder[static_cast<size_t>(i)];
    push_self_attention(t, n.encoder, i, l.self, p, D);
    push_ffn(t, n.encoder, i, l.ffn, p, D, F);
  }
  for (int i = 0; i < s.decoder_layers; ++i) {
    const DecoderLayerOffsets& l = o.decoder[static_cast<size_t>(i)];
    push_self_attention(t, n.decoder, i, l.self, p, D);
    push_cross_attention(t, n.decoder, i, l.cross, p, D);
    push_ffn(t, n.decoder, i, l.ffn, p, D, F);
  }
  return t;
}

nlohmann::json marian_config(const Seq2SeqShape& s) {
  return {{"model_type", "marian"},
          {"architectures", {"MarianMTModel"}},
          {"is_encoder_decoder", true},
          {"d_model", s.dim},
          {"encoder_layers", s.encoder_layers},
          {"decoder_layers", s.decoder_layers},
          {"num_hidden_layers", s.encoder_layers},
          {"encoder_attention_heads", s.n_heads},
          {"decoder_attention_heads", s.n_heads},
          {"encoder_ffn_dim", s.ffn_dim},
          {"decoder_ffn_dim", s.ffn_dim},
          {"vocab_size", s.vocab_size},
          {"decoder_vocab_size", s.vocab_size},
          {"share_encoder_decoder_embeddings", true},
          {"max_position_embeddings", s.max_positions},
          {"max_length", s.max_positions},
          {"static_position_embeddings", true},
          {"activation_function", "swish"},
          {"scale_embedding", true},
          {"normalize_before", false},
          {"normalize_embedding", false},
          {"add_final_layer_norm", false},
          {"add_bias_logits", false},
          {"pad_token_id", s.pad_id},
          {"decoder_start_token_id", s.pad_id},
          {"eos_token_id", s.eos_id},
          {"forced_eos_token_id", s.eos_id},
          {"bos_token_id", 0},
          {"bad_words_ids", {{s.pad_id}}},  // MarianMTModel never generates <pad>
          {"num_beams", 4},
          {"init_std", 0.02},
          {"dropout", 0.0},
          {"attention_dropout", 0.0},
          {"activation_dropout", 0.0},
          {"encoder_layerdrop", 0.0},
          {"decoder_layerdrop", 0.0},
          {"use_cache", true},
          {"torch_dtype", "float32"}};
}

void export_marian_model(const std::filesystem::path& folder, const Seq2SeqShape& shape, const Seq2SeqLayout& layout,
                         const std::vector<float>& params) {
  std::filesystem::create_directories(folder);
  // A re-export replaces the folder's files on purpose, each one atomically.
  write_file_atomically(folder / "config.json", marian_config(shape).dump(2) + "\n", Overwrite::Allow);
  write_safetensors(folder / "model.safetensors", marian_tensors(shape, layout, params), {{"format", "pt"}}, Overwrite::Allow);
}

}  // namespace attnscope::train
