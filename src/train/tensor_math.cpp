#include "train/tensor_math.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <unsupported/Eigen/SpecialFunctions>

#include "core/error.h"
#include "core/ops.h"
#include "core/parallel.h"
#include "train/train_gemm.h"

namespace attnscope::train {
namespace {

// out[c] += Σ_r m(r, c), rows in order, as a plain loop: an Eigen column
// reduction assigned to a flat parameter array takes a vectorised or a scalar
// path per column depending on where the heap put that array, and the two
// round differently, so a resumed run would drift from the original.
template <class S, class M>
void add_column_sums(const M& m, S* out) {
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) out[c] += m(r, c);
}

template <class S>
int cols(const Mat<S>& m) {
  return static_cast<int>(m.cols());
}
template <class S>
int rows(const Mat<S>& m) {
  return static_cast<int>(m.rows());
}

}  // namespace

void parallel_rows(int n_rows, const std::function<void(int, int)>& fn) {
  const int chunks = n_rows < 16 ? 1 : std::min(parallel_threads() * 2, n_rows);
  split_range(n_rows, chunks, [&](int begin, int count) { fn(begin, begin + count); });
}

template <class S>
void linear_forward(const Mat<S>& x, const S* w, const S* b, int in, int out, Mat<S>& y) {
  if (x.cols() != in) throw Error("linear: input has " + std::to_string(x.cols()) + " columns, expected " + std::to_string(in));
  if constexpr (std::is_same_v<S, float>) {
    // The float path is the engine's own layer, so training and inference share it.
    Linear layer;
    layer.w = w;
    layer.b = b;
    layer.in = in;
    layer.out = out;
    layer.stride = out;
    layer.in_out = true;
    y = linear(x, layer);
  } else {
    ConstMatMap<S> weight(w, in, out);
    y.resize(x.rows(), out);
    for_column_parts(out, [&](int begin, int count) {
      auto block = y.middleCols(begin, count);
      block.noalias() = x * weight.middleCols(begin, count);
      if (b) block.rowwise() += Eigen::Map<const Eigen::Matrix<S, 1, Eigen::Dynamic>>(b + begin, count);
    });
  }
}

template <class S>
void linear_backward(const Mat<S>& x, const S* w, const Mat<S>& dy, int in, int out, Mat<S>* dx, S* dw, S* db) {
  ConstMatMap<S> weight(w, in, out);
  MatMap<S> dweight(dw, in, out);
  if (dx) dx->resize(dy.rows(), in);
  if constexpr (std::is_same_v<S, float>) {
    if (train_gemm() == TrainGemm::Blas) {
      if (dx) parallel_sgemm(false, true, rows(dy), in, out, dy.data(), out, w, out, false, dx->data(), in);
      parallel_sgemm(true, false, in, out, rows(x), x.data(), in, dy.data(), out, true, dw, out);
      if (db) for_column_parts(out, [&](int begin, int count) { add_column_sums(dy.middleCols(begin, count), db + begin); });
      return;
    }
  }
  if (dx) {
    for_column_parts(in, [&](int begin, int count) {
      dx->middleCols(begin, count).noalias() = dy * weight.middleRows(begin, count).transpose();
    });
  }
  for_column_parts(out, [&](int begin, int count) {
    dweight.middleCols(begin, count).noalias() += x.transpose() * dy.middleCols(begin, count);
    if (db) add_column_sums(dy.middleCols(begin, count), db + begin);
  });
}

template <class S>
void tied_head_forward(const Mat<S>& h, const S* e, const S* bias, int vocab, Mat<S>& logits) {
  const int dim = cols(h);
  logits.resize(h.rows(), vocab);
  if constexpr (std::is_same_v<S, float>) {
    if (train_gemm() == TrainGemm::Blas) {
      parallel_sgemm(false, true, rows(h), vocab, dim, h.data(), dim, e, dim, false, logits.data(), vocab);
      if (bias) logits.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias, vocab);
      return;
    }
    // The engine's own head (its [out, in] product), the baseline the bench compares against.
    logits = matmul_transposed(h, e, vocab, bias);
  } else {
    ConstMatMap<S> emb(e, vocab, dim);
    for_column_parts(vocab, [&](int begin, int count) {
      auto block = logits.middleCols(begin, count);
      block.noalias() = h * emb.middleRows(begin, count).transpose();
      if (bias) block.rowwise() += Eigen::Map<const Eigen::Matrix<S, 1, Eigen::Dynamic>>(bias + begin, count);
    });
  }
}

template <class S>
void tied_head_backward(const Mat<S>& h, const S* e, const Mat<S>& dlogits, int vocab, Mat<S>& dh, S* de, S* dbias) {
  const int dim = cols(h);
  ConstMatMap<S> emb(e, vocab, dim);
  MatMap<S> demb(de, vocab, dim);
  dh.resize(h.rows(), dim);
  if constexpr (std::is_same_v<S, float>) {
    if (train_gemm() == TrainGemm::Blas) {
      parallel_sgemm(false, false, rows(dlogits), dim, vocab, dlogits.data(), vocab, e, dim, false, dh.data(), dim);
      parallel_sgemm(true, false, vocab, dim, rows(h), dlogits.data(), vocab, h.data(), dim, true, de, dim);
      if (dbias) for_column_parts(vocab, [&](int begin, int count) { add_column_sums(dlogits.middleCols(begin, count), dbias + begin); });
      return;
    }
  }
  for_column_parts(dim, [&](int begin, int count) {
    dh.middleCols(begin, count).noalias() = dlogits * emb.middleCols(begin, count);
  });
  for_column_parts(vocab, [&](int begin, int count) {
    demb.middleRows(begin, count).noalias() += dlogits.middleCols(begin, count).transpose() * h;
    if (dbias) add_column_sums(dlogits.middleCols(begin, count), dbias + begin);
  });
}

template <class S>
void layer_norm_forward(const Mat<S>& x, const S* w, const S* b, double eps, Mat<S>& y, LayerNormCache<S>& cache) {
  const int n = static_cast<int>(x.rows()), d = static_cast<int>(x.cols());
  Eigen::Map<const Eigen::Matrix<S, 1, Eigen::Dynamic>> weight(w, d), bias(b, d);
  y.resize(n, d);
  cache.xhat.resize(n, d);
  cache.rstd.resize(static_cast<size_t>(n));
  parallel_rows(n, [&](int begin, int end) {
    for (int r = begin; r < end; ++r) {
      const double mean = x.row(r).template cast<double>().mean();
      const double var = (x.row(r).template cast<double>().array() - mean).square().mean();
      const S rstd = static_cast<S>(1.0 / std::sqrt(var + eps));
      cache.rstd[static_cast<size_t>(r)] = rstd;
      cache.xhat.row(r) = (x.row(r).array() - static_cast<S>(mean)) * rstd;
      y.row(r) = cache.xhat.row(r).cwiseProduct(weight) + bias;
    }
  });
}

template <class S>
void layer_norm_backward(const Mat<S>& dy, const S* w, const LayerNormCache<S>& cache, Mat<S>& dx, S* dw, S* db) {
  const int n = static_cast<int>(dy.rows()), d = static_cast<int>(dy.cols());
  Eigen::Map<const Eigen::Matrix<S, 1, Eigen::Dynamic>> weight(w, d);
  dx.resize(n, d);
  parallel_rows(n, [&](int begin, int end) {
    for (int r = begin; r < end; ++r) {
      // dx = rstd · (g - mean(g) - xhat · mean(g ⊙ xhat)) with g = dy ⊙ w
      const Eigen::Matrix<S, 1, Eigen::Dynamic> g = dy.row(r).cwiseProduct(weight);
      const S mean_g = g.mean();
      const S mean_gx = g.cwiseProduct(cache.xhat.row(r)).mean();
      dx.row(r) = (g.array() - mean_g - cache.xhat.row(r).array() * mean_gx) * cache.rstd[static_cast<size_t>(r)];
    }
  });
  // Parameter gradients are column sums.
  add_column_sums(dy.cwiseProduct(cache.xhat), dw);
  add_column_sums(dy, db);
}

template <class S>
void gelu_forward(GeluKind kind, const Mat<S>& x, Mat<S>& y) {
  y.resize(x.rows(), x.cols());
  parallel_rows(static_cast<int>(x.rows()), [&](int begin, int end) {
    const auto a = x.middleRows(begin, end - begin).array();
    if (kind == GeluKind::Tanh) {
      const S k = static_cast<S>(0.79788456080286535588);  // √(2/π)
      y.middleRows(begin, end - begin) = (S(0.5) * a * (S(1) + (k * (a + S(0.044715) * a.cube())).tanh())).matrix();
    } else {
      y.middleRows(begin, end - begin) = (S(0.5) * a * (S(1) + (a * static_cast<S>(0.70710678118654752440)).erf())).matrix();
    }
  });
}

template <class S>
void gelu_backward(GeluKind kind, const Mat<S>& x, const Mat<S>& dy, Mat<S>& dx) {
  dx.resize(x.rows(), x.cols());
  parallel_rows(static_cast<int>(x.rows()), [&](int begin, int end) {
    const auto a = x.middleRows(begin, end - begin).array();
    const auto g = dy.middleRows(begin, end - begin).array();
    if (kind == GeluKind::Tanh) {
      const S k = static_cast<S>(0.79788456080286535588);
      const auto t = (k * (a + S(0.044715) * a.cube())).tanh().eval();
      dx.middleRows(begin, end - begin) =
          (g * (S(0.5) * (S(1) + t) + S(0.5) * a * (S(1) - t.square()) * k * (S(1) + S(3 * 0.044715) * a.square()))).matrix();
    } else {
      const S inv_sqrt_2pi = static_cast<S>(0.39894228040143267794);
      dx.middleRows(begin, end - begin) =
          (g * (S(0.5) * (S(1) + (a * static_cast<S>(0.70710678118654752440)).erf()) +
                a * (S(-0.5) * a.square()).exp() * inv_sqrt_2pi)).matrix();
    }
  });
}

template <class S>
void silu_forward(const Mat<S>& x, Mat<S>& y) {
  y.resize(x.rows(), x.cols());
  parallel_rows(static_cast<int>(x.rows()), [&](int begin, int end) {
    const auto a = x.middleRows(begin, end - begin).array();
    y.middleRows(begin, end - begin) = (a / (S(1) + (-a).exp())).matrix();
  });
}

template <class S>
void silu_backward(const Mat<S>& x, const Mat<S>& dy, Mat<S>& dx) {
  dx.resize(x.rows(), x.cols());
  parallel_rows(static_cast<int>(x.rows()), [&](int begin, int end) {
    const auto a = x.middleRows(begin, end - begin).array();
    const auto sig = (S(1) / (S(1) + (-a).exp())).eval();
    dx.middleRows(begin, end - begin) = (dy.middleRows(begin, end - begin).array() * sig * (S(1) + a * (S(1) - sig))).matrix();
  });
}

template <class S>
double cross_entropy(Mat<S>& logits, const std::vector<int>& targets, bool want_grad) {
  const int n = static_cast<int>(logits.rows()), v = static_cast<int>(logits.cols());
  if (static_cast<int>(targets.size()) != n) throw Error("cross_entropy: " + std::to_string(targets.size()) + " targets for " + std::to_string(n) + " rows");
  if (n == 0) return 0.0;
  std::vector<double> row_loss(static_cast<size_t>(n));
  parallel_rows(n, [&](int begin, int end) {
    for (int r = begin; r < end; ++r) {
      const int target = targets[static_cast<size_t>(r)];
      if (target < 0 || target >= v) throw Error("cross_entropy: target " + std::to_string(target) + " outside the vocabulary");
      auto row = logits.row(r);
      const S max = row.maxCoeff();
      const S target_logit = row(target);
      row = (row.array() - max).exp().matrix();
      const double sum = row.template cast<double>().sum();
      row_loss[static_cast<size_t>(r)] = std::log(sum) - static_cast<double>(target_logit - max);
      if (want_grad) {
        // d/dlogits of the mean: (softmax - onehot) / n
        row *= static_cast<S>(1.0 / (sum * n));
        row(target) -= static_cast<S>(1.0 / n);
      }
    }
  });
  double total = 0;
  for (double l : row_loss) total += l;
  return total / n;
}

#define ATTNSCOPE_INSTANTIATE(S)                                                                                   \
  template void linear_forward<S>(const Mat<S>&, const S*, const S*, int, int, Mat<S>&);                          \
  template void linear_backward<S>(const Mat<S>&, const S*, const Mat<S>&, int, int, Mat<S>*, S*, S*);            \
  template void tied_head_forward<S>(const Mat<S>&, const S*, const S*, int, Mat<S>&);                            \
  template void tied_head_backward<S>(const Mat<S>&, const S*, const Mat<S>&, int, Mat<S>&, S*, S*);              \
  template void layer_norm_forward<S>(const Mat<S>&, const S*, const S*, double, Mat<S>&, LayerNormCache<S>&);    \
  template void layer_norm_backward<S>(const Mat<S>&, const S*, const LayerNormCache<S>&, Mat<S>&, S*, S*);       \
  template void gelu_forward<S>(GeluKind, const Mat<S>&, Mat<S>&);                                                \
  template void gelu_backward<S>(GeluKind, const Mat<S>&, const Mat<S>&, Mat<S>&);                                \
  template void silu_forward<S>(const Mat<S>&, Mat<S>&);                                                          \
  template void silu_backward<S>(const Mat<S>&, const Mat<S>&, Mat<S>&);                                          \
  template double cross_entropy<S>(Mat<S>&, const std::vector<int>&, bool);

ATTNSCOPE_INSTANTIATE(float)
ATTNSCOPE_INSTANTIATE(double)

}  // namespace attnscope::train
