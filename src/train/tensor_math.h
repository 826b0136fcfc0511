// The ops a transformer is trained with, forward and backward, on row-major
// matrices of float (training) or double (gradient checks). The products run
// on the engine's thread pool, split by output columns. The float forward of
// a layer is the engine's own linear(); the float backward and the tied
// output head go through train_gemm.h (OpenBLAS), and everything in double
// through Eigen.
//
// Shape legend: N rows (batch × tokens), D model dim, V vocab, in/out layer sizes.
#pragma once
#include <functional>
#include <vector>

#include <Eigen/Core>

namespace attnscope::train {

template <class S>
using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class S>
using MatMap = Eigen::Map<Mat<S>>;
template <class S>
using ConstMatMap = Eigen::Map<const Mat<S>>;

// Runs fn(begin, end) over contiguous row ranges of [0, n_rows) across the pool.
void parallel_rows(int n_rows, const std::function<void(int begin, int end)>& fn);

// y = x·W + b with W stored [in, out] (GPT-2's Conv1D layout).
//   x [N, in], w [in, out], b [out] or nullptr -> y [N, out]
template <class S>
void linear_forward(const Mat<S>& x, const S* w, const S* b, int in, int out, Mat<S>& y);

// Gradients of linear_forward: dx = dy·Wᵀ (assigned; skipped when dx is
// nullptr), dw += xᵀ·dy, db += Σ_rows dy (skipped when db is nullptr).
template <class S>
void linear_backward(const Mat<S>& x, const S* w, const Mat<S>& dy, int in, int out, Mat<S>* dx, S* dw, S* db);

// logits = h·Eᵀ + bias for an output head tied to the embeddings E [V, D].
//   h [N, D] -> logits [N, V]
template <class S>
void tied_head_forward(const Mat<S>& h, const S* e, const S* bias, int vocab, Mat<S>& logits);
// dh = dlogits·E (assigned), dE += dlogitsᵀ·h, dbias += Σ_rows dlogits.
template <class S>
void tied_head_backward(const Mat<S>& h, const S* e, const Mat<S>& dlogits, int vocab, Mat<S>& dh, S* de, S* dbias);

// What LayerNorm's backward needs: the normalised input and 1/σ per row.
template <class S>
struct LayerNormCache {
  Mat<S> xhat;            // [N, D]
  std::vector<S> rstd;    // [N]
};

// y = (x - mean) / sqrt(var + eps) · w + b, biased variance accumulated in
// double as the engine does.            x [N, D] -> y [N, D]
template <class S>
void layer_norm_forward(const Mat<S>& x, const S* w, const S* b, double eps, Mat<S>& y, LayerNormCache<S>& cache);
// dx assigned; dw, db accumulated.
template <class S>
void layer_norm_backward(const Mat<S>& dy, const S* w, const LayerNormCache<S>& cache, Mat<S>& dx, S* dw, S* db);

enum class GeluKind { Tanh, Erf };  // GPT-2 "gelu_new", BERT "gelu"

template <class S>
void gelu_forward(GeluKind kind, const Mat<S>& x, Mat<S>& y);
// dx = gelu'(x) ⊙ dy (assigned).
template <class S>
void gelu_backward(GeluKind kind, const Mat<S>& x, const Mat<S>& dy, Mat<S>& dx);

// SiLU / swish x·σ(x) (Marian's "swish").
template <class S>
void silu_forward(const Mat<S>& x, Mat<S>& y);
// dx = σ(x)·(1 + x·(1 - σ(x))) ⊙ dy (assigned).
template <class S>
void silu_backward(const Mat<S>& x, const Mat<S>& dy, Mat<S>& dx);

// Mean cross-entropy of the rows of `logits` against `targets` (one per row).
// With want_grad, logits is overwritten by d(loss)/d(logits).
template <class S>
double cross_entropy(Mat<S>& logits, const std::vector<int>& targets, bool want_grad);

}  // namespace attnscope::train
