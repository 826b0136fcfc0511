// The encoder-decoder's analytic gradient of every parameter tensor against
// central finite differences of the loss, in double precision, on a batch
// whose sources and targets are padded to different lengths.
#include <cmath>
#include <iostream>

#include <gtest/gtest.h>

#include "gradient_check_support.h"

#include "train/rng.h"
#include "train/seq2seq_data.h"
#include "train/seq2seq_transformer.h"

namespace attnscope::train {
namespace {

Seq2SeqShape tiny_seq2seq_shape() {
  Seq2SeqShape s;
  s.encoder_layers = 2;
  s.decoder_layers = 2;
  s.n_heads = 2;
  s.dim = 8;
  s.ffn_dim = 12;
  s.vocab_size = 19;
  s.max_positions = 9;
  s.pad_id = 18;  // Marian: the last id
  s.eos_id = 0;
  return s;
}

// Three pairs of different lengths, so both sides carry padding.
std::vector<TokenPair> tiny_pairs() {
  return {{{3, 5, 7, 9, 2, 0}, {4, 6, 8, 0}},
          {{11, 4, 0}, {12, 13, 14, 15, 16, 0}},
          {{6, 6, 17, 0}, {1, 2}}};  // a target given without its </s>
}

Seq2SeqBatch tiny_batch(const Seq2SeqShape& shape) { return make_seq2seq_batch(tiny_pairs(), {0, 1, 2}, shape); }

TEST(Seq2SeqGradientCheck, BatchIsPaddedOnBothSides) {
  const Seq2SeqShape shape = tiny_seq2seq_shape();
  const Seq2SeqBatch b = tiny_batch(shape);
  EXPECT_EQ(b.source_tokens, 6);
  EXPECT_EQ(b.target_tokens, 6);  // start + 5 target tokens of the longest
  EXPECT_EQ(std::vector<int>(b.source_ids.begin() + 6, b.source_ids.begin() + 12), (std::vector<int>{11, 4, 0, 18, 18, 18}));
  EXPECT_EQ(std::vector<int>(b.decoder_ids.begin(), b.decoder_ids.begin() + 6), (std::vector<int>{18, 4, 6, 8, 18, 18}));
  EXPECT_EQ(std::vector<int>(b.targets.begin(), b.targets.begin() + 6), (std::vector<int>{4, 6, 8, 0, -1, -1}));
  EXPECT_EQ(std::vector<int>(b.targets.begin() + 12, b.targets.end()), (std::vector<int>{1, 2, 0, -1, -1, -1}));
}

TEST(Seq2SeqGradientCheck, EveryParameterTensor) {
  const Seq2SeqShape shape = tiny_seq2seq_shape();
  Seq2SeqTransformer<double> model(shape);
  const std::vector<float> init = initial_seq2seq_params(shape, model.layout(), 3);
  check_every_tensor_of(model, init, tiny_batch(shape), "seq2seq");
}

// Padding must change nothing: a pair's logits alone equal its rows in a padded batch.
TEST(Seq2SeqGradientCheck, PaddingDoesNotLeakIntoRealRows) {
  const Seq2SeqShape shape = tiny_seq2seq_shape();
  Seq2SeqTransformer<double> model(shape);
  const std::vector<float> init = initial_seq2seq_params(shape, model.layout(), 4);
  model.params.assign(init.begin(), init.end());
  const auto pairs = tiny_pairs();
  const Mat<double> padded = model.logits(make_seq2seq_batch(pairs, {0, 1, 2}, shape));  // [3*6, V]
  const Seq2SeqBatch alone_batch = make_seq2seq_batch(pairs, {1}, shape);
  const Mat<double> alone = model.logits(alone_batch);  // [6, V]: pair 1 is the longest target
  const Mat<double> rows = padded.middleRows(6, alone.rows());
  EXPECT_LT((rows - alone).cwiseAbs().maxCoeff(), 1e-12);
  // Pair 1's source has 3 tokens of 6: the padded keys get no attention.
  const auto probs = model.cross_attention(make_seq2seq_batch(pairs, {0, 1, 2}, shape), 1);
  ASSERT_EQ(probs.size(), 3u * 2u);
  EXPECT_EQ(probs[2].rightCols(3).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NEAR(probs[2].row(0).sum(), 1.0, 1e-12);
}

TEST(Seq2SeqGradientCheck, FloatLossMatchesDouble) {
  const Seq2SeqShape shape = tiny_seq2seq_shape();
  Seq2SeqTransformer<float> f(shape);
  Seq2SeqTransformer<double> d(shape);
  f.params = initial_seq2seq_params(shape, f.layout(), 5);
  d.params.assign(f.params.begin(), f.params.end());
  const Seq2SeqBatch batch = tiny_batch(shape);
  EXPECT_NEAR(f.loss(batch, false), d.loss(batch, false), 1e-5);
}

}  // namespace
}  // namespace attnscope::train
