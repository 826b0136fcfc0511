// The app's runs predict only the selected row; PredictionsWorker completes
// the others (and the baseline's) to the same guesses a full run gives, the
// views find every row through predictions_at, and exports hold every row.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "core/default_model.h"
#include "core/export_json.h"
#include "core/model.h"
#include "scene/predictions_worker.h"
#include "scene/scene_run.h"

namespace attnscope {
namespace {

std::shared_ptr<const Model> tiny_bert() {
  static const std::shared_ptr<const Model> model = load_model(*default_model_path());
  return model;
}

void expect_same_guesses(const std::vector<Prediction>& got, const std::vector<Prediction>& want, int position) {
  ASSERT_EQ(got.size(), want.size()) << "position " << position;
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(got[k].id, want[k].id) << "position " << position << " rank " << k;
    EXPECT_NEAR(got[k].prob, want[k].prob, 1e-6) << "position " << position << " rank " << k;
  }
}

constexpr const char* kText = "The cat sat on the [MASK] because it was tired.";

TEST(CompletedPredictions, ARowRunPredictsOnlyThatRow) {
  const SceneRun full = run_scene(tiny_bert(), kText, {});
  const SceneRun one = run_scene(tiny_bert(), kText, {}, nullptr, nullptr, nullptr, std::nullopt, 3);
  const int T = full.snapshot->n_tokens;
  for (int t = 0; t < T; ++t) EXPECT_EQ(one.snapshot->top[static_cast<size_t>(t)].empty(), t != 3) << t;
  expect_same_guesses(one.snapshot->top[3], full.snapshot->top[3], 3);
  EXPECT_TRUE(predictions_missing(one.snapshot.get()));
  EXPECT_FALSE(predictions_missing(full.snapshot.get()));
  // Out of range: the masked LM's mask token, the row the view opens on.
  const SceneRun first = run_scene(tiny_bert(), kText, {}, nullptr, nullptr, nullptr, std::nullopt, -1);
  const int mask = default_predicted_row(*tiny_bert(), first.snapshot->tokens);
  EXPECT_EQ(first.snapshot->tokens[static_cast<size_t>(mask)].id, tiny_bert()->tokenizer->mask_id);
  for (int t = 0; t < T; ++t) EXPECT_EQ(first.snapshot->top[static_cast<size_t>(t)].empty(), t != mask) << t;
}

// Typing at the end of a causal model's text: the rows it reuses keep their
// guesses, so completing the run computes only the new rows.
TEST(CompletedPredictions, ReusedRowsKeepTheirGuesses) {
  const auto gpt = load_model(default_model_path()->parent_path() / "attnscope-tiny-gpt");
  const SceneRun before = run_scene(gpt, "The little dog ran to the park", {});
  const SceneRun typed = run_scene(gpt, "The little dog ran to the park and", {}, nullptr, nullptr, before.snapshot,
                                   std::nullopt, -1);
  const SceneRun full = run_scene(gpt, "The little dog ran to the park and", {});
  const int P = before.snapshot->n_tokens, T = typed.snapshot->n_tokens;
  ASSERT_GT(T, P);
  for (int t = 0; t < T; ++t) EXPECT_EQ(typed.snapshot->top[static_cast<size_t>(t)].empty(), t >= P && t != T - 1) << t;
  // The reused rows are the earlier run's, copied.
  for (int t = 0; t < P; ++t) {
    const auto &got = typed.snapshot->top[static_cast<size_t>(t)], &want = before.snapshot->top[static_cast<size_t>(t)];
    ASSERT_EQ(got.size(), want.size()) << t;
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k].id, want[k].id) << t;
      EXPECT_EQ(got[k].prob, want[k].prob) << t;
    }
  }
  // The new row is computed against the reused keys and values, which agree
  // with a full run to float rounding, not bit for bit (incremental_test.cpp).
  const auto &last = typed.snapshot->top.back(), &want_last = full.snapshot->top.back();
  ASSERT_EQ(last.size(), want_last.size());
  for (size_t k = 0; k < last.size(); ++k) EXPECT_EQ(last[k].id, want_last[k].id) << k;
}

TEST(CompletedPredictions, CompletingGivesTheFullRunsGuesses) {
  const SceneRun full = run_scene(tiny_bert(), kText, {});
  const SceneRun one = run_scene(tiny_bert(), kText, {}, nullptr, nullptr, nullptr, std::nullopt, 5);
  const auto top = complete_predictions(*one.snapshot, kSceneTopK);
  ASSERT_EQ(top.size(), full.snapshot->top.size());
  for (size_t t = 0; t < top.size(); ++t) expect_same_guesses(top[t], full.snapshot->top[t], static_cast<int>(t));
  // An export of the partial run holds every row, as the full run's does.
  const auto exported = snapshot_to_json(*one.snapshot)["predictions"];
  ASSERT_EQ(exported.size(), top.size());
  for (size_t t = 0; t < top.size(); ++t) EXPECT_EQ(exported[t]["top"].size(), static_cast<size_t>(kSceneTopK)) << t;
}

TEST(CompletedPredictions, TheWorkerCompletesTheRunAndItsBaseline) {
  Interventions off;
  off.ablated_heads = {{3, 3}};
  const SceneRun full = run_scene(tiny_bert(), kText, off);
  AppState state;
  state.model = tiny_bert();
  const SceneRun one = run_scene(tiny_bert(), kText, off, nullptr, nullptr, nullptr, std::nullopt, 2);
  state.run = state.snapshot = one.snapshot;
  state.baseline = one.baseline;
  ASSERT_TRUE(state.baseline);
  EXPECT_EQ(predictions_at(*state.snapshot, 4, nullptr), nullptr);
  PredictionsWorker worker;
  for (int i = 0; i < 5000 && !worker.idle(state); ++i) {
    worker.update(state);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(worker.idle(state));
  const CompletedPredictions* done = state.completed_predictions.get();
  ASSERT_NE(done, nullptr);
  for (int t = 0; t < full.snapshot->n_tokens; ++t) {
    const auto* got = predictions_at(*state.snapshot, t, done);
    const auto* base = predictions_at(*state.baseline, t, done);
    ASSERT_TRUE(got && base) << t;
    expect_same_guesses(*got, full.snapshot->top[static_cast<size_t>(t)], t);
    expect_same_guesses(*base, full.baseline->top[static_cast<size_t>(t)], t);
  }
  // Another run's completion is not taken for this one.
  EXPECT_EQ(predictions_at(*full.snapshot, 99, done), nullptr);
  const SceneRun other = run_scene(tiny_bert(), "The dog barked.", {}, nullptr, nullptr, nullptr, std::nullopt, 1);
  EXPECT_EQ(predictions_at(*other.snapshot, 2, done), nullptr);
}

}  // namespace
}  // namespace attnscope
