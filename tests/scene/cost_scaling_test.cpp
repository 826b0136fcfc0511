// The cost panel's scaling job: which lengths it measures, that it measures
// them all off the calling thread, and that it can be cancelled or replaced.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/model.h"
#include "scene/cost_scaling.h"
#include "test_support.h"

namespace attnscope {
namespace {

// Polls until `done` holds or a generous limit passes (a slow, shared machine).
template <class Done>
ScalingProgress wait_for(const ScalingJob& job, const Done& done) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  ScalingProgress p = job.progress();
  while (!done(p) && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    p = job.progress();
  }
  return p;
}

TEST(ScalingLengths, DoublesFromSixteenUpToTheContext) {
  EXPECT_EQ(scaling_lengths(128), (std::vector<int>{16, 32, 64, 128}));
  EXPECT_EQ(scaling_lengths(64), (std::vector<int>{16, 32, 64}));
  EXPECT_EQ(scaling_lengths(1000), (std::vector<int>{16, 32, 64, 128, 256, 512, 1000}));
  EXPECT_EQ(scaling_lengths(24), (std::vector<int>{16, 24}));
  EXPECT_EQ(scaling_lengths(8), (std::vector<int>{8}));
  EXPECT_TRUE(scaling_lengths(0).empty());
}

TEST(ScalingLengths, CappedAtTheLongestMeasuredLength) {
  EXPECT_EQ(scaling_lengths(2048), (std::vector<int>{16, 32, 64, 128, 256, 512, 1024}));
  EXPECT_EQ(scaling_lengths(2048, 100), (std::vector<int>{16, 32, 64, 100}));
}

TEST(ScalingLengths, PredictedSnapshotBytesByHand) {
  ModelConfig c;  // the GPT-2 fixture's sizes
  c.n_layers = 2;
  c.n_heads = 4;
  c.head_dim = 16;
  c.dim = 64;
  // L·H·(T² + 4·T·Dh) + (L+2)·T·D = 8·(256 + 1024) + 4·16·64 = 10240 + 4096 floats
  EXPECT_EQ(predicted_snapshot_bytes(c, 16), 14336 * 4);
}

TEST(ScalingJob, MeasuresEveryPlannedLength) {
  auto model = load_model(testing::fixture("gpt2"));  // context 64
  ScalingJob job;
  job.start(model);
  const ScalingProgress p = wait_for(job, [](const ScalingProgress& q) { return q.done(); });
  ASSERT_EQ(p.state, ScalingState::Finished) << p.note;
  EXPECT_EQ(p.model, model);
  EXPECT_EQ(p.planned, (std::vector<int>{16, 32, 64}));
  ASSERT_EQ(p.points.size(), 3u);
  for (size_t i = 0; i < p.points.size(); ++i) {
    const ScalingPoint& pt = p.points[i];
    EXPECT_EQ(pt.tokens, p.planned[i]);
    EXPECT_EQ(pt.entries, 4LL * pt.tokens * pt.tokens);  // H·T²
    EXPECT_GE(pt.mixing_ms, 0);
    EXPECT_GE(pt.projections_ms, 0);
    EXPECT_GE(pt.mlp_ms, 0);
    EXPECT_LE(pt.mixing_ms + pt.projections_ms + pt.mlp_ms, pt.total_ms);
  }
}

TEST(ScalingJob, EncoderDecoderModelsMeasureTheEncoder) {
  auto model = load_model(testing::fixture("marian"));  // 64 sinusoidal positions
  ScalingJob job;
  job.start(model);
  const ScalingProgress p = wait_for(job, [](const ScalingProgress& q) { return q.done(); });
  ASSERT_EQ(p.state, ScalingState::Finished) << p.note;
  ASSERT_EQ(p.points.size(), 3u);
  EXPECT_EQ(p.points.back().tokens, 64);
}

TEST(ScalingJob, CancelledBeforeItsFirstRun) {
  auto model = load_model(testing::fixture("gpt2"));
  ScalingJob job;
  job.set_foreground_busy(true);  // the app's own run holds the job back
  job.start(model);
  EXPECT_EQ(job.progress().state, ScalingState::Waiting);
  job.cancel();
  job.set_foreground_busy(false);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const ScalingProgress p = job.progress();
  EXPECT_EQ(p.state, ScalingState::Cancelled);
  EXPECT_TRUE(p.points.empty());
}

TEST(ScalingJob, ANewModelReplacesTheOneBeingMeasured) {
  auto first = load_model(testing::fixture("gpt2"));
  auto second = load_model(testing::fixture("llama"));
  ScalingJob job;
  job.set_foreground_busy(true);
  job.start(first);
  job.start(second);
  job.set_foreground_busy(false);
  const ScalingProgress p = wait_for(job, [](const ScalingProgress& q) { return q.done(); });
  EXPECT_EQ(p.model, second);
  EXPECT_EQ(p.state, ScalingState::Finished) << p.note;
  EXPECT_EQ(p.points.size(), 3u);
}

}  // namespace
}  // namespace attnscope
