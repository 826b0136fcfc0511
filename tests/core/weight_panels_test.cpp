// Weights repacked into column panels give the same layer as the checkpoint's
// layout: every weight lands where linear_weight() says, and linear() on the
// panels matches a double-precision product of the original weights for
// every path (one row on Eigen, the AVX-512 tiles, a narrow last panel, the
// Eigen backend), within the float dot-product bound in · ε · Σ|x·w|.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "core/gemm.h"
#include "core/model.h"
#include "core/safetensors.h"
#include "core/ops.h"
#include "core/stream_gemm.h"
#include "core/weight_panels.h"
#include "test_support.h"

namespace attnscope {
namespace {

struct Stored {
  std::vector<float> w;  // [in, out] or [out, in]
  Linear layer;
};

Stored random_layer(int in, int out, bool in_out, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  Stored s;
  s.w.resize(static_cast<size_t>(in) * out);
  for (float& v : s.w) v = normal(rng);
  s.layer.w = s.w.data();
  s.layer.in = in;
  s.layer.out = out;
  s.layer.stride = in_out ? out : in;
  s.layer.in_out = in_out;
  return s;
}

// A one-layer model whose every Linear is `source`, repacked; the source
// itself is left untouched because the model holds a copy of it.
Linear repacked(const Stored& source, std::vector<float>& copy_kept_by_model, Model& model) {
  copy_kept_by_model = source.w;
  Linear l = source.layer;
  l.w = copy_kept_by_model.data();
  model.weights.layers.resize(1);
  model.weights.layers[0].wo = l;
  repack_into_panels(model);
  return model.weights.layers[0].wo;
}

void expect_linear_matches(const Stored& s, const Linear& packed, int rows) {
  std::mt19937 rng(static_cast<unsigned>(rows));
  std::normal_distribution<float> normal;
  MatrixRM x(rows, s.layer.in);  // [T, in]
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = normal(rng);
  const MatrixRM y = linear(x, packed);  // [T, out]
  for (int t = 0; t < rows; ++t)
    for (int n = 0; n < s.layer.out; ++n) {
      double exact = 0, magnitude = 0;
      for (int k = 0; k < s.layer.in; ++k) {
        const double term = double(x(t, k)) * linear_weight(s.layer, k, n);
        exact += term;
        magnitude += std::abs(term);
      }
      ASSERT_NEAR(y(t, n), exact, s.layer.in * FLT_EPSILON * magnitude)
          << "rows " << rows << " out " << s.layer.out << " at (" << t << ", " << n << ")";
    }
}

class WeightPanelsTest : public ::testing::TestWithParam<bool> {};  // in_out

TEST_P(WeightPanelsTest, EveryWeightLandsInItsPanel) {
  if (!stream_gemm_available()) GTEST_SKIP() << "weights are repacked only where the AVX-512 tiles run";
  for (int out : {16, 48, 100, 240}) {
    const Stored s = random_layer(37, out, GetParam(), static_cast<unsigned>(out));
    std::vector<float> copy;
    Model model;
    const Linear packed = repacked(s, copy, model);
    ASSERT_TRUE(packed.panels);
    for (int k = 0; k < s.layer.in; ++k)
      for (int n = 0; n < out; ++n) ASSERT_EQ(linear_weight(packed, k, n), linear_weight(s.layer, k, n)) << k << ", " << n;
  }
}

TEST_P(WeightPanelsTest, LinearMatchesTheOriginalOnEveryPath) {
  if (!stream_gemm_available()) GTEST_SKIP() << "weights are repacked only where the AVX-512 tiles run";
  for (int out : {100, 768}) {
    const Stored s = random_layer(70, out, GetParam(), static_cast<unsigned>(out) + 1);
    std::vector<float> copy;
    Model model;
    const Linear packed = repacked(s, copy, model);
    for (int rows : {1, 2, 8, 33}) expect_linear_matches(s, packed, rows);
    set_gemm_backend(GemmBackend::Eigen);
    expect_linear_matches(s, packed, 9);
    set_gemm_backend(GemmBackend::Fastest);
  }
}

// GPT-2 ties its head to the token embedding: after loading, both are read
// from one repacked copy, and each of its values is the file's.
TEST(WeightPanels, TiedHeadAndEmbeddingReadTheFilesValues) {
  if (!stream_gemm_available()) GTEST_SKIP() << "weights are repacked only where the AVX-512 tiles run";
  const auto folder = testing::fixture("gpt2");
  const auto model = load_model(folder);
  const ModelConfig& c = model->config;
  EXPECT_TRUE(model->weights.layers.at(0).wq.panels);
  ASSERT_TRUE(model->weights.lm_head_panels.panels);
  EXPECT_EQ(model->weights.token_embedding, nullptr);
  EXPECT_EQ(model->weights.lm_head, nullptr);
  const FloatTensor wte = TensorStore::open_folder(folder).load("wte.weight", {c.vocab_size, c.dim});  // [V, D]
  const Linear head = output_head(*model);
  for (int id = 0; id < c.vocab_size; ++id) {
    const Eigen::RowVectorXf row = token_embedding_row(*model, id);
    for (int d = 0; d < c.dim; ++d) {
      const float stored = wte.data[static_cast<std::int64_t>(id) * c.dim + d];
      ASSERT_EQ(row[d], stored) << "embedding row " << id;
      ASSERT_EQ(linear_weight(head, d, id), stored) << "head column " << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothStoredLayouts, WeightPanelsTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? std::string("InOut") : std::string("OutIn"); });

}  // namespace
}  // namespace attnscope
