// What the attention views show: head combination, hiding special tokens with
// renormalisation, colour scales, raw scores and the model-view statistics.
// Real runs are checked against the fixtures' golden attentions and q/k, which
// come from an independent PyTorch implementation.
//
// Shape legend: L layers, H heads, T tokens, Dh head dim.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "scene/display_matrix.h"
#include "core/forward.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::fixture;
using testing::read_json;

// A snapshot with no model: H heads of given [T, T] probabilities, tokens
// marked special where `special` says so.
AttentionSnapshot synthetic(const std::vector<MatrixRM>& probs, const std::vector<bool>& special) {
  AttentionSnapshot s;
  s.n_layers = 1;
  s.n_heads = static_cast<int>(probs.size());
  s.n_tokens = static_cast<int>(special.size());
  s.head_dim = 1;
  for (size_t i = 0; i < special.size(); ++i) {
    Token t;
    t.id = static_cast<int>(i);
    t.display = "t" + std::to_string(i);
    t.special = special[i];
    s.tokens.push_back(t);
  }
  for (const MatrixRM& p : probs) {
    HeadCapture cap;
    cap.probs = p;
    s.heads.push_back(cap);
  }
  return s;
}

MatrixRM matrix(int rows, int cols, std::initializer_list<float> values) {
  MatrixRM m(rows, cols);  // [rows, cols]
  auto it = values.begin();
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m(r, c) = *it++;
  return m;
}

TEST(ColorScale, LinearLogAndPerRowFollowTheirDefinitions) {
  EXPECT_FLOAT_EQ(scale_weight(0.3f, ColorScale::Linear, 0.9f), 0.3f);
  EXPECT_FLOAT_EQ(scale_weight(1.0f, ColorScale::Log, 1.0f), 1.0f);
  EXPECT_FLOAT_EQ(scale_weight(1e-4f, ColorScale::Log, 1.0f), 0.0f);
  EXPECT_NEAR(scale_weight(1e-2f, ColorScale::Log, 1.0f), 0.5f, 1e-6f);
  EXPECT_NEAR(scale_weight(1e-3f, ColorScale::Log, 1.0f), 0.25f, 1e-6f);
  EXPECT_FLOAT_EQ(scale_weight(1e-7f, ColorScale::Log, 1.0f), 0.0f);  // below the floor
  EXPECT_FLOAT_EQ(scale_weight(0.0f, ColorScale::Log, 1.0f), 0.0f);
  EXPECT_FLOAT_EQ(scale_weight(0.2f, ColorScale::PerRow, 0.4f), 0.5f);
  EXPECT_FLOAT_EQ(scale_weight(0.0f, ColorScale::PerRow, 0.0f), 0.0f);  // an all-zero row
  EXPECT_FLOAT_EQ(scale_weight(std::numeric_limits<float>::quiet_NaN(), ColorScale::Linear, 1.0f), 0.0f);

  const MatrixRM values = apply_color_scale(matrix(2, 2, {0.25f, 0.75f, 0.0f, 0.0f}), ColorScale::PerRow);
  EXPECT_FLOAT_EQ(values(0, 0), 1.0f / 3.0f);
  EXPECT_FLOAT_EQ(values(0, 1), 1.0f);
  EXPECT_FLOAT_EQ(values(1, 0), 0.0f);
}

TEST(DisplayMatrix, HidingSpecialTokensDropsThemAndRenormalisesRows) {
  // Token 0 is a BOS-like sink that takes half of every row.
  const MatrixRM p = matrix(3, 3, {1.0f, 0.0f, 0.0f,  //
                                   0.5f, 0.5f, 0.0f,  //
                                   0.5f, 0.125f, 0.375f});
  const AttentionSnapshot s = synthetic({p}, {true, false, false});
  DisplaySettings display;
  display.hide_special = true;
  const DisplayMatrix m = build_display_matrix(s, 0, 0, HeadMode::Single, display);
  ASSERT_EQ(m.rows, (std::vector<int>{1, 2}));
  ASSERT_EQ(m.cols, (std::vector<int>{1, 2}));
  EXPECT_TRUE(m.renormalised);
  EXPECT_FLOAT_EQ(m.weights(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(m.weights(0, 1), 0.0f);
  EXPECT_FLOAT_EQ(m.weights(1, 0), 0.25f);
  EXPECT_FLOAT_EQ(m.weights(1, 1), 0.75f);
  EXPECT_EQ(m.row_of_token(0), -1);
  EXPECT_EQ(m.row_of_token(2), 1);
  EXPECT_EQ(m.col_of_token(1), 0);

  display.hide_special = false;  // shown as the model gave it
  const DisplayMatrix all = build_display_matrix(s, 0, 0, HeadMode::Single, display);
  EXPECT_FALSE(all.renormalised);
  EXPECT_EQ(all.n_rows(), 3);
  EXPECT_TRUE(all.weights.isApprox(p));
}

TEST(DisplayMatrix, MeanAndMaxLeaveAblatedHeadsOut) {
  const MatrixRM a = matrix(2, 2, {1.0f, 0.0f, 0.2f, 0.8f});
  const MatrixRM b = matrix(2, 2, {1.0f, 0.0f, 0.6f, 0.4f});
  const MatrixRM off = MatrixRM::Zero(2, 2);  // what an ablated head captures
  AttentionSnapshot s = synthetic({a, b, off}, {false, false});
  s.interventions.ablated_heads = {{0, 2}};
  const MatrixRM mean = head_weights(s, 0, 0, HeadMode::Mean);
  EXPECT_FLOAT_EQ(mean(1, 0), 0.4f);
  EXPECT_FLOAT_EQ(mean(1, 1), 0.6f);
  const MatrixRM max = head_weights(s, 0, 0, HeadMode::Max);
  EXPECT_FLOAT_EQ(max(1, 0), 0.6f);
  EXPECT_FLOAT_EQ(max(1, 1), 0.8f);
  // A single head is itself, ablated or not.
  EXPECT_TRUE(head_weights(s, 0, 2, HeadMode::Single).isZero());
  // Out-of-range selections give an empty picture, not a crash.
  EXPECT_TRUE(head_weights(s, 3, 0, HeadMode::Single).isZero());
  EXPECT_TRUE(head_weights(s, 0, -1, HeadMode::Single).isZero());
}

TEST(DisplayMatrix, SelectAndRenormaliseKeepsAllZeroRowsAtZero) {
  const MatrixRM p = matrix(2, 3, {0.5f, 0.5f, 0.0f, 1.0f, 0.0f, 0.0f});
  const MatrixRM out = select_and_renormalise(p, {0, 1}, {1, 2}, true);
  EXPECT_FLOAT_EQ(out(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(out(0, 1), 0.0f);
  EXPECT_FLOAT_EQ(out(1, 0), 0.0f);  // nothing left to renormalise
  EXPECT_FLOAT_EQ(out(1, 1), 0.0f);
}

TEST(DisplayMatrix, RowEntropyAndPreviousTokenWeight) {
  // Uniform over 4 keys: 2 bits. One-hot: 0 bits. An all-zero row is skipped.
  const MatrixRM uniform = MatrixRM::Constant(3, 4, 0.25f);
  EXPECT_NEAR(mean_row_entropy(uniform), 2.0f, 1e-6f);
  MatrixRM mixed = MatrixRM::Zero(3, 4);
  mixed(0, 0) = 1.0f;
  mixed.row(1).setConstant(0.25f);
  EXPECT_NEAR(mean_row_entropy(mixed), 1.0f, 1e-6f);  // (0 + 2) / 2

  MatrixRM previous = MatrixRM::Zero(4, 4);  // every token looks one back
  previous(0, 0) = 1.0f;
  for (int i = 1; i < 4; ++i) previous(i, i - 1) = 1.0f;
  EXPECT_FLOAT_EQ(mean_previous_token_weight(previous), 1.0f);
  EXPECT_FLOAT_EQ(mean_previous_token_weight(MatrixRM::Identity(4, 4)), 0.0f);
  EXPECT_FLOAT_EQ(mean_previous_token_weight(MatrixRM::Ones(1, 1)), 0.0f);
}

TEST(DisplayMatrix, DownsampleMaxKeepsAThinStripe) {
  MatrixRM m = MatrixRM::Zero(1000, 1000);
  m.col(517).setConstant(0.9f);  // one key everyone attends to
  const MatrixRM small = downsample_max(m, 128);
  ASSERT_EQ(small.rows(), 128);
  ASSERT_EQ(small.cols(), 128);
  int hot_columns = 0;
  for (int c = 0; c < 128; ++c) hot_columns += small(0, c) == 0.9f;
  EXPECT_EQ(hot_columns, 1);
  EXPECT_FLOAT_EQ(small.maxCoeff(), 0.9f);
  const MatrixRM tiny = MatrixRM::Random(5, 7);
  EXPECT_TRUE(downsample_max(tiny, 128).isApprox(tiny));  // already small enough
}

// ---------------------------------------------------------------- real runs

std::vector<std::vector<float>> golden_head(const nlohmann::json& c, int layer, int head) {
  return c["attentions"][layer][head].get<std::vector<std::vector<float>>>();
}

TEST(DisplayMatrixOnBert, HidingClsAndSepMatchesTheRenormalisedGoldenAttention) {
  const auto model = load_model(fixture("bert"));
  const nlohmann::json golden = read_json(fixture("bert") / "golden.json");
  const nlohmann::json& c = golden["cases"][0];
  const auto snap = run_text(model, c["text"].get<std::string>(), RunOptions{});
  const int t = snap->n_tokens;
  ASSERT_EQ(t, c["num_tokens"].get<int>());
  ASSERT_TRUE(snap->tokens.front().special && snap->tokens.back().special);  // [CLS] ... [SEP]

  DisplaySettings display;
  display.hide_special = true;
  for (int layer = 0; layer < snap->n_layers; ++layer) {
    for (int head = 0; head < snap->n_heads; ++head) {
      const DisplayMatrix m = build_display_matrix(*snap, layer, head, HeadMode::Single, display);
      ASSERT_EQ(m.n_rows(), t - 2);
      const auto g = golden_head(c, layer, head);
      for (int r = 0; r < t - 2; ++r) {
        double kept = 0;
        for (int k = 1; k < t - 1; ++k) kept += g[r + 1][k];
        // Each golden probability is good to 1e-4. For a = n / s, the error is
        // at most e_n / s + (n / s) * e_s / s with n <= s and e_s <= (T - 2) e.
        const double tol = 1e-4 * (1.0 + (t - 2)) / kept;
        for (int k = 1; k < t - 1; ++k)
          EXPECT_NEAR(m.weights(r, k - 1), g[r + 1][k] / kept, tol) << "layer " << layer << " head " << head;
        EXPECT_NEAR(m.weights.row(r).sum(), 1.0f, 1e-5f);
      }
    }
  }
}

TEST(DisplayMatrixOnBert, MaskTokenStaysWhenSpecialTokensAreHidden) {
  const auto model = load_model(fixture("bert"));
  const nlohmann::json golden = read_json(fixture("bert") / "golden.json");
  const auto snap = run_text(model, golden["mlm"]["text"].get<std::string>(), RunOptions{});
  const int mask_position = golden["mlm"]["mask_position"].get<int>();
  const std::vector<int> kept = kept_tokens(*snap, true);
  EXPECT_EQ(kept.front(), 1);
  EXPECT_EQ(kept.back(), snap->n_tokens - 2);
  EXPECT_NE(std::find(kept.begin(), kept.end(), mask_position), kept.end());
}

TEST(DisplayMatrixOnGpt2, RawScoreMatchesGoldenQueriesAndKeysAndTheSnapshot) {
  const auto model = load_model(fixture("gpt2"));
  const nlohmann::json golden = read_json(fixture("gpt2") / "golden.json");
  const nlohmann::json& c = golden["cases"][0];
  const auto snap = run_text(model, c["text"].get<std::string>(), RunOptions{});
  const int t = snap->n_tokens, dh = snap->head_dim;
  ASSERT_EQ(t, c["num_tokens"].get<int>());
  const auto q = c["layer0"]["q"].get<std::vector<std::vector<std::vector<float>>>>();  // [H][T][Dh]
  const auto k = c["layer0"]["k"].get<std::vector<std::vector<std::vector<float>>>>();  // [H][T][Dh]
  for (int head = 0; head < snap->n_heads; ++head) {
    const MatrixRM scores = snap->scores(0, head);  // [T, T]
    for (int i = 0; i < t; ++i) {
      for (int j = 0; j < t; ++j) {
        const float s = raw_score(*snap, 0, head, i, j);
        if (j > i) {  // the causal mask
          EXPECT_TRUE(std::isinf(s) && s < 0);
          continue;
        }
        EXPECT_NEAR(s, scores(i, j), 1e-5f * (1.0f + std::fabs(scores(i, j))));
        double dot = 0, bound = 0;
        for (int d = 0; d < dh; ++d) {
          dot += static_cast<double>(q[head][i][d]) * k[head][j][d];
          bound += std::fabs(q[head][i][d]) + std::fabs(k[head][j][d]) + 1e-4;
        }
        // q and k are each good to 1e-4 per element.
        EXPECT_NEAR(s, dot / std::sqrt(dh), 1e-4 * bound / std::sqrt(dh));
      }
    }
  }
  EXPECT_TRUE(std::isinf(raw_score(*snap, 0, 0, -1, 0)));  // out of range: no score, no crash
  EXPECT_TRUE(std::isinf(raw_score(*snap, 9, 0, 0, 0)));
}

TEST(DisplayMatrixOnGpt2, MeanOfHeadsMatchesTheGoldenMean) {
  const auto model = load_model(fixture("gpt2"));
  const nlohmann::json golden = read_json(fixture("gpt2") / "golden.json");
  const nlohmann::json& c = golden["cases"][0];
  const auto snap = run_text(model, c["text"].get<std::string>(), RunOptions{});
  DisplaySettings display;  // GPT-2 adds no special tokens: nothing is hidden or renormalised
  display.hide_special = true;
  const DisplayMatrix m = build_display_matrix(*snap, 1, 0, HeadMode::Mean, display);
  ASSERT_EQ(m.n_rows(), snap->n_tokens);
  EXPECT_FALSE(m.renormalised);
  for (int i = 0; i < snap->n_tokens; ++i)
    for (int j = 0; j < snap->n_tokens; ++j) {
      double mean = 0;
      for (int h = 0; h < snap->n_heads; ++h) mean += golden_head(c, 1, h)[i][j];
      EXPECT_NEAR(m.weights(i, j), mean / snap->n_heads, 1e-4);
      EXPECT_FLOAT_EQ(m.values(i, j), std::min(m.weights(i, j), 1.0f));  // linear scale: the weight itself
    }
}

}  // namespace
}  // namespace attnscope
