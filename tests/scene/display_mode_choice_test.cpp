// A display mode whose matrices are not ready is computed on the worker and
// the views switch only when they are: the choice waits, a run is asked for,
// the worker's precompute fills exactly what display_mode_weights would
// compute, and a later mode's precompute keeps the earlier one's matrices.
#include <gtest/gtest.h>

#include "core/forward.h"
#include "core/model.h"
#include "scene/display_mode_choice.h"
#include "scene/display_modes.h"
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

}  // namespace
}  // namespace attnscope
