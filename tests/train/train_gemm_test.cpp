// Training's float products on OpenBLAS: parallel_sgemm in every transpose
// combination against a double-precision product, and a whole step's
// gradients on both float backends against the double-precision model.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "gradient_check_support.h"
#include "train/rng.h"
#include "train/train_gemm.h"
#include "train/transformer.h"

namespace attnscope::train {
namespace {

// Row-major element (r, c) of op(M) for M stored with row stride ld.
float at(const std::vector<float>& m, bool transposed, int ld, int r, int c) {
  return transposed ? m[static_cast<size_t>(c) * ld + r] : m[static_cast<size_t>(r) * ld + c];
}

std::vector<float> random_values(size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(rng.normal());
  return v;
}

// Every element within the float dot-product bound k·ε·Σ|a·b| of the double product.
void check_product(bool ta, bool tb, int m, int n, int k, bool accumulate) {
  SCOPED_TRACE(testing::Message() << "ta " << ta << " tb " << tb << " m " << m << " n " << n << " k " << k);
  const int lda = ta ? m + 3 : k + 3, ldb = tb ? k + 2 : n + 2, ldc = n + 5;  // padded strides
  const auto a = random_values(static_cast<size_t>(ta ? k : m) * lda, 1);
  const auto b = random_values(static_cast<size_t>(tb ? n : k) * ldb, 2);
  auto c = random_values(static_cast<size_t>(m) * ldc, 3);
  const auto c0 = c;
  parallel_sgemm(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, accumulate, c.data(), ldc);
  const double eps = std::ldexp(1.0, -24);
  for (int r = 0; r < m; ++r)
    for (int col = 0; col < ldc; ++col) {
      const size_t i = static_cast<size_t>(r) * ldc + col;
      if (col >= n) {  // padding is never written
        ASSERT_EQ(c[i], c0[i]);
        continue;
      }
      double exact = accumulate ? c0[i] : 0.0, magnitude = accumulate ? std::abs(c0[i]) : 0.0;
      for (int j = 0; j < k; ++j) {
        const double p = static_cast<double>(at(a, ta, lda, r, j)) * at(b, tb, ldb, j, col);
        exact += p;
        magnitude += std::abs(p);
      }
      ASSERT_NEAR(c[i], exact, (k + 1) * eps * magnitude + 1e-30) << "at " << r << ", " << col;
    }
}

TEST(TrainGemm, EveryTransposeMatchesADoubleProduct) {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (bool accumulate : {false, true}) {
        check_product(ta, tb, 7, 5, 9, accumulate);          // one part
        check_product(ta, tb, 33, 130, 64, accumulate);      // two parts
        check_product(ta, tb, 17, 1300, 40, accumulate);     // parts of about 512 columns
        check_product(ta, tb, 3, 70, 0, accumulate);         // an empty sum
      }
}

template <class S>
std::vector<double> gradients(const ModelShape& shape, const std::vector<float>& init, const Batch& batch) {
  Transformer<S> model(shape);
  model.params.assign(init.begin(), init.end());
  std::fill(model.grads.begin(), model.grads.end(), S(0));
  model.loss(batch, true);
  return std::vector<double>(model.grads.begin(), model.grads.end());
}

// ‖g - reference‖ / ‖reference‖ over one tensor.
double relative_error(const std::vector<double>& g, const std::vector<double>& reference, size_t offset, size_t size) {
  double diff2 = 0, ref2 = 0;
  for (size_t i = offset; i < offset + size; ++i) {
    diff2 += (g[i] - reference[i]) * (g[i] - reference[i]);
    ref2 += reference[i] * reference[i];
  }
  return std::sqrt(diff2 / std::max(ref2, 1e-300));
}

// Float rounding through two layers leaves up to 6e-7 of relative error per
// tensor on either backend; a product that sums the wrong elements is off by O(1).
TEST(TrainGemm, FloatGradientsOnBothBackendsMatchDouble) {
  const TrainGemm before = train_gemm();
  for (Arch arch : {Arch::Gpt, Arch::Bert}) {
    const ModelShape shape = test_shape(arch, 96, 160, 700, 12);
    Transformer<double> layout_only(shape);
    const std::vector<float> init = initial_params(shape, layout_only.layout(), 4);
    const Batch batch = random_batch(arch, shape.vocab_size, 3, 10, 9);
    const std::vector<double> exact = gradients<double>(shape, init, batch);
    for (TrainGemm gemm : {TrainGemm::Blas, TrainGemm::Eigen}) {
      set_train_gemm(gemm);
      const std::vector<double> g = gradients<float>(shape, init, batch);
      for (const auto& p : layout_only.layout().params)
        EXPECT_LT(relative_error(g, exact, p.offset, p.size), 1e-5) << arch_name(arch) << " " << train_gemm_name(gemm) << " " << p.name;
    }
  }
  set_train_gemm(before);
}

}  // namespace
}  // namespace attnscope::train
