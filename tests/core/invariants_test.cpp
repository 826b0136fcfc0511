// Properties every snapshot must have, whatever the model: rows are
// distributions, masks are exact zeros, and an intervention at layer l leaves
// everything before it untouched.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "core/forward.h"
#include "core/model.h"
#include "core/weight_panels.h"
#include "test_support.h"

namespace attnscope {
namespace {

const char* kText = "The animal didn't cross the street because it was too tired.";

std::shared_ptr<const Model> fixture_model(const std::string& name) { return load_model(testing::fixture(name)); }

void expect_rows_are_distributions(const AttentionSnapshot& snap) {
  for (int l = 0; l < snap.n_layers; ++l)
    for (int h = 0; h < snap.n_heads; ++h) {
      const MatrixRM& p = snap.head(l, h).probs;
      for (int i = 0; i < snap.n_tokens; ++i) {
        const bool empty_row = snap.ablated(l, h);
        EXPECT_NEAR(p.row(i).sum(), empty_row ? 0.0 : 1.0, 1e-5) << "layer " << l << " head " << h << " row " << i;
        EXPECT_GE(p.row(i).minCoeff(), 0.0f);
      }
    }
}

class InvariantsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InvariantsTest, RowsSumToOne) {
  auto model = fixture_model(GetParam());
  expect_rows_are_distributions(*run_text(model, kText, {}));
}

TEST_P(InvariantsTest, CausalRowsAreZeroAboveTheDiagonal) {
  auto model = fixture_model(GetParam());
  RunOptions options;
  options.interventions.causal = true;  // forced on, also for the bidirectional families
  auto snap = run_text(model, kText, options);
  EXPECT_TRUE(snap->causal);
  for (int l = 0; l < snap->n_layers; ++l)
    for (int h = 0; h < snap->n_heads; ++h) {
      const MatrixRM& p = snap->head(l, h).probs;
      for (int i = 0; i < snap->n_tokens; ++i)
        for (int j = i + 1; j < snap->n_tokens; ++j) ASSERT_EQ(p(i, j), 0.0f) << "layer " << l << " head " << h;
    }
  expect_rows_are_distributions(*snap);
}

TEST_P(InvariantsTest, CausalMaskCanBeSwitchedOff) {
  auto model = fixture_model(GetParam());
  RunOptions options;
  options.interventions.causal = false;
  auto snap = run_text(model, kText, options);
  EXPECT_FALSE(snap->causal);
  // Without the mask the first query sees later keys.
  EXPECT_GT(snap->head(0, 0).probs(0, snap->n_tokens - 1), 0.0f);
  expect_rows_are_distributions(*snap);
}

TEST_P(InvariantsTest, MaskedKeysGetZeroAndRowsRenormalise) {
  auto model = fixture_model(GetParam());
  RunOptions options;
  options.interventions.masked_keys = {0, 2};
  auto snap = run_text(model, kText, options);
  for (int l = 0; l < snap->n_layers; ++l)
    for (int h = 0; h < snap->n_heads; ++h) {
      const MatrixRM& p = snap->head(l, h).probs;
      for (int i = 0; i < snap->n_tokens; ++i) {
        EXPECT_EQ(p(i, 0), 0.0f);
        EXPECT_EQ(p(i, 2), 0.0f);
        // A causal first query sees only key 0, which is masked: it attends to nothing.
        const bool has_key = !snap->causal || i != 0;
        EXPECT_NEAR(p.row(i).sum(), has_key ? 1.0 : 0.0, 1e-5) << "row " << i;
      }
    }
  // Derived scores show the mask as -inf.
  EXPECT_TRUE(std::isinf(snap->scores(0, 0)(snap->n_tokens - 1, 2)));
}

TEST_P(InvariantsTest, AblationLeavesEarlierLayersBitIdentical) {
  auto model = fixture_model(GetParam());
  auto base = run_text(model, kText, {});
  const int layer = base->n_layers - 1, head = 1;
  RunOptions options;
  options.interventions.ablated_heads = {{layer, head}};
  auto ablated = run_text(model, kText, options);
  for (int l = 0; l < layer; ++l)
    for (int h = 0; h < base->n_heads; ++h) {
      EXPECT_TRUE(base->head(l, h).probs == ablated->head(l, h).probs) << "layer " << l << " head " << h;
      EXPECT_TRUE(base->head(l, h).q == ablated->head(l, h).q);
    }
  for (int l = 0; l <= layer; ++l) EXPECT_TRUE(base->residual[static_cast<size_t>(l)] == ablated->residual[static_cast<size_t>(l)]);
  EXPECT_TRUE(ablated->head(layer, head).probs.isZero(0));
  EXPECT_TRUE(ablated->head(layer, head).out.isZero(0));
  EXPECT_FALSE(base->residual.back() == ablated->residual.back());
}

TEST_P(InvariantsTest, HeadContributionsAddUpToTheOutputProjection) {
  auto model = fixture_model(GetParam());
  auto snap = run_text(model, kText, {});
  const int T = snap->n_tokens;
  MatrixRM sum = MatrixRM::Zero(T, snap->dim);  // [T, D]
  for (int h = 0; h < snap->n_heads; ++h) sum += snap->head_contribution(0, h);
  // Every head's slice of W_o, summed, is the full projection of the concatenated heads.
  const Linear& wo = model->weights.layers[0].wo;
  MatrixRM context(T, snap->n_heads * snap->head_dim);  // [T, H*Dh]
  for (int h = 0; h < snap->n_heads; ++h) context.middleCols(h * snap->head_dim, snap->head_dim) = snap->head(0, h).out;
  MatrixRM expected(T, snap->dim);
  for (int t = 0; t < T; ++t)
    for (int d = 0; d < snap->dim; ++d) {
      double acc = 0;
      for (int k = 0; k < wo.in; ++k)
        acc += static_cast<double>(context(t, k)) * linear_weight(wo, k, d);
      expected(t, d) = static_cast<float>(acc);
    }
  EXPECT_LT((sum - expected).cwiseAbs().maxCoeff(), 1e-4f);
}

TEST_P(InvariantsTest, RejectsOutOfRangeInterventions) {
  auto model = fixture_model(GetParam());
  RunOptions bad_head;
  bad_head.interventions.ablated_heads = {{model->config.n_layers, 0}};
  EXPECT_THROW(run_text(model, kText, bad_head), Error);
  RunOptions bad_key;
  bad_key.interventions.masked_keys = {10000};
  EXPECT_THROW(run_text(model, kText, bad_key), Error);
}

TEST_P(InvariantsTest, LongTextIsCutToTheContext) {
  auto model = fixture_model(GetParam());
  std::string text;
  while (text.size() < 100000) text += "the cat sat on the mat. ";
  bool truncated = false;
  auto snap = run_text(model, text, {}, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(snap->n_tokens, model->config.max_positions);
  expect_rows_are_distributions(*snap);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, InvariantsTest, ::testing::Values("gpt2", "bert", "distilbert", "llama"));

TEST(Invariants, CancelledRunStops) {
  auto model = fixture_model("gpt2");
  std::atomic<bool> cancel{true};
  RunOptions options;
  options.cancel = &cancel;
  EXPECT_THROW(run_text(model, kText, options), Cancelled);
}

TEST(Interventions, ParsesLists) {
  EXPECT_EQ(parse_head_list("0:1,2:3"), (std::set<std::pair<int, int>>{{0, 1}, {2, 3}}));
  EXPECT_EQ(parse_index_list("3,5"), (std::set<int>{3, 5}));
  EXPECT_THROW(parse_head_list("0-1"), Error);
  EXPECT_THROW(parse_head_list("a:1"), Error);
  EXPECT_THROW(parse_index_list("1,,2"), Error);
  EXPECT_THROW(parse_index_list("-1"), Error);
}

}  // namespace
}  // namespace attnscope
