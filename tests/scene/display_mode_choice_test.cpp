// A display mode whose matrices are not ready is computed on the worker and
// the views switch only when they are: the choice waits, a run is asked for,
// the worker's precompute fills exactly what display_mode_weights would
// compute, and a later mode's precompute keeps the earlier one's matrices.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "core/forward.h"
#include "core/model.h"
#include "scene/display_mode_choice.h"
#include "scene/display_modes.h"
#include "scene/inference_worker.h"
#include "test_support.h"

namespace attnscope {
namespace {

// The mean of a layer's heads, as rollout and flow start from.
std::vector<MatrixRM> layer_means(const AttentionSnapshot& s) {
  std::vector<MatrixRM> means;
  for (int l = 0; l < s.n_layers; ++l) {
    MatrixRM sum = MatrixRM::Zero(s.n_tokens, s.n_tokens);  // [T, T]
    for (int h = 0; h < s.n_heads; ++h) sum += s.head(l, h).probs;
    means.push_back(sum / static_cast<float>(s.n_heads));
  }
  return means;
}

TEST(DisplayModeChoice, WaitsForTheWorkerThenSwitches) {
  AppState state;
  state.snapshot = run_text(load_model(testing::fixture("gpt2")), "A display mode is chosen while typing", {});
  const AttentionSnapshot& snap = *state.snapshot;
  state.run_requested = false;

  choose_display_mode(state, DisplayMode::Flow);
  EXPECT_EQ(state.display.mode, DisplayMode::Raw) << "the views keep their mode";
  EXPECT_EQ(chosen_display_mode(state), DisplayMode::Flow);
  EXPECT_TRUE(state.run_requested) << "the worker is asked for the matrices";

  precompute_display_mode(snap, DisplayMode::Flow);  // what the worker does before publishing
  ASSERT_TRUE(display_mode_ready(snap, DisplayMode::Flow));
  EXPECT_FALSE(display_mode_ready(snap, DisplayMode::Rollout));
  const auto means = layer_means(snap);
  for (int l = 0; l < snap.n_layers; ++l) {
    const std::vector<MatrixRM> up_to(means.begin(), means.begin() + l + 1);
    EXPECT_LE((display_mode_weights(snap, l, 0, DisplayMode::Flow) - attention_flow(up_to)).cwiseAbs().maxCoeff(), 1e-6f);
  }

  display_mode_delivered(state, DisplayMode::Rollout);  // another mode's result changes nothing
  EXPECT_EQ(state.display.mode, DisplayMode::Raw);
  display_mode_delivered(state, DisplayMode::Flow);
  EXPECT_EQ(state.display.mode, DisplayMode::Flow);
  EXPECT_FALSE(state.pending_display_mode);

  precompute_display_mode(snap, DisplayMode::Value);
  EXPECT_TRUE(display_mode_ready(snap, DisplayMode::Value));
  EXPECT_TRUE(display_mode_ready(snap, DisplayMode::Flow)) << "a later precompute keeps the earlier matrices";
  choose_display_mode(state, DisplayMode::Value);  // ready: at once
  EXPECT_EQ(state.display.mode, DisplayMode::Value);
  EXPECT_FALSE(state.pending_display_mode);
  choose_display_mode(state, DisplayMode::Raw);
  EXPECT_EQ(state.display.mode, DisplayMode::Raw);
}

InferenceResult wait_for(InferenceWorker& worker) {
  for (int i = 0; i < 6000; ++i) {
    if (auto result = worker.poll()) return std::move(*result);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ADD_FAILURE() << "the worker never answered";
  return {};
}

// Asking for a display mode's matrices repeats the last request: the worker
// derives them from its last run instead of running the model again.
TEST(DisplayModeChoice, TheWorkerDerivesAModeFromItsLastRun) {
  InferenceWorker worker;
  InferenceRequest request;
  request.model = load_model(testing::fixture("bert"));
  request.text = "The cat sat on the mat";
  worker.submit(request);
  const InferenceResult first = wait_for(worker);
  ASSERT_TRUE(first.run.snapshot) << first.error;
  request.display_mode = DisplayMode::Rollout;
  worker.submit(request);
  const InferenceResult second = wait_for(worker);
  EXPECT_EQ(second.run.snapshot, first.run.snapshot) << "the same run, not a new one";
  EXPECT_EQ(second.display_mode, DisplayMode::Rollout);
  EXPECT_TRUE(display_mode_ready(*second.run.snapshot, DisplayMode::Rollout));
  request.text = "The dog sat on the mat";  // another text runs the model
  worker.submit(request);
  const InferenceResult third = wait_for(worker);
  ASSERT_TRUE(third.run.snapshot) << third.error;
  EXPECT_NE(third.run.snapshot, first.run.snapshot);
  EXPECT_EQ(third.run.snapshot->text, request.text);
}

}  // namespace
}  // namespace attnscope
