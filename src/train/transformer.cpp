// Forward pass of the trainable models, read top to bottom like the engine's
// src/core/forward.cpp, keeping what the backward pass needs.
#include "train/transformer.h"

#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/parallel.h"
#include "train/attention_math.h"

namespace attnscope::train {

template <class S>
Transformer<S>::Transformer(const ModelShape& shape)
    : shape_(shape), layout_(make_layout(shape)), gelu_(shape.arch == Arch::Gpt ? GeluKind::Tanh : GeluKind::Erf) {
  params.assign(layout_.total, S(0));
  grads.assign(layout_.total, S(0));
}

template <class S>
void Transformer<S>::forward(const Batch& batch, Cache& cache) {
  const ModelShape& s = shape_;
  const int B = batch.batch, T = batch.tokens, N = B * T, D = s.dim;
  if (B <= 0 || T <= 0 || static_cast<int>(batch.ids.size()) != N)
    throw Error("batch: " + std::to_string(batch.ids.size()) + " ids for " + std::to_string(B) + " x " + std::to_string(T));
  if (T > s.max_positions)
    throw Error("batch: " + std::to_string(T) + " tokens, more than the model's " + std::to_string(s.max_positions) + " positions");
  if (!batch.types.empty() && static_cast<int>(batch.types.size()) != N) throw Error("batch: types do not match ids");
  cache.batch = B;
  cache.tokens = T;

  // Embeddings: token + position (+ segment, then LayerNorm for BERT).
  Mat<S> x(N, D);  // [N, D] the residual stream
  ConstMatMap<S> tok(p(layout_.tok_emb), s.vocab_size, D), pos(p(layout_.pos_emb), s.max_positions, D);
  for (int r = 0; r < N; ++r) {
    const int id = batch.ids[static_cast<size_t>(r)];
    if (id < 0 || id >= s.vocab_size) throw Error("batch: token id " + std::to_string(id) + " outside the vocabulary");
    x.row(r) = tok.row(id) + pos.row(r % T);
    if (s.arch == Arch::Bert) {
      const int type = batch.types.empty() ? 0 : batch.types[static_cast<size_t>(r)];
      if (type < 0 || type >= s.n_token_types) throw Error("batch: token type " + std::to_string(type) + " out of range");
      x.row(r) += ConstMatMap<S>(p(layout_.type_emb), s.n_token_types, D).row(type);
    }
  }
  if (s.arch == Arch::Bert) {
    Mat<S> normed;
    layer_norm_forward(x, p(layout_.emb_ln_w), p(layout_.emb_ln_b), s.norm_eps, normed, cache.emb_ln);
    x = std::move(normed);
  }

  cache.layers.resize(static_cast<size_t>(s.n_layers));
  for (int l = 0; l < s.n_layers; ++l) {
    const LayerOffsets& o = layout_.layers[static_cast<size_t>(l)];
    LayerCache& lc = cache.layers[static_cast<size_t>(l)];
    if (s.arch == Arch::Gpt) {
      // x += attn(ln1(x)); x += mlp(ln2(x))
      layer_norm_forward(x, p(o.ln1_w), p(o.ln1_b), s.norm_eps, lc.attn_in, lc.ln1);
      x += attention_forward(batch, o, lc);
      layer_norm_forward(x, p(o.ln2_w), p(o.ln2_b), s.norm_eps, lc.mlp_in, lc.ln2);
      x += mlp_forward(o, lc);
    } else {
      // x = ln1(x + attn(x)); x = ln2(x + mlp(x))
      lc.attn_in = x;
      Mat<S> sum = x + attention_forward(batch, o, lc);
      layer_norm_forward(sum, p(o.ln1_w), p(o.ln1_b), s.norm_eps, lc.mlp_in, lc.ln1);
      sum = lc.mlp_in + mlp_forward(o, lc);
      layer_norm_forward(sum, p(o.ln2_w), p(o.ln2_b), s.norm_eps, x, lc.ln2);
    }
  }
  if (s.arch == Arch::Gpt)
    layer_norm_forward(x, p(layout_.final_ln_w), p(layout_.final_ln_b), s.norm_eps, cache.final_h, cache.final_ln);
  else
    cache.final_h = std::move(x);
}

template <class S>
Mat<S> Transformer<S>::attention_forward(const Batch& batch, const LayerOffsets& o, LayerCache& lc) {
  const int B = batch.batch, T = batch.tokens, H = shape_.n_heads, D = shape_.dim, Dh = shape_.head_dim();
  const bool causal = shape_.arch == Arch::Gpt;
  linear_forward(lc.attn_in, p(o.qkv_w), p(o.qkv_b), D, 3 * D, lc.qkv);  // [N, 3D] = q | k | v
  AttentionShape a{B, T, T, H, Dh, causal, nullptr};
  train::attention_forward<S>(a, {&lc.qkv, 0}, {&lc.qkv, D}, {&lc.qkv, 2 * D}, lc.probs, lc.ctx);
  Mat<S> out;
  linear_forward(lc.ctx, p(o.proj_w), p(o.proj_b), D, D, out);  // [N, D]
  return out;
}

template <class S>
Mat<S> Transformer<S>::mlp_forward(const LayerOffsets& o, LayerCache& lc) {
  const int D = shape_.dim, F = shape_.ffn_dim;
  linear_forward(lc.mlp_in, p(o.up_w), p(o.up_b), D, F, lc.up_pre);  // [N, F]
  gelu_forward(gelu_, lc.up_pre, lc.up_act);
  Mat<S> out;
  linear_forward(lc.up_act, p(o.down_w), p(o.down_b), F, D, out);  // [N, D]
  return out;
}

template <class S>
Mat<S> Transformer<S>::head_forward(Cache& cache) {
  const int D = shape_.dim, R = static_cast<int>(cache.rows.size());
  cache.head_in.resize(R, D);
  for (int r = 0; r < R; ++r) cache.head_in.row(r) = cache.final_h.row(cache.rows[static_cast<size_t>(r)]);
  Mat<S> logits;  // [R, V]
  if (shape_.arch == Arch::Gpt) {
    tied_head_forward<S>(cache.head_in, p(layout_.tok_emb), nullptr, shape_.vocab_size, logits);
  } else {
    // MLM head: ln(gelu(dense(h))) · Eᵀ + bias
    linear_forward(cache.head_in, p(layout_.head_w), p(layout_.head_b), D, D, cache.head_pre);
    gelu_forward(gelu_, cache.head_pre, cache.head_act);
    layer_norm_forward(cache.head_act, p(layout_.head_ln_w), p(layout_.head_ln_b), shape_.norm_eps, cache.head_out,
                       cache.head_ln);
    tied_head_forward<S>(cache.head_out, p(layout_.tok_emb), p(layout_.out_bias), shape_.vocab_size, logits);
  }
  return logits;
}

template <class S>
double Transformer<S>::loss(const Batch& batch, bool want_backward) {
  Cache cache;
  forward(batch, cache);
  std::vector<int> targets;
  if (static_cast<int>(batch.targets.size()) != batch.batch * batch.tokens) throw Error("batch: targets do not match ids");
  for (int r = 0; r < static_cast<int>(batch.targets.size()); ++r) {
    if (batch.targets[static_cast<size_t>(r)] < 0) continue;
    cache.rows.push_back(r);
    targets.push_back(batch.targets[static_cast<size_t>(r)]);
  }
  if (targets.empty()) throw Error("batch: no position has a target");
  Mat<S> logits = head_forward(cache);
  const double value = cross_entropy(logits, targets, want_backward);
  if (want_backward) backward(batch, cache, logits);
  return value;
}

template <class S>
Mat<S> Transformer<S>::logits(const Batch& batch) {
  Cache cache;
  forward(batch, cache);
  for (int r = 0; r < batch.batch * batch.tokens; ++r) cache.rows.push_back(r);
  return head_forward(cache);
}

template class Transformer<float>;
template class Transformer<double>;

}  // namespace attnscope::train
