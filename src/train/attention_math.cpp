#include "train/attention_math.h"

#include <cmath>
#include <limits>

#include "core/parallel.h"

namespace attnscope::train {

template <class S>
void attention_forward(const AttentionShape& a, HeadBlocks<S> q, HeadBlocks<S> k, HeadBlocks<S> v, std::vector<Mat<S>>& probs,
                       Mat<S>& ctx) {
  const int H = a.heads, Dh = a.head_dim, Tq = a.queries, Tk = a.keys;
  ctx.resize(static_cast<Eigen::Index>(a.batch) * Tq, H * Dh);
  probs.resize(static_cast<size_t>(a.batch * H));
  const S scale = static_cast<S>(1.0 / std::sqrt(static_cast<double>(Dh)));
  parallel_for(a.batch * H, [&](int task) {
    const int b = task / H, h = task % H;
    const auto qh = q.m->block(b * Tq, q.col + h * Dh, Tq, Dh);  // [Tq, Dh]
    const auto kh = k.m->block(b * Tk, k.col + h * Dh, Tk, Dh);  // [Tk, Dh]
    const auto vh = v.m->block(b * Tk, v.col + h * Dh, Tk, Dh);  // [Tk, Dh]
    Mat<S>& p = probs[static_cast<size_t>(task)];                 // [Tq, Tk]
    p.noalias() = (qh * kh.transpose()) * scale;
    for (int i = 0; i < Tq; ++i) {
      // Softmax over the visible keys; hidden ones get exactly 0, so the
      // backward pass needs no mask of its own.
      const int visible = a.causal ? std::min(i + 1, Tk) : Tk;
      auto row = p.row(i).head(visible);
      const auto hidden = [&](int j) { return a.key_visible && !(*a.key_visible)[static_cast<size_t>(b * Tk + j)]; };
      for (int j = 0; j < visible; ++j)
        if (hidden(j)) row(j) = -std::numeric_limits<S>::infinity();
      const S max = row.maxCoeff();
      row = (row.array() - max).exp().matrix();
      // Eigen's vectorised exp clamps its argument, so exp(-inf) is a tiny denormal, not 0.
      for (int j = 0; j < visible; ++j)
        if (hidden(j)) row(j) = S(0);
      row /= row.sum();
      if (visible < Tk) p.row(i).tail(Tk - visible).setZero();
    }
    ctx.block(b * Tq, h * Dh, Tq, Dh).noalias() = p * vh;
  });
}

template <class S>
void attention_backward(const AttentionShape& a, HeadBlocks<S> q, HeadBlocks<S> k, HeadBlocks<S> v, const std::vector<Mat<S>>& probs,
                        const Mat<S>& dctx, HeadGrads<S> dq, HeadGrads<S> dk, HeadGrads<S> dv) {
  const int H = a.heads, Dh = a.head_dim, Tq = a.queries, Tk = a.keys;
  const S scale = static_cast<S>(1.0 / std::sqrt(static_cast<double>(Dh)));
  parallel_for(a.batch * H, [&](int task) {
    const int b = task / H, h = task % H;
    const auto qh = q.m->block(b * Tq, q.col + h * Dh, Tq, Dh);
    const auto kh = k.m->block(b * Tk, k.col + h * Dh, Tk, Dh);
    const auto vh = v.m->block(b * Tk, v.col + h * Dh, Tk, Dh);
    const auto dctx_head = dctx.block(b * Tq, h * Dh, Tq, Dh);  // [Tq, Dh]
    const Mat<S>& p = probs[static_cast<size_t>(task)];           // [Tq, Tk]
    // out = P·V: dV = Pᵀ·dout, dP = dout·Vᵀ
    dv.m->block(b * Tk, dv.col + h * Dh, Tk, Dh).noalias() = p.transpose() * dctx_head;
    Mat<S> dscores = dctx_head * vh.transpose();  // [Tq, Tk]
    // Softmax: dS = P ⊙ (dP - rowsum(dP ⊙ P)); hidden keys have P = 0 and stay 0.
    const Eigen::Matrix<S, Eigen::Dynamic, 1> row_dot = dscores.cwiseProduct(p).rowwise().sum();  // [Tq]
    dscores = p.cwiseProduct(dscores - row_dot.replicate(1, Tk));
    dq.m->block(b * Tq, dq.col + h * Dh, Tq, Dh).noalias() = (dscores * kh) * scale;
    dk.m->block(b * Tk, dk.col + h * Dh, Tk, Dh).noalias() = (dscores.transpose() * qh) * scale;
  });
}

#define ATTNSCOPE_INSTANTIATE_ATTENTION(S)                                                                                        \
  template void attention_forward<S>(const AttentionShape&, HeadBlocks<S>, HeadBlocks<S>, HeadBlocks<S>, std::vector<Mat<S>>&,   \
                                     Mat<S>&);                                                                                    \
  template void attention_backward<S>(const AttentionShape&, HeadBlocks<S>, HeadBlocks<S>, HeadBlocks<S>,                        \
                                      const std::vector<Mat<S>>&, const Mat<S>&, HeadGrads<S>, HeadGrads<S>, HeadGrads<S>);

ATTNSCOPE_INSTANTIATE_ATTENTION(float)
ATTNSCOPE_INSTANTIATE_ATTENTION(double)

}  // namespace attnscope::train
