#include "bench/breakdown.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "bench/machine.h"
#include "core/ops.h"
#include "core/parallel.h"
#include "core/snapshot.h"

namespace attnscope::bench {
namespace {

// Adds the seconds since construction (or the last lap) to a bucket.
class Lap {
 public:
  Lap() : start_(now_seconds()) {}
  void to(double& bucket) {
    const double t = now_seconds();
    bucket += t - start_;
    start_ = t;
  }

 private:
  double start_;
};

struct HeadTimes {
  double copies = 0, scores = 0, softmax = 0, pv = 0;
};

MatrixRM attention_step(const Model& model, int layer, const MatrixRM& h, HeadCapture* captures, Breakdown& b) {
  const ModelConfig& c = model.config;
  const LayerWeights& lw = model.weights.layers[static_cast<size_t>(layer)];
  const int T = static_cast<int>(h.rows()), Dh = c.head_dim;
  const int group = c.n_heads / c.n_kv_heads;
  Lap lap;
  MatrixRM q = linear(h, lw.wq);  // [T, H*Dh]
  MatrixRM k = linear(h, lw.wk);  // [T, Hkv*Dh]
  MatrixRM v = linear(h, lw.wv);  // [T, Hkv*Dh]
  apply_rope(q, c.n_heads, Dh, c.rope_theta, c.rope);
  apply_rope(k, c.n_kv_heads, Dh, c.rope_theta, c.rope);
  lap.to(b.qkv);

  const bool plain_causal = c.causal;
  const float neg_inf = -std::numeric_limits<float>::infinity();
  const double mask_start = now_seconds();
  MatrixRM mask;  // [T, T]
  if (!plain_causal) mask = MatrixRM::Zero(T, T);
  (void)neg_inf;
  b.mask_build += now_seconds() - mask_start;

  MatrixRM context(T, c.n_heads * Dh);  // [T, H*Dh]
  const float scale = 1.0f / std::sqrt(static_cast<float>(Dh));
  std::vector<HeadTimes> times(static_cast<size_t>(c.n_heads));  // [H]
  parallel_for(c.n_heads, [&](int hd) {
    const int kv = hd / group;
    HeadCapture& cap = captures[hd];
    HeadTimes& t = times[static_cast<size_t>(hd)];
    Lap head_lap;
    cap.q = q.middleCols(hd * Dh, Dh);  // [T, Dh]
    cap.k = k.middleCols(kv * Dh, Dh);  // [T, Dh]
    cap.v = v.middleCols(kv * Dh, Dh);  // [T, Dh]
    head_lap.to(t.copies);
    cap.probs.noalias() = cap.q * cap.k.transpose();  // [T, T]
    head_lap.to(t.scores);
    if (plain_causal) {
      causal_softmax_rows(cap.probs, scale);
    } else {
      cap.probs *= scale;
      softmax_rows(cap.probs);
    }
    head_lap.to(t.softmax);
    if (plain_causal)
      cap.out.noalias() = cap.probs.triangularView<Eigen::Lower>() * cap.v;  // [T, Dh]
    else
      cap.out.noalias() = cap.probs * cap.v;
    head_lap.to(t.pv);
    context.middleCols(hd * Dh, Dh) = cap.out;
    head_lap.to(t.copies);
  });
  for (const HeadTimes& t : times) {
    b.head_copies += t.copies;
    b.head_scores += t.scores;
    b.head_softmax += t.softmax;
    b.head_pv += t.pv;
  }
  lap.to(b.attention);
  MatrixRM out = linear(context, lw.wo);  // [T, D]
  lap.to(b.out_proj);
  return out;
}

MatrixRM mlp_step(const Model& model, int layer, const MatrixRM& h, Breakdown& b) {
  const ModelConfig& c = model.config;
  const LayerWeights& lw = model.weights.layers[static_cast<size_t>(layer)];
  Lap lap;
  MatrixRM up = linear(h, lw.ffn_up);  // [T, F]
  if (c.activation == Activation::SwiGlu) {
    MatrixRM gate = linear(h, lw.ffn_gate);  // [T, F]
    lap.to(b.mlp_linear);
    silu(gate);
    up.array() *= gate.array();
    lap.to(b.activation);
  } else {
    lap.to(b.mlp_linear);
    apply_activation(up, c.activation);
    lap.to(b.activation);
  }
  MatrixRM down = linear(up, lw.ffn_down);  // [T, D]
  lap.to(b.mlp_linear);
  return down;
}

// The same work as forward.cpp's predict(): per row a softmax denominator, a
// top-5 partial sort over V ids and display strings, rows split over the pool.
void top_k_step(const Model& model, const Eigen::Ref<const MatrixRM>& logits /* [R, V] */, int first_position,
                std::vector<std::vector<Prediction>>& top /* [T][k] */) {
  const int V = static_cast<int>(logits.cols());
  const int k = std::min(5, V);
  const int rows = static_cast<int>(logits.rows());
  const int chunks = std::min(rows, parallel_threads());
  parallel_for(chunks, [&](int chunk) {
    std::vector<int> order(static_cast<size_t>(V));
    for (int r = rows * chunk / chunks; r < rows * (chunk + 1) / chunks; ++r) {
      auto row = logits.row(r);
      const float max = row.maxCoeff();
      std::vector<float> e(static_cast<size_t>(V));
      Eigen::Map<Eigen::ArrayXf> ex(e.data(), V);
      ex = row.array().transpose() - max;
      ex = ex.exp();
      double sum = 0;
      for (int b = 0; b < V; b += 1024) sum += ex.segment(b, std::min(1024, V - b)).sum();
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [&](int a, int b) { return row(a) > row(b) || (row(a) == row(b) && a < b); });
      auto& out = top[static_cast<size_t>(first_position + r)];
      out.clear();
      for (int i = 0; i < k; ++i) {
        Prediction p;
        p.id = order[static_cast<size_t>(i)];
        p.logit = row(p.id);
        p.prob = static_cast<float>(std::exp(static_cast<double>(p.logit - max)) / sum);
        p.text = model.tokenizer->display_piece(p.id);
        out.push_back(std::move(p));
      }
    }
  });
}

}  // namespace

Breakdown time_forward_steps(const Model& model, const std::vector<int>& token_ids) {
  const ModelConfig& c = model.config;
  const ModelWeights& w = model.weights;
  const int T = static_cast<int>(token_ids.size());
  Breakdown b;
  const double start = now_seconds();
  Lap lap;

  std::vector<HeadCapture> heads(static_cast<size_t>(c.n_layers * c.n_heads));  // [L * H]
  std::vector<MatrixRM> residual;                                             // [L + 1] each [T, D]
  residual.reserve(static_cast<size_t>(c.n_layers + 1));
  MatrixRM x(T, c.dim);  // [T, D]
  for (int t = 0; t < T; ++t) {
    x.row(t) = Eigen::Map<const Eigen::RowVectorXf>(w.token_embedding + static_cast<std::int64_t>(token_ids[static_cast<size_t>(t)]) * c.dim, c.dim);
    if (w.position_embedding) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(w.position_embedding + static_cast<std::int64_t>(t) * c.dim, c.dim);
    if (w.token_type_embedding) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(w.token_type_embedding, c.dim);
  }
  if (w.embedding_norm.weight) layer_norm(x, w.embedding_norm, c.norm_eps);
  lap.to(b.embed);
  residual.push_back(x);
  lap.to(b.copies);

  for (int l = 0; l < c.n_layers; ++l) {
    const LayerWeights& lw = w.layers[static_cast<size_t>(l)];
    HeadCapture* caps = &heads[static_cast<size_t>(l * c.n_heads)];
    if (c.pre_norm) {
      MatrixRM h = x;
      lap.to(b.copies);
      apply_norm(h, lw.attn_norm, c.norm, c.norm_eps);
      lap.to(b.norms);
      MatrixRM a = attention_step(model, l, h, caps, b);
      lap = Lap();
      x += a;
      h = x;
      lap.to(b.copies);
      apply_norm(h, lw.ffn_norm, c.norm, c.norm_eps);
      lap.to(b.norms);
      MatrixRM m = mlp_step(model, l, h, b);
      lap = Lap();
      x += m;
    } else {
      MatrixRM a = attention_step(model, l, x, caps, b);
      lap = Lap();
      x += a;
      lap.to(b.copies);
      apply_norm(x, lw.attn_norm, c.norm, c.norm_eps);
      lap.to(b.norms);
      MatrixRM m = mlp_step(model, l, x, b);
      lap = Lap();
      x += m;
      lap.to(b.copies);
      apply_norm(x, lw.ffn_norm, c.norm, c.norm_eps);
      lap.to(b.norms);
    }
    residual.push_back(x);
    lap.to(b.copies);
  }
  if (w.final_norm.weight) apply_norm(x, w.final_norm, c.norm, c.norm_eps);
  lap.to(b.norms);

  if (c.has_lm_head) {
    // As forward.cpp: logits in blocks of 128 rows, each block's top-k right away.
    constexpr int kRowsPerBlock = 128;
    std::vector<std::vector<Prediction>> top(static_cast<size_t>(T));  // [T][k]
    for (int r = 0; r < T; r += kRowsPerBlock) {
      const int rows = std::min(kRowsPerBlock, T - r);
      MatrixRM hidden = x.middleRows(r, rows);  // [R, D]
      if (c.masked_lm) {
        hidden = linear(hidden, w.mlm_transform);
        apply_activation(hidden, c.activation);
        layer_norm(hidden, w.mlm_norm, c.norm_eps);
      }
      MatrixRM logits = matmul_transposed(hidden, w.lm_head, c.vocab_size, w.lm_head_bias);  // [R, V]
      lap.to(b.lm_head);
      top_k_step(model, logits, r, top);
      lap.to(b.top_k);
    }
  }
  b.total = now_seconds() - start;
  return b;
}

Breakdown median_breakdown(const std::vector<Breakdown>& runs) {
  Breakdown m;
  const auto med = [&](double Breakdown::*field) {
    std::vector<double> v;
    for (const Breakdown& r : runs) v.push_back(r.*field);
    m.*field = median(v);
  };
  for (double Breakdown::*f : {&Breakdown::embed, &Breakdown::copies, &Breakdown::norms, &Breakdown::qkv,
                               &Breakdown::attention, &Breakdown::out_proj, &Breakdown::mlp_linear, &Breakdown::activation,
                               &Breakdown::lm_head, &Breakdown::top_k, &Breakdown::total, &Breakdown::head_copies,
                               &Breakdown::head_scores, &Breakdown::head_softmax, &Breakdown::head_pv, &Breakdown::mask_build})
    med(f);
  return m;
}

}  // namespace attnscope::bench
