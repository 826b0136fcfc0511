// The cost panel's numbers: attention weights per layer, the snapshot's
// memory counted from its tensors, the analytic FLOP counts, and the
// per-layer timing record of the forward pass (structure only: times are
// never asserted, only that they exist, are non-negative and add up).
#include <gtest/gtest.h>

#include "core/attention_cost.h"
#include "core/forward.h"
#include "core/model.h"
#include "core/seq2seq.h"
#include "test_support.h"

namespace attnscope {
namespace {

std::shared_ptr<const Model> fixture_model(const std::string& name) { return load_model(testing::fixture(name)); }

std::vector<Token> tokens_of(const std::vector<int>& ids) {
  std::vector<Token> tokens;
  for (int id : ids) tokens.push_back(Token{id, "", "", 0, 0, false});
  return tokens;
}

const std::vector<int> kTenIds = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

TEST(AttentionCost, EntriesAreHeadsTimesTokensSquared) {
  EXPECT_EQ(attention_entries(4, 12, 12), 576);         // 4 · 12²
  EXPECT_EQ(attention_entries(12, 1024, 1024), 12582912);  // 12 · 1024²
  EXPECT_EQ(attention_entries(4, 3, 5), 60);            // cross-attention: 4 · 3 queries · 5 keys
  EXPECT_EQ(causal_entries(4, 10), 220);                // 4 · 10·11/2
}

// GPT-2 fixture: L = 2, H = 4, Dh = 16, D = 64, V = 457, on T = 10 tokens.
TEST(AttentionCost, Gpt2SnapshotMemoryMatchesHandCount) {
  auto model = fixture_model("gpt2");
  auto snap = run_tokens(model, tokens_of(kTenIds), {});
  const std::vector<TensorBytes> tensors = snapshot_tensors(*snap);
  ASSERT_EQ(tensors.size(), 5u);
  EXPECT_EQ(tensors[0].what, "attention probabilities");
  EXPECT_EQ(tensors[0].floats, 800);   // L·H·T·T = 2·4·10·10
  EXPECT_EQ(tensors[1].floats, 3840);  // L·H·3·T·Dh = 2·4·3·10·16
  EXPECT_EQ(tensors[2].floats, 1280);  // L·H·T·Dh = 2·4·10·16
  EXPECT_EQ(tensors[3].floats, 1920);  // (L+1)·T·D = 3·10·64
  EXPECT_EQ(tensors[4].floats, 640);   // T·D = 10·64
  EXPECT_EQ(total_bytes(tensors), 33920);  // (800 + 3840 + 1280 + 1920 + 640) · 4 bytes

  RunOptions with_logits;
  with_logits.keep_logits = true;
  auto kept = run_tokens(model, tokens_of(kTenIds), with_logits);
  EXPECT_EQ(total_bytes(snapshot_tensors(*kept)), 52200);  // + T·V = 10·457 floats: (8480 + 4570) · 4
}

// Marian fixture: L = Ld = 2, H = 4, Dh = 16, D = 64; Ts = 5 source, Tt = 3 decoder tokens.
TEST(AttentionCost, MarianSnapshotMemoryCountsDecoderAndCrossAttention) {
  auto model = fixture_model("marian");
  auto snap = run_seq2seq_tokens(model, tokens_of({5, 6, 7, 8, 0}), tokens_of({661, 9, 10}), {});
  std::int64_t floats = 0;
  for (const TensorBytes& t : snapshot_tensors(*snap)) floats += t.floats;
  const std::int64_t encoder = 200 + 1920 + 640 + 960 + 320;  // probs 2·4·5·5, qkv 2·4·3·5·16, out 2·4·5·16, residual 3·5·64, output 5·64
  const std::int64_t decoder_self = 72 + 1152 + 384;           // probs 2·4·3·3, qkv 2·4·3·3·16, out 2·4·3·16
  const std::int64_t cross = 120 + 1664 + 384;                 // probs 2·4·3·5, q+k+v 2·4·(3+5+5)·16, out 2·4·3·16
  const std::int64_t decoder_stream = 576 + 192;               // residual 3·3·64, final 3·64
  EXPECT_EQ(floats, encoder + decoder_self + cross + decoder_stream);
  EXPECT_EQ(floats, 8584);
}

TEST(AttentionCost, FlopsOfGpt2FixtureLayer) {
  auto model = fixture_model("gpt2");  // D = 64, F = 256
  const LayerFlops f = layer_flops(*model, 16);
  EXPECT_DOUBLE_EQ(f.quadratic, 65536.0);  // 4 · 16² · 64
  EXPECT_DOUBLE_EQ(f.linear, 1572864.0);   // 2 · 16 · (4·64² + 2·64·256) = 32 · 49152
  EXPECT_DOUBLE_EQ(crossover_tokens(*model), 384.0);  // 2D + F = 128 + 256
  const LayerFlops at = layer_flops(*model, 384);
  EXPECT_DOUBLE_EQ(at.quadratic, at.linear);
}

TEST(AttentionCost, FlopsOfGroupedGatedLlamaLayer) {
  auto model = fixture_model("llama");  // D = 64, H = 4, Hkv = 2, Dh = 16, F = 160, SwiGLU
  const LayerFlops f = layer_flops(*model, 16);
  EXPECT_DOUBLE_EQ(f.quadratic, 65536.0);  // 4 · 16² · (4·16)
  // 2·16·(q 64·64 + k,v 2·64·32 + o 64·64 + gate, up, down 3·64·160) = 32 · 43008
  EXPECT_DOUBLE_EQ(f.linear, 1376256.0);
  EXPECT_DOUBLE_EQ(crossover_tokens(*model), 336.0);  // 2·43008 / (4·64)
}

void expect_consistent(const std::vector<LayerTiming>& layers, double whole_pass_ms) {
  double blocks = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    const LayerTiming& t = layers[l];
    SCOPED_TRACE("layer " + std::to_string(l));
    EXPECT_GE(t.mixing_ms, 0);
    EXPECT_GE(t.projections_ms, 0);
    EXPECT_GE(t.mlp_ms, 0);
    EXPECT_GE(t.cross_mixing_ms, 0);
    EXPECT_LE(t.cross_mixing_ms, t.mixing_ms);
    EXPECT_GT(t.total_ms, 0);
    EXPECT_LE(t.mixing_ms + t.projections_ms + t.mlp_ms, t.total_ms);
    blocks += t.total_ms;
  }
  EXPECT_LE(blocks, whole_pass_ms);
}

TEST(ForwardTiming, OneRecordPerLayerWhosePartsFitTheTotal) {
  auto model = fixture_model("gpt2");
  RunOptions options;
  options.time_layers = true;
  auto snap = run_tokens(model, tokens_of(kTenIds), options);
  ASSERT_EQ(snap->timing.layers.size(), 2u);
  EXPECT_TRUE(snap->timing.decoder_layers.empty());
  EXPECT_EQ(snap->timing.rows, 10);
  expect_consistent(snap->timing.layers, snap->timing.total_ms);
}

TEST(ForwardTiming, PostNormEncoderIsTimedToo) {
  auto model = fixture_model("bert");
  RunOptions options;
  options.time_layers = true;
  auto snap = run_text(model, "the cat sat on the mat", options);
  ASSERT_EQ(snap->timing.layers.size(), 2u);
  expect_consistent(snap->timing.layers, snap->timing.total_ms);
}

TEST(ForwardTiming, UntimedRunHasNoRecordAndTimingChangesNoValue) {
  auto model = fixture_model("gpt2");
  auto plain = run_tokens(model, tokens_of(kTenIds), {});
  EXPECT_TRUE(plain->timing.empty());
  RunOptions options;
  options.time_layers = true;
  auto timed = run_tokens(model, tokens_of(kTenIds), options);
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 4; ++h) {
      EXPECT_EQ(timed->head(l, h).probs, plain->head(l, h).probs);
      EXPECT_EQ(timed->head(l, h).out, plain->head(l, h).out);
    }
  EXPECT_EQ(timed->final_hidden, plain->final_hidden);
}

TEST(ForwardTiming, ReusedRowsAreNotCounted) {
  auto model = fixture_model("gpt2");
  RunOptions options;
  options.time_layers = true;
  options.reuse = run_tokens(model, tokens_of({10, 20, 30, 40, 50, 60, 70}), options);
  auto snap = run_tokens(model, tokens_of(kTenIds), options);
  EXPECT_EQ(snap->timing.rows, 3);  // the first 7 rows came from the earlier run
  expect_consistent(snap->timing.layers, snap->timing.total_ms);
}

TEST(ForwardTiming, EncoderDecoderTimesBothStacksAndCrossAttention) {
  auto model = fixture_model("marian");
  RunOptions options;
  options.time_layers = true;
  auto snap = run_seq2seq_tokens(model, tokens_of({5, 6, 7, 8, 0}), tokens_of({661, 9, 10}), options);
  ASSERT_EQ(snap->timing.layers.size(), 2u);
  ASSERT_EQ(snap->timing.decoder_layers.size(), 2u);
  EXPECT_EQ(snap->timing.rows, 5);
  EXPECT_EQ(snap->timing.decoder_rows, 3);
  double blocks = 0;
  for (const LayerTiming& t : snap->timing.layers) blocks += t.total_ms;
  for (const LayerTiming& t : snap->timing.decoder_layers) blocks += t.total_ms;
  EXPECT_LE(blocks, snap->timing.total_ms);
  expect_consistent(snap->timing.layers, snap->timing.total_ms);
  expect_consistent(snap->timing.decoder_layers, snap->timing.total_ms);
  for (const LayerTiming& t : snap->timing.decoder_layers) EXPECT_GT(t.cross_mixing_ms, 0);
}

}  // namespace
}  // namespace attnscope
