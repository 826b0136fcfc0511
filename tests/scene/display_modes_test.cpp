// Value-weighted attention, rollout and flow against small examples worked
// out by hand, and the same modes through build_display_matrix on a model.
#include <gtest/gtest.h>

#include "core/forward.h"
#include "core/model.h"
#include "scene/attention_view.h"
#include "scene/display_matrix.h"
#include "scene/display_modes.h"
#include "test_support.h"

namespace attnscope {
namespace {

MatrixRM matrix(int rows, int cols, std::initializer_list<float> values) {
  MatrixRM m(rows, cols);
  auto it = values.begin();
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = *it++;
  return m;
}

void expect_near(const MatrixRM& got, const MatrixRM& want, float tolerance) {
  ASSERT_EQ(got.rows(), want.rows());
  ASSERT_EQ(got.cols(), want.cols());
  for (int i = 0; i < got.rows(); ++i)
    for (int j = 0; j < got.cols(); ++j) EXPECT_NEAR(got(i, j), want(i, j), tolerance) << "(" << i << ", " << j << ")";
}

TEST(DisplayModes, ValueWeightedByHand) {
  const MatrixRM probs = matrix(2, 2, {0.5f, 0.5f, 1.0f, 0.0f});
  const MatrixRM value_out = matrix(2, 2, {3.0f, 4.0f, 0.0f, 1.0f});  // norms 5 and 1
  // Row 0: 0.5*5 = 2.5 and 0.5*1 = 0.5, sum 3. Row 1: 5 and 0.
  expect_near(value_weighted(probs, value_out), matrix(2, 2, {2.5f / 3, 0.5f / 3, 1.0f, 0.0f}), 1e-6f);
  // A row of zeros (a switched-off head) stays zero.
  expect_near(value_weighted(MatrixRM::Zero(2, 2), value_out), MatrixRM::Zero(2, 2), 0.0f);
}

TEST(DisplayModes, ResidualByHand) {
  expect_near(with_residual(matrix(2, 2, {0, 1, 1, 0})), matrix(2, 2, {0.5f, 0.5f, 0.5f, 0.5f}), 1e-7f);
  // A zero row, (0 + 1)/2 on the diagonal alone, renormalises to the identity row.
  expect_near(with_residual(matrix(2, 2, {0, 0, 0, 1})), matrix(2, 2, {1, 0, 0, 1}), 1e-7f);
}

// Layer 0: both tokens attend to token 0. Layer 1: both attend to token 1.
const std::vector<MatrixRM> kTwoLayers = {matrix(2, 2, {1, 0, 1, 0}), matrix(2, 2, {0, 1, 0, 1})};

TEST(DisplayModes, RolloutByHand) {
  // Â0 = [[1, 0], [.5, .5]], Â1 = [[.5, .5], [0, 1]], Â1·Â0 = [[.75, .25], [.5, .5]].
  expect_near(attention_rollout({kTwoLayers[0]}), matrix(2, 2, {1.0f, 0.0f, 0.5f, 0.5f}), 1e-7f);
  expect_near(attention_rollout(kTwoLayers), matrix(2, 2, {0.75f, 0.25f, 0.5f, 0.5f}), 1e-7f);
}

TEST(DisplayModes, FlowByHand) {
  // One layer: a single edge per pair, so the flow is Â itself.
  expect_near(attention_flow({kTwoLayers[0]}), with_residual(kTwoLayers[0]), 1e-6f);
  // Two layers: input 0 reaches output 0 along 0->0->0 (min(1, .5)) and
  // 0->1->0 (min(.5, .5)), 1.0 in all; every other pair has one path of 0.5.
  expect_near(attention_flow(kTwoLayers), matrix(2, 2, {1.0f, 0.5f, 0.5f, 0.5f}), 1e-6f);
}

TEST(DisplayModes, ValueContributionsSumToTheHeadOutput) {
  // Σ_j α_ij (v_j W_O) must be the head's own contribution to the residual
  // stream, which the forward pass computed from its output.
  auto model = load_model(testing::fixture("gpt2"));
  auto snap = run_text(model, "The cat sat on the mat", {});
  for (int l = 0; l < snap->n_layers; ++l)
    for (int h = 0; h < snap->n_heads; ++h)
      expect_near(snap->head(l, h).probs * snap->value_contribution(l, h), snap->head_contribution(l, h), 1e-4f);
}

TEST(DisplayModes, DecoderAndCrossValueContributionsSumToTheHeadOutput) {
  auto model = load_model(testing::fixture("marian"));
  auto run = run_text(model, "The cat sat on the mat.", {});
  for (AttentionKind kind : {AttentionKind::DecoderSelf, AttentionKind::Cross}) {
    auto view = attention_view(run, kind, -1);
    for (int l = 0; l < view->n_layers; ++l)
      for (int h = 0; h < view->n_heads; ++h)
        expect_near(view->head(l, h).probs * view->value_contribution(l, h), view->head_contribution(l, h), 1e-4f);
  }
}

TEST(DisplayModes, ThroughTheDisplayMatrix) {
  auto model = load_model(testing::fixture("bert"));
  auto snap = run_text(model, "The cat sat on the mat", {});
  DisplaySettings display;
  display.mode = DisplayMode::Rollout;
  const MatrixRM head0 = build_display_matrix(*snap, 1, 0, HeadMode::Single, display).weights;
  const MatrixRM head3 = build_display_matrix(*snap, 1, 3, HeadMode::Single, display).weights;
  expect_near(head0, head3, 0.0f);  // rollout belongs to the layer
  for (int i = 0; i < head0.rows(); ++i) EXPECT_NEAR(head0.row(i).sum(), 1.0f, 1e-5f);

  display.mode = DisplayMode::Value;
  const MatrixRM value = build_display_matrix(*snap, 1, 2, HeadMode::Single, display).weights;
  expect_near(value, value_weighted(snap->head(1, 2).probs, snap->value_contribution(1, 2)), 1e-6f);

  display.mode = DisplayMode::Flow;
  const MatrixRM flow = build_display_matrix(*snap, 0, 0, HeadMode::Single, display).weights;
  std::vector<MatrixRM> means = {MatrixRM::Zero(snap->n_tokens, snap->n_tokens)};
  for (int h = 0; h < snap->n_heads; ++h) means[0] += snap->head(0, h).probs / static_cast<float>(snap->n_heads);
  expect_near(flow, with_residual(means[0]), 1e-5f);  // one layer: flow is Â
}

TEST(DisplayModes, NamesAndCaptions) {
  for (DisplayMode mode : {DisplayMode::Raw, DisplayMode::Value, DisplayMode::Rollout, DisplayMode::Flow}) {
    DisplayMode back = DisplayMode::Raw;
    EXPECT_TRUE(display_mode_from_key(display_mode_key(mode), &back));
    EXPECT_EQ(back, mode);
    EXPECT_GT(std::string(display_mode_caption(mode)).size(), 10u);
  }
  DisplayMode out;
  EXPECT_FALSE(display_mode_from_key("sideways", &out));
}

}  // namespace
}  // namespace attnscope
