#include "bench/workload.h"

#include "core/weight_panels.h"

namespace attnscope::bench {
namespace {

using ColMap = Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>;

double linear_flops(double T, double in, double out) { return 2.0 * T * in * out; }

double norm_floats(const Norm& n, int dim) { return n.weight ? (n.bias ? 2.0 * dim : 1.0 * dim) : 0.0; }

}  // namespace

double linear_floats(const Linear& l) {
  if (!l.w) return 0;
  return static_cast<double>(l.in) * l.out + (l.b ? l.out : 0);
}

Flops forward_flops(const ModelConfig& c, int n_tokens) {
  const double T = n_tokens, D = c.dim, F = c.ffn_dim, Dh = c.head_dim;
  const double qd = c.n_heads * Dh, kvd = c.n_kv_heads * Dh;
  Flops f;
  double per_layer = linear_flops(T, D, qd) + 2 * linear_flops(T, D, kvd) + linear_flops(T, qd, D) +
                     linear_flops(T, D, F) + linear_flops(T, F, D);
  if (c.activation == Activation::SwiGlu) per_layer += linear_flops(T, D, F);
  f.linear = per_layer * c.n_layers;
  f.attention = 2.0 * 2.0 * T * T * Dh * c.n_heads * c.n_layers;
  if (c.has_lm_head) {
    f.lm_head = linear_flops(T, D, c.vocab_size);
    if (c.masked_lm) f.lm_head += linear_flops(T, D, D);
  }
  return f;
}

double weight_bytes_read(const Model& model, int n_tokens) {
  const ModelConfig& c = model.config;
  const ModelWeights& w = model.weights;
  double floats = 0;
  for (const LayerWeights& lw : w.layers) {
    floats += norm_floats(lw.attn_norm, c.dim) + norm_floats(lw.ffn_norm, c.dim);
    for (const Linear* l : {&lw.wq, &lw.wk, &lw.wv, &lw.wo, &lw.ffn_up, &lw.ffn_gate, &lw.ffn_down}) floats += linear_floats(*l);
  }
  floats += norm_floats(w.final_norm, c.dim) + norm_floats(w.embedding_norm, c.dim);
  if (c.has_lm_head) {
    floats += static_cast<double>(c.vocab_size) * c.dim + (w.lm_head_bias ? c.vocab_size : 0);
    floats += linear_floats(w.mlm_transform) + norm_floats(w.mlm_norm, c.dim);
  }
  const int embedding_tables = 1 + (w.position_embedding ? 1 : 0) + (w.token_type_embedding ? 1 : 0);
  floats += static_cast<double>(n_tokens) * c.dim * embedding_tables;
  return floats * sizeof(float);
}

GemmReference::GemmReference(const Model& model, int T) : model_(model) {
  const ModelConfig& c = model.config;
  const int qd = c.n_heads * c.head_dim, kvd = c.n_kv_heads * c.head_dim;
  x_ = Eigen::MatrixXf::Random(T, c.dim);
  q_.resize(T, qd);
  k_.resize(T, kvd);
  v_.resize(T, kvd);
  probs_ = Eigen::MatrixXf::Random(T, T);
  scores_.resize(T, T);
  context_ = Eigen::MatrixXf::Random(T, qd);
  d_out_.resize(T, c.dim);
  hidden_ = Eigen::MatrixXf::Random(T, c.ffn_dim);
  f_out_.resize(T, c.ffn_dim);
  if (c.has_lm_head) logits_.resize(T, c.vocab_size);
}

// The stored row-major matrix read as a column-major one is its transpose:
// nn.Linear [out, in] becomes Wᵀ [in, out] (y = x·that), Conv1D [in, out]
// becomes W [out, in] (y = x·thatᵀ). Eigen's GEMM packs either without a copy.
void GemmReference::linear(const Linear& l, const Eigen::MatrixXf& x, Eigen::MatrixXf& y) {
  if (l.panels) {  // one plain product per panel of the repacked weights
    y.resize(x.rows(), l.out);
    for (int p = 0; p * kPanelColumns < l.out; ++p) y.middleCols(p * kPanelColumns, panel_width(l, p)).noalias() = x * panel(l, p);
  } else if (l.in_out) {
    ColMap w(l.w, l.out, l.in, Eigen::OuterStride<>(l.stride));
    y.noalias() = x * w.transpose();
  } else {
    ColMap w(l.w, l.in, l.out, Eigen::OuterStride<>(l.stride));
    y.noalias() = x * w;
  }
}

void GemmReference::run() {
  const ModelConfig& c = model_.config;
  const int Dh = c.head_dim, group = c.n_heads / c.n_kv_heads;
  for (const LayerWeights& lw : model_.weights.layers) {
    linear(lw.wq, x_, q_);
    linear(lw.wk, x_, k_);
    linear(lw.wv, x_, v_);
    for (int h = 0; h < c.n_heads; ++h) {
      const int kv = h / group;
      scores_.noalias() = q_.middleCols(h * Dh, Dh) * k_.middleCols(kv * Dh, Dh).transpose();  // [T, T]
      context_.middleCols(h * Dh, Dh).noalias() = probs_ * v_.middleCols(kv * Dh, Dh);      // [T, Dh]
    }
    linear(lw.wo, context_, d_out_);
    linear(lw.ffn_up, x_, f_out_);
    if (c.activation == Activation::SwiGlu) linear(lw.ffn_gate, x_, f_out_);
    linear(lw.ffn_down, hidden_, d_out_);
  }
  if (!c.has_lm_head) return;
  const ModelWeights& w = model_.weights;
  if (c.masked_lm) linear(w.mlm_transform, x_, d_out_);
  linear(output_head(model_), x_, logits_);
}

}  // namespace attnscope::bench
