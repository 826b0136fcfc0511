#include "train/train_gemm.h"

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/gemm.h"
#include "core/parallel.h"

namespace attnscope::train {
namespace {

std::atomic<TrainGemm> g_gemm{TrainGemm::Blas};

int column_parts(int n) {
  const int threads = parallel_threads();
  if (threads == 1 || n < 64) return 1;
  return std::max(threads, (n + 256) / 512);
}

}  // namespace

void split_range(int size, int parts, const std::function<void(int, int)>& fn) {
  parallel_for(parts, [&](int part) {
    const int begin = static_cast<int>(static_cast<std::int64_t>(size) * part / parts);
    const int end = static_cast<int>(static_cast<std::int64_t>(size) * (part + 1) / parts);
    if (end > begin) fn(begin, end - begin);
  });
}

void for_column_parts(int n, const std::function<void(int, int)>& fn) { split_range(n, column_parts(n), fn); }

void set_train_gemm(TrainGemm gemm) { g_gemm = gemm; }
TrainGemm train_gemm() { return g_gemm; }
const char* train_gemm_name(TrainGemm gemm) { return gemm == TrainGemm::Blas ? "OpenBLAS" : "Eigen"; }

void parallel_sgemm(bool transpose_a, bool transpose_b, int m, int n, int k, const float* a, int lda, const float* b,
                    int ldb, bool accumulate, float* c, int ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum: C keeps its values or becomes 0
    if (!accumulate)
      for (int r = 0; r < m; ++r) std::fill_n(c + static_cast<std::int64_t>(r) * ldc, n, 0.0f);
    return;
  }
  for_column_parts(n, [&](int begin, int count) {
    // Columns of op(B) are columns of B, or rows of B when it is transposed.
    const float* b_part = transpose_b ? b + static_cast<std::int64_t>(begin) * ldb : b + begin;
    sgemm_on_this_thread(transpose_a, transpose_b, m, count, k, a, lda, b_part, ldb, accumulate, c + begin, ldc);
  });
}

}  // namespace attnscope::train
