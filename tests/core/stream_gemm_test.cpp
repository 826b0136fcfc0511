// The streaming kernels against a double-precision product of the same
// numbers, for both stored layouts, every row count they take, widths that
// do and do not fill a tile, column ranges that start mid-matrix, and a row
// stride wider than the layer (GPT-2's fused Q/K/V). Each entry must be
// within the standard error bound of a float dot product: in · ε · Σ|x·w|.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "core/gemm.h"
#include "core/stream_gemm.h"

namespace attnscope {
namespace {

struct Case {
  int rows, in, out, begin, end;
  bool in_out;
  int extra_stride;  // stored row length beyond the layer's own width
};

// Fills columns outside the tiles with a value no product gives, so that a
// column the kernel skipped without handing it on is caught.
void mark_rest(const MatrixRM&, const Linear&, int begin, int end, MatrixRM& y) {
  y.middleCols(begin, end - begin).setConstant(-1e30f);
}

void expect_matches_double_product(const Case& c, bool expect_all_streamed) {
  std::mt19937 rng(static_cast<unsigned>(c.rows * 131 + c.in * 7 + c.out));
  std::normal_distribution<float> normal;
  MatrixRM x(c.rows, c.in);  // [T, in]
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  const int stored_cols = (c.in_out ? c.out : c.in) + c.extra_stride;
  const int stored_rows = c.in_out ? c.in : c.out;
  std::vector<float> w(static_cast<size_t>(stored_rows) * stored_cols);  // [in, out] or [out, in], padded rows
  for (float& v : w) v = normal(rng);
  Linear l;
  l.w = w.data();
  l.in = c.in;
  l.out = c.out;
  l.stride = stored_cols;
  l.in_out = c.in_out;

  MatrixRM y = MatrixRM::Constant(c.rows, c.out, 7.0f);  // [T, out]
  stream_columns(x, l, c.begin, c.end, y, expect_all_streamed ? mark_rest : linear_columns);
  for (int t = 0; t < c.rows; ++t)
    for (int n = 0; n < c.out; ++n) {
      if (n < c.begin || n >= c.end) {
        ASSERT_EQ(y(t, n), 7.0f) << "column " << n << " outside the range was written";
        continue;
      }
      double exact = 0, magnitude = 0;
      for (int k = 0; k < c.in; ++k) {
        const double wk = c.in_out ? w[static_cast<size_t>(k) * stored_cols + n] : w[static_cast<size_t>(n) * stored_cols + k];
        exact += double(x(t, k)) * wk;
        magnitude += std::abs(double(x(t, k)) * wk);
      }
      ASSERT_NEAR(y(t, n), exact, c.in * FLT_EPSILON * magnitude)
          << "rows " << c.rows << " in " << c.in << " out " << c.out << " at (" << t << ", " << n << ")";
    }
}

TEST(StreamGemm, InOutLayoutEveryRowCount) {
  if (!stream_gemm_available()) GTEST_SKIP() << "this CPU has no AVX-512";
  for (int rows = kStreamMinRows; rows <= 25; ++rows) expect_matches_double_product({rows, 37, 96, 0, 96, true, 0}, true);
}

TEST(StreamGemm, OutInLayoutEveryRowCountAndOddWidths) {
  if (!stream_gemm_available()) GTEST_SKIP() << "this CPU has no AVX-512";
  for (int rows = kStreamMinRows; rows <= 25; ++rows)
    for (int in : {1, 15, 16, 17, 70}) expect_matches_double_product({rows, in, 11, 0, 11, false, 0}, true);
}

TEST(StreamGemm, PartialTilesGoToTheGeneralPath) {
  if (!stream_gemm_available()) GTEST_SKIP() << "this CPU has no AVX-512";
  for (int out : {1, 47, 49, 100}) expect_matches_double_product({9, 33, out, 0, out, true, 0}, false);
}

TEST(StreamGemm, ColumnRangesAndWideStrides) {
  if (!stream_gemm_available()) GTEST_SKIP() << "this CPU has no AVX-512";
  expect_matches_double_product({8, 64, 240, 48, 192, true, 480}, true);    // a panel of a fused Q/K/V
  expect_matches_double_product({8, 64, 240, 50, 200, true, 17}, false);    // unaligned panel
  expect_matches_double_product({12, 64, 100, 31, 77, false, 9}, true);     // [out, in] rows, padded
  expect_matches_double_product({77, 48, 96, 0, 96, true, 0}, true);  // many row blocks
}

}  // namespace
}  // namespace attnscope
