// A run that reuses the rows of an earlier snapshot (RunOptions::reuse) gives
// the same attention, residual stream and predictions as a full run, and
// falls back to a full run whenever reuse would be wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/forward.h"
#include "test_support.h"

namespace attnscope {
namespace {

using attnscope::testing::fixture;
using attnscope::testing::stories_dir;

// Tokens 0..n-1 of a fixed pseudo-random sequence below `vocab`, with the
// last `changed` ones replaced by another sequence.
std::vector<Token> tokens(int n, int vocab, int changed = 0) {
  std::vector<Token> out(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) {
    const bool edit = t >= n - changed;
    out[static_cast<size_t>(t)].id = static_cast<int>((edit ? 7919u : 104729u) * static_cast<unsigned>(t + 3) % static_cast<unsigned>(vocab));
  }
  return out;
}

float max_diff(const MatrixRM& a, const MatrixRM& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
  return a.size() ? (a - b).cwiseAbs().maxCoeff() : 0.0f;
}

// max |a - b| relative to the largest |b| (at least 1).
float scaled_diff(const MatrixRM& a, const MatrixRM& b) {
  return max_diff(a, b) / std::max(1.0f, b.size() ? b.cwiseAbs().maxCoeff() : 0.0f);
}

// max |a - b| - 1e-6 |b|: the BLAS may sum a row's products in another order
// when the product has fewer rows, so a reused pass agrees with a full one to
// float rounding (1e-6 absolute plus 1e-6 relative), not always bit for bit.
float excess(const MatrixRM& a, const MatrixRM& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
  return a.size() ? ((a - b).cwiseAbs() - 1e-6f * b.cwiseAbs()).maxCoeff() : 0.0f;
}

// Every captured tensor and prediction of `got` against `want`: attention to
// 1e-6 (plus 1e-6 relative), projections and the residual stream
// to 1e-5 of their largest value.
void expect_same(const AttentionSnapshot& got, const AttentionSnapshot& want, float attention_tolerance = 1e-6f) {
  ASSERT_EQ(got.n_tokens, want.n_tokens);
  ASSERT_EQ(got.heads.size(), want.heads.size());
  for (size_t i = 0; i < want.heads.size(); ++i) {
    const HeadCapture &g = got.heads[i], &w = want.heads[i];
    EXPECT_LE(excess(g.probs, w.probs), attention_tolerance) << "head " << i;
    EXPECT_LE(scaled_diff(g.q, w.q), 1e-5f) << "head " << i;
    EXPECT_LE(scaled_diff(g.k, w.k), 1e-5f) << "head " << i;
    EXPECT_LE(scaled_diff(g.v, w.v), 1e-5f) << "head " << i;
    EXPECT_LE(excess(g.out, w.out), attention_tolerance) << "head " << i;
  }
  ASSERT_EQ(got.residual.size(), want.residual.size());
  for (size_t l = 0; l < want.residual.size(); ++l) EXPECT_LE(scaled_diff(got.residual[l], want.residual[l]), 1e-5f) << "layer " << l;
  EXPECT_LE(scaled_diff(got.final_hidden, want.final_hidden), 1e-5f);
  EXPECT_LE(scaled_diff(got.logits, want.logits), 1e-5f);
  ASSERT_EQ(got.top.size(), want.top.size());
  for (size_t t = 0; t < want.top.size(); ++t) {
    ASSERT_EQ(got.top[t].size(), want.top[t].size()) << "position " << t;
    for (size_t k = 0; k < want.top[t].size(); ++k) {
      EXPECT_EQ(got.top[t][k].id, want.top[t][k].id) << "position " << t;
      EXPECT_NEAR(got.top[t][k].prob, want.top[t][k].prob, attention_tolerance) << "position " << t;
    }
  }
}

// Runs `before`, then `after` reusing it, and compares with `after` run in full.
void check_edit(const std::shared_ptr<const Model>& model, const std::vector<Token>& before, const std::vector<Token>& after,
                RunOptions options = {}, float attention_tolerance = 1e-6f) {
  auto earlier = run_tokens(model, before, options);
  RunOptions reuse = options;
  reuse.reuse = earlier;
  auto incremental = run_tokens(model, after, reuse);
  auto full = run_tokens(model, after, options);
  expect_same(*incremental, *full, attention_tolerance);
}

TEST(Incremental, Gpt2EditAtTheEndMatchesAFullRun) {
  auto model = load_model(fixture("gpt2"));
  const int V = model->config.vocab_size;
  check_edit(model, tokens(12, V), tokens(12, V, 1));  // the last token changed
  check_edit(model, tokens(12, V), tokens(15, V));     // three tokens typed
  check_edit(model, tokens(12, V), tokens(9, V));      // three tokens deleted
  check_edit(model, tokens(12, V), tokens(12, V, 5));  // an edit further back
  check_edit(model, tokens(12, V), tokens(12, V));     // nothing changed
}

TEST(Incremental, LlamaWithRopeAndGroupedKeysMatchesAFullRun) {
  auto model = load_model(fixture("llama"));
  const int V = model->config.vocab_size;
  check_edit(model, tokens(10, V), tokens(14, V, 2));
  check_edit(model, tokens(10, V), tokens(10, V, 1));
}

// stories260K is trained: its softmax is sharp and its activations large, so
// the rounding of a product with fewer rows shows up to about 2e-6 in the
// attention and the probabilities (the predicted ids are the same).
TEST(Incremental, Stories260KMatchesAFullRunToRounding) {
  auto model = load_model(stories_dir());
  const int V = model->config.vocab_size;
  check_edit(model, tokens(10, V), tokens(14, V, 2), {}, 5e-6f);
  check_edit(model, tokens(10, V), tokens(10, V, 1), {}, 5e-6f);
}

TEST(Incremental, InterventionsLogitsAndLastOnlyPredictionsMatchAFullRun) {
  auto model = load_model(fixture("gpt2"));
  const int V = model->config.vocab_size;
  RunOptions options;
  options.interventions.ablated_heads = {{0, 1}, {1, 0}};
  options.interventions.masked_keys = {2, 5};
  options.keep_logits = true;
  check_edit(model, tokens(12, V), tokens(13, V, 2), options);
  options.keep_logits = false;
  options.predict = RunOptions::Predict::Last;
  check_edit(model, tokens(12, V), tokens(13, V, 2), options);
}

TEST(Incremental, OtherInterventionsOrAnotherMaskMeanAFullRun) {
  auto model = load_model(fixture("gpt2"));
  const int V = model->config.vocab_size;
  auto earlier = run_tokens(model, tokens(12, V), {});
  RunOptions ablated;
  ablated.interventions.ablated_heads = {{0, 0}};
  ablated.reuse = earlier;
  auto incremental = run_tokens(model, tokens(12, V, 1), ablated);
  ablated.reuse = nullptr;
  expect_same(*incremental, *run_tokens(model, tokens(12, V, 1), ablated));

  RunOptions bidirectional;
  bidirectional.interventions.causal = false;
  bidirectional.reuse = earlier;
  incremental = run_tokens(model, tokens(12, V, 1), bidirectional);
  bidirectional.reuse = nullptr;
  expect_same(*incremental, *run_tokens(model, tokens(12, V, 1), bidirectional));
}

TEST(Incremental, AnEncoderRecomputesEverything) {
  auto model = load_model(fixture("bert"));
  const int V = model->config.vocab_size;
  check_edit(model, tokens(10, V), tokens(10, V, 1));
}

TEST(Incremental, TheEarlierSnapshotIsLeftUnchanged) {
  auto model = load_model(fixture("gpt2"));
  const int V = model->config.vocab_size;
  auto earlier = run_tokens(model, tokens(12, V), {});
  const MatrixRM probs = earlier->head(1, 1).probs;  // [T, T]
  RunOptions reuse;
  reuse.reuse = earlier;
  run_tokens(model, tokens(6, V, 1), reuse);
  EXPECT_EQ(max_diff(earlier->head(1, 1).probs, probs), 0.0f);
  EXPECT_EQ(earlier->n_tokens, 12);
}

}  // namespace
}  // namespace attnscope
