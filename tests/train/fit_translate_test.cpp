// The translation recipe end to end at toy size: generated pairs, trained
// tokenizers, a few training steps and the exported folder, which the engine
// opens as a Marian model and the alignment judge scores head by head.
#include <sstream>

#include <gtest/gtest.h>

#include "core/model.h"
#include "core/seq2seq.h"
#include "test_support.h"
#include "train/alignment_eval.h"
#include "train/fit_translate.h"
#include "train/parallel_corpus.h"
#include "train/parallel_lexicon.h"

namespace attnscope::train {
namespace {

TEST(FitTranslate, WritesAMarianFolderTheEngineOpensAndTheJudgeScores) {
  const testing::ScopedTempDir dir("fit-translate");
  FitTranslateOptions o;
  o.out = dir / "model";
  o.lexicon = default_lexicon_dir();
  o.train_pairs = 3000;
  o.tokenizer_pairs = 3000;
  o.validation_pairs = 32;
  o.train.shape.encoder_layers = 1;
  o.train.shape.decoder_layers = 2;
  o.train.shape.dim = 32;
  o.train.shape.n_heads = 2;
  o.train.shape.ffn_dim = 64;
  o.train.steps = 20;
  o.train.batch_pairs = 8;
  o.train.eval_every = 20;
  std::ostringstream log;
  fit_translate(o, log);
  EXPECT_NE(log.str().find("step 20 | validation loss"), std::string::npos) << log.str();

  const auto model = load_model(o.out);
  ASSERT_TRUE(is_encoder_decoder(*model));
  EXPECT_EQ(model->config.n_layers, 1);
  EXPECT_EQ(model->encoder_decoder->config.n_decoder_layers, 2);
  EXPECT_EQ(model->encoder_decoder->config.decoder_start_id, model->config.vocab_size - 1);  // <pad>, Marian's start

  const auto pairs = generate_pairs(load_parallel_lexicon(o.lexicon), Split::Selection, 5, 3);
  const AlignmentReport report = evaluate_alignment(model, pairs, true);
  ASSERT_EQ(report.heads.size(), 4u);
  EXPECT_GT(report.heads[0].links.total, 5);
  EXPECT_EQ(report.exact.total, 5);
}

}  // namespace
}  // namespace attnscope::train
