// The model view's head summaries from the worker are the ones computed on
// the spot, for every head, with the display settings of their key.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "core/default_model.h"
#include "core/forward.h"
#include "core/model.h"
#include "scene/display_matrix.h"
#include "scene/head_summaries.h"

namespace attnscope {
namespace {

std::optional<HeadSummaries> wait_for(HeadSummaryWorker& worker) {
  for (int i = 0; i < 5000; ++i) {
    if (auto done = worker.poll()) return done;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::nullopt;
}

TEST(HeadSummaries, TheWorkerSummarisesEveryHeadOfItsKey) {
  const auto model = load_model(*default_model_path());
  const auto snapshot = run_text(model, "The animal didn't cross the street because it was too tired.", {});
  DisplaySettings display;
  display.scale = ColorScale::Log;
  display.hide_special = true;
  const HeadSummaryKey key = head_summary_key(snapshot, display);
  HeadSummaryWorker worker;
  worker.submit(key);
  const auto done = wait_for(worker);
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->key == key);
  ASSERT_EQ(done->heads.size(), static_cast<size_t>(snapshot->n_layers * snapshot->n_heads));
  for (int l = 0; l < snapshot->n_layers; ++l)
    for (int h = 0; h < snapshot->n_heads; ++h) {
      const HeadSummary& got = done->heads[static_cast<size_t>(l * snapshot->n_heads + h)];
      const DisplayMatrix m = build_display_matrix(*snapshot, l, h, HeadMode::Single, display, false);
      EXPECT_FLOAT_EQ(got.entropy, mean_row_entropy(m.weights)) << l << " " << h;
      EXPECT_FLOAT_EQ(got.previous, mean_previous_token_weight(m.weights)) << l << " " << h;
      EXPECT_EQ(got.values, apply_color_scale(downsample_max(m.weights, kThumbnailSide), display.scale)) << l << " " << h;
    }
  // Hiding special tokens drops [CLS] and [SEP] from the picture.
  EXPECT_EQ(done->heads[0].values.rows(), snapshot->n_tokens - 2);
}

}  // namespace
}  // namespace attnscope
