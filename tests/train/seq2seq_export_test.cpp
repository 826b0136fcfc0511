// A random encoder-decoder exported as a MarianMTModel folder opens through
// the engine's load_model() and gives the trainer's logits under teacher
// forcing, pair by pair, also for pairs the trainer ran padded in one batch.
#include <iostream>

#include <gtest/gtest.h>

#include "core/safetensors.h"
#include "core/seq2seq.h"
#include "seq2seq_support.h"
#include "train/rng.h"
#include "train/seq2seq_data.h"
#include "train/seq2seq_transformer.h"

namespace attnscope::train {
namespace {

Seq2SeqShape fixture_sized_shape() {
  Seq2SeqShape s;
  s.encoder_layers = 2;
  s.decoder_layers = 3;  // unlike the encoder, so a swapped count would show
  s.n_heads = 4;
  s.dim = 32;
  s.ffn_dim = 48;
  s.vocab_size = testing::kFixtureVocab;
  s.max_positions = 24;
  s.pad_id = testing::kFixturePad;
  s.eos_id = 0;
  return s;
}

TEST(Seq2SeqExport, LoadsThroughTheEngineWithTheSameLogits) {
  const Seq2SeqShape shape = fixture_sized_shape();
  Seq2SeqTransformer<float> model(shape);
  model.params = initial_seq2seq_params(shape, model.layout(), 9);
  // Well away from the initialisation: every bias, norm and final_logits_bias nonzero.
  Rng noise(21);
  for (float& v : model.params) v += static_cast<float>(0.05 * noise.normal());

  const auto folder = attnscope::testing::temp_dir("seq2seq-export");
  testing::export_with_fixture_tokenizer(folder, shape, model.layout(), model.params);

  const TensorStore store = TensorStore::open_folder(folder);
  EXPECT_EQ(store.find("model.shared.weight")->shape, (std::vector<std::int64_t>{662, 32}));
  EXPECT_EQ(store.find("final_logits_bias")->shape, (std::vector<std::int64_t>{1, 662}));
  EXPECT_EQ(store.find("model.decoder.layers.2.encoder_attn.k_proj.weight")->shape, (std::vector<std::int64_t>{32, 32}));
  EXPECT_EQ(store.find("model.encoder.layers.1.fc1.weight")->shape, (std::vector<std::int64_t>{48, 32}));  // nn.Linear [out, in]
  EXPECT_FALSE(store.contains("lm_head.weight"));  // tied to model.shared

  const auto engine = load_model(folder);
  ASSERT_TRUE(is_encoder_decoder(*engine));
  EXPECT_EQ(engine->encoder_decoder->config.n_decoder_layers, 3);
  EXPECT_EQ(engine->encoder_decoder->config.decoder_start_id, testing::kFixturePad);

  const std::vector<TokenPair> pairs = {{{5, 17, 300, 42, 9, 120, 0}, {33, 250, 7, 0}},
                                        {{88, 1, 0}, {400, 12, 19, 560, 73, 2}}};
  const Seq2SeqBatch batch = make_seq2seq_batch(pairs, {0, 1}, shape);
  const Mat<float> trainer_logits = model.logits(batch);  // [2*Tt, V]
  float worst = 0;
  for (int b = 0; b < 2; ++b) {
    const int Tt = batch.target_tokens;
    std::vector<int> decoder_input = {shape.pad_id};
    for (int id : pairs[static_cast<size_t>(b)].target)
      if (id != shape.eos_id) decoder_input.push_back(id);
    RunOptions run;
    run.keep_logits = true;
    const auto snapshot = run_seq2seq_tokens(engine, testing::tokens(pairs[static_cast<size_t>(b)].source), testing::tokens(decoder_input), run);
    const MatrixRM& engine_logits = snapshot->decoder->logits;  // [rows, V]
    const int rows = static_cast<int>(decoder_input.size());
    ASSERT_EQ(engine_logits.rows(), rows);
    ASSERT_EQ(engine_logits.cols(), shape.vocab_size);
    const Mat<float> mine = trainer_logits.middleRows(b * Tt, rows);
    const float diff = (engine_logits - mine).cwiseAbs().maxCoeff();
    worst = std::max(worst, diff);
    EXPECT_LT(diff, 1e-4f) << "pair " << b;
    EXPECT_GT(mine.cwiseAbs().maxCoeff(), 1e-2f);  // the comparison is not between zeros
  }
  std::cout << "seq2seq: max |engine - trainer| logit difference " << worst << "\n";
}

}  // namespace
}  // namespace attnscope::train
