// Backward pass of the trainable models: the forward pass of transformer.cpp
// read bottom to top, each op's gradient in tensor_math.cpp.
#include "train/transformer.h"

#include <cmath>

#include "core/parallel.h"
#include "train/attention_math.h"

namespace attnscope::train {

template <class S>
void Transformer<S>::backward(const Batch& batch, Cache& cache, Mat<S>& dlogits) {
  const ModelShape& s = shape_;
  const int B = cache.batch, T = cache.tokens, N = B * T, D = s.dim;

  // Output head, tied to the token embeddings.
  Mat<S> dhead_in;  // [R, D]
  if (s.arch == Arch::Gpt) {
    tied_head_backward<S>(cache.head_in, p(layout_.tok_emb), dlogits, s.vocab_size, dhead_in, g(layout_.tok_emb), nullptr);
  } else {
    Mat<S> dout, dact, dpre;
    tied_head_backward<S>(cache.head_out, p(layout_.tok_emb), dlogits, s.vocab_size, dout, g(layout_.tok_emb),
                          g(layout_.out_bias));
    layer_norm_backward(dout, p(layout_.head_ln_w), cache.head_ln, dact, g(layout_.head_ln_w), g(layout_.head_ln_b));
    gelu_backward(gelu_, cache.head_pre, dact, dpre);
    linear_backward(cache.head_in, p(layout_.head_w), dpre, D, D, &dhead_in, g(layout_.head_w), g(layout_.head_b));
  }
  Mat<S> dx = Mat<S>::Zero(N, D);  // [N, D] gradient of the residual stream
  for (int r = 0; r < static_cast<int>(cache.rows.size()); ++r) dx.row(cache.rows[static_cast<size_t>(r)]) += dhead_in.row(r);
  if (s.arch == Arch::Gpt) {
    Mat<S> d;
    layer_norm_backward(dx, p(layout_.final_ln_w), cache.final_ln, d, g(layout_.final_ln_w), g(layout_.final_ln_b));
    dx = std::move(d);
  }

  Mat<S> d;
  for (int l = s.n_layers - 1; l >= 0; --l) {
    const LayerOffsets& o = layout_.layers[static_cast<size_t>(l)];
    LayerCache& lc = cache.layers[static_cast<size_t>(l)];
    if (s.arch == Arch::Gpt) {
      // x2 = x1 + mlp(ln2(x1)): d x1 = d x2 + ln2'(mlp'(d x2))
      layer_norm_backward(mlp_backward(o, lc, dx), p(o.ln2_w), lc.ln2, d, g(o.ln2_w), g(o.ln2_b));
      dx += d;
      // x1 = x0 + attn(ln1(x0))
      layer_norm_backward(attention_backward(o, lc, B, T, dx), p(o.ln1_w), lc.ln1, d, g(o.ln1_w), g(o.ln1_b));
      dx += d;
    } else {
      // out = ln2(y + mlp(y)), y = ln1(x + attn(x))
      Mat<S> dsum2, dsum1;
      layer_norm_backward(dx, p(o.ln2_w), lc.ln2, dsum2, g(o.ln2_w), g(o.ln2_b));
      Mat<S> dy = dsum2 + mlp_backward(o, lc, dsum2);
      layer_norm_backward(dy, p(o.ln1_w), lc.ln1, dsum1, g(o.ln1_w), g(o.ln1_b));
      dx = dsum1 + attention_backward(o, lc, B, T, dsum1);
    }
  }

  if (s.arch == Arch::Bert) {
    layer_norm_backward(dx, p(layout_.emb_ln_w), cache.emb_ln, d, g(layout_.emb_ln_w), g(layout_.emb_ln_b));
    dx = std::move(d);
  }
  // Embedding rows gather, so their gradients scatter-add.
  MatMap<S> dtok(g(layout_.tok_emb), s.vocab_size, D), dpos(g(layout_.pos_emb), s.max_positions, D);
  for (int r = 0; r < N; ++r) {
    dtok.row(batch.ids[static_cast<size_t>(r)]) += dx.row(r);
    dpos.row(r % T) += dx.row(r);
    if (s.arch == Arch::Bert) {
      const int type = batch.types.empty() ? 0 : batch.types[static_cast<size_t>(r)];
      MatMap<S>(g(layout_.type_emb), s.n_token_types, D).row(type) += dx.row(r);
    }
  }
}

template <class S>
Mat<S> Transformer<S>::mlp_backward(const LayerOffsets& o, LayerCache& lc, const Mat<S>& dout) {
  const int D = shape_.dim, F = shape_.ffn_dim;
  Mat<S> dact, dpre, din;
  linear_backward(lc.up_act, p(o.down_w), dout, F, D, &dact, g(o.down_w), g(o.down_b));
  gelu_backward(gelu_, lc.up_pre, dact, dpre);
  linear_backward(lc.mlp_in, p(o.up_w), dpre, D, F, &din, g(o.up_w), g(o.up_b));
  return din;  // [N, D]
}

template <class S>
Mat<S> Transformer<S>::attention_backward(const LayerOffsets& o, LayerCache& lc, int B, int T, const Mat<S>& dout) {
  const int H = shape_.n_heads, D = shape_.dim, Dh = shape_.head_dim();
  Mat<S> dctx;  // [N, D]
  linear_backward(lc.ctx, p(o.proj_w), dout, D, D, &dctx, g(o.proj_w), g(o.proj_b));
  Mat<S> dqkv(static_cast<Eigen::Index>(B) * T, 3 * D);  // [N, 3D]
  const AttentionShape a{B, T, T, H, Dh, shape_.arch == Arch::Gpt, nullptr};
  train::attention_backward<S>(a, {&lc.qkv, 0}, {&lc.qkv, D}, {&lc.qkv, 2 * D}, lc.probs, dctx, {&dqkv, 0}, {&dqkv, D}, {&dqkv, 2 * D});
  Mat<S> din;  // [N, D]
  linear_backward(lc.attn_in, p(o.qkv_w), dqkv, D, 3 * D, &din, g(o.qkv_w), g(o.qkv_b));
  return din;
}

#define ATTNSCOPE_INSTANTIATE_BACKWARD(S)                                                                    \
  template void Transformer<S>::backward(const Batch&, Cache&, Mat<S>&);                                     \
  template Mat<S> Transformer<S>::mlp_backward(const LayerOffsets&, LayerCache&, const Mat<S>&);             \
  template Mat<S> Transformer<S>::attention_backward(const LayerOffsets&, LayerCache&, int, int, const Mat<S>&);

ATTNSCOPE_INSTANTIATE_BACKWARD(float)
ATTNSCOPE_INSTANTIATE_BACKWARD(double)

}  // namespace attnscope::train
