#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include <cblas.h>

#include "parallel.h"
#include "stream_gemm.h"
#include "weight_panels.h"

namespace attnscope {
namespace {

std::atomic<GemmBackend> g_backend{GemmBackend::Fastest};

// Which code computes a product of `rows` input rows:
//   Stream  2 rows or more on a CPU with AVX-512 (stream_gemm.h): each
//           weight is read once, straight into registers, and reused from L2
//           for the next 8 rows. On GPT-2 small's products it measured
//           faster than the path it replaced (Eigen below 16 rows, OpenBLAS
//           from 16) at every T from 2 to 1024 (docs/performance.md).
//   Blas    16 rows or more on other CPUs: OpenBLAS's kernels for that CPU
//           (this build compiles Eigen for AVX2 only).
//   Eigen   everything else, and every product under the Eigen backend.
enum class Path { Eigen, Stream, Blas };

constexpr int kBlasMinRows = 16;

Path path_for(int rows) {
  if (g_backend == GemmBackend::Eigen) return Path::Eigen;
  if (rows >= kStreamMinRows && stream_gemm_available()) return Path::Stream;
  return rows >= kBlasMinRows ? Path::Blas : Path::Eigen;
}

using Strided = Eigen::Map<const MatrixRM, 0, Eigen::OuterStride<>>;

// The pool already splits every product over the cores: OpenBLAS's own
// threads would only compete with it for the same two or more cores, so
// each call runs single-threaded on the thread that makes it.
void pin_blas_to_one_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

// Columns [begin, end) of a panel-packed layer start on a panel (ops.cpp's
// linear() splits them so) and end on one or at the layer's last column.
void eigen_panel_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  for (int n = begin; n < end; n += kPanelColumns) {
    const int p = n / kPanelColumns;
    y.middleCols(n, panel_width(l, p)).noalias() = x * panel(l, p);
  }
}

void eigen_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  if (l.panels) return eigen_panel_columns(x, l, begin, end, y);
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
  if (l.panels) return eigen_panel_columns(x, l, begin, end, y);  // packed only where the tiles run
  const float* b = l.in_out ? l.w + begin : l.w + static_cast<std::int64_t>(begin) * l.stride;
  sgemm_on_this_thread(false, !l.in_out, static_cast<int>(x.rows()), end - begin, l.in, x.data(), static_cast<int>(x.cols()), b,
                       static_cast<int>(l.stride), false, y.data() + begin, static_cast<int>(y.cols()));
}

}  // namespace

void sgemm_on_this_thread(bool transpose_a, bool transpose_b, int m, int n, int k, const float* a, int lda,
                          const float* b, int ldb, bool accumulate, float* c, int ldc) {
  pin_blas_to_one_thread();
  cblas_sgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a,
              lda, b, ldb, accumulate ? 1.0f : 0.0f, c, ldc);
}

void set_gemm_backend(GemmBackend backend) { g_backend = backend; }
GemmBackend gemm_backend() { return g_backend; }
const char* gemm_backend_name(GemmBackend backend) {
  if (backend == GemmBackend::Eigen) return "Eigen";
  return stream_gemm_available() ? "AVX-512 tiles" : "OpenBLAS";
}

void linear_columns(const MatrixRM& x, const Linear& l, int begin, int end, MatrixRM& y) {
  if (end <= begin) return;
  if (x.rows() == 0) return;
  switch (path_for(static_cast<int>(x.rows()))) {
    case Path::Stream: stream_columns(x, l, begin, end, y, eigen_columns); break;
    case Path::Blas: blas_columns(x, l, begin, end, y); break;
    case Path::Eigen: eigen_columns(x, l, begin, end, y); break;
  }
  if (l.b) y.middleCols(begin, end - begin).rowwise() += Eigen::Map<const Eigen::RowVectorXf>(l.b + begin, end - begin);
}

int linear_chunks(int out, int rows) {
  const int threads = parallel_threads();
  if (threads == 1 || out < 64) return 1;
  switch (path_for(rows)) {
    // Two panels per core let a core that finishes early take over work; for
    // GPT-2's and BERT's widths each panel is a whole number of 48-column tiles.
    case Path::Stream: return 2 * threads;
    case Path::Blas: return threads;
    // Eigen blocks a wide panel for the L3 cache; a narrow one keeps its packed
    // weights in L2, which is up to 1.6x faster for the 50257-wide LM head at small T.
    case Path::Eigen: break;
  }
  return std::max(threads, (out + 256) / 512);
}

}  // namespace attnscope
