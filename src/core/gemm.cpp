#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include <cblas.h>

#include "parallel.h"

namespace attnscope {
namespace {

std::atomic<GemmBackend> g_backend{GemmBackend::Blas};

// Below this many rows a product is bandwidth-bound: OpenBLAS packs every
// weight panel before using it once, and Eigen's narrow panels measured
// 10-20% faster at T = 8 on the GPT-2 shapes (attnscope-bench, same run).
constexpr int kBlasMinRows = 16;

bool use_blas(int rows) { return g_backend == GemmBackend::Blas && rows >= kBlasMinRows; }

using Strided = Eigen::Map<const MatrixRM, 0, Eigen::OuterStride<>>;

// The pool already splits every product over the cores: OpenBLAS's own
// threads would only compete with it for the same two or more cores, so
// each call runs single-threaded on the thread that makes it.
void pin_blas_to_one_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

void eigen_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  const int rows = l.in_out ? l.in : l.out;
  const int cols = l.in_out ? l.out : l.in;
  Strided w(l.w, rows, cols, Eigen::OuterStride<>(l.stride));
  auto block = y.middleCols(begin, end - begin);
  if (l.in_out)
    block.noalias() = x * w.middleCols(begin, end - begin);
  else
    block.noalias() = x * w.middleRows(begin, end - begin).transpose();
}

// Row-major SGEMM straight on the mapped weights: W [in, out] (Conv1D,
// llama2.c) is read as is, nn.Linear's W [out, in] as its transpose.
void blas_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  pin_blas_to_one_thread();
  const int T = static_cast<int>(x.rows()), n = end - begin;
  const float* b = l.in_out ? l.w + begin : l.w + static_cast<std::int64_t>(begin) * l.stride;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, l.in_out ? CblasNoTrans : CblasTrans, T, n, l.in, 1.0f, x.data(),
              static_cast<int>(x.cols()), b, static_cast<int>(l.stride), 0.0f, y.data() + begin, static_cast<int>(y.cols()));
}

}  // namespace

void set_gemm_backend(GemmBackend backend) { g_backend = backend; }
GemmBackend gemm_backend() { return g_backend; }
const char* gemm_backend_name(GemmBackend backend) { return backend == GemmBackend::Blas ? "OpenBLAS" : "Eigen"; }

void linear_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  if (end <= begin) return;
  if (x.rows() == 0) return;
  if (use_blas(static_cast<int>(x.rows())))
    blas_columns(x, l, begin, end, y);
  else
    eigen_columns(x, l, begin, end, y);
  if (l.b) y.middleCols(begin, end - begin).rowwise() += Eigen::Map<const Eigen::RowVectorXf>(l.b + begin, end - begin);
}

int linear_chunks(int out, int rows) {
  const int threads = parallel_threads();
  if (threads == 1 || out < 64) return 1;
  // Eigen blocks a wide panel for the L3 cache; a narrow one keeps its packed
  // weights in L2, which is up to 1.6x faster for the 50257-wide LM head at small T.
  if (!use_blas(rows)) return std::max(threads, (out + 256) / 512);
  return threads;
}

}  // namespace attnscope
