// A model trained for a few steps, exported as a Hugging Face folder, opens
// through the engine's load_model() and gives the trainer's logits.
#include <iostream>

#include <gtest/gtest.h>

#include "core/forward.h"
#include "core/model.h"
#include "core/safetensors.h"
#include "train/fit.h"
#include "train/hf_export.h"
#include "train_test_support.h"

namespace attnscope::train {
namespace {

void train_export_and_compare(Arch arch) {
  const auto docs = testing::views(testing::stories(200));
  const auto folder = attnscope::testing::temp_dir(std::string("export-") + arch_name(arch));
  const auto tokenizer = train_tokenizer(arch, docs, 400, folder, 32);

  TrainOptions options;
  options.shape.arch = arch;
  options.shape.n_layers = 2;
  options.shape.n_heads = 4;
  options.shape.dim = 32;
  options.shape.ffn_dim = 64;
  options.shape.max_positions = 32;
  options.shape.vocab_size = tokenizer->vocab_size();
  options.shape.norm_eps = arch == Arch::Gpt ? 1e-5 : 1e-12;
  options.batches.arch = arch;
  options.batches.batch = 4;
  options.batches.tokens = 32;
  set_batch_specials(options.batches, *tokenizer);
  options.steps = 5;
  options.lr.warmup_steps = 1;
  options.lr.peak = 3e-3;
  const TokenStream stream = tokenize_documents(*tokenizer, docs, arch);
  Trainer trainer(options, &stream, nullptr);
  for (int i = 0; i < options.steps; ++i) trainer.train_step();
  export_hf_model(folder, options.shape, trainer.model().layout(), trainer.model().params, special_ids(*tokenizer));

  // HF tensor names and layouts.
  const TensorStore store = TensorStore::open_folder(folder);
  if (arch == Arch::Gpt) {
    EXPECT_TRUE(store.contains("h.0.attn.c_attn.weight"));
    EXPECT_EQ(store.find("h.1.mlp.c_fc.weight")->shape, (std::vector<std::int64_t>{32, 64}));  // Conv1D [in, out]
    EXPECT_TRUE(store.contains("wte.weight"));
  } else {
    EXPECT_TRUE(store.contains("bert.encoder.layer.1.attention.self.key.weight"));
    EXPECT_EQ(store.find("bert.encoder.layer.0.intermediate.dense.weight")->shape, (std::vector<std::int64_t>{64, 32}));  // [out, in]
    EXPECT_TRUE(store.contains("cls.predictions.bias"));
  }

  const auto model = load_model(folder);
  EXPECT_EQ(model->config.family, arch == Arch::Gpt ? Family::Gpt2 : Family::Bert);
  RunOptions run;
  run.keep_logits = true;
  const auto snapshot = run_text(model, "Lily saw a big dog in the park, and it was happy.", run);
  Batch batch;
  batch.batch = 1;
  batch.tokens = static_cast<int>(snapshot->tokens.size());
  for (const Token& t : snapshot->tokens) batch.ids.push_back(t.id);
  const Mat<float> expected = trainer.model().logits(batch);
  ASSERT_EQ(snapshot->logits.rows(), expected.rows());
  ASSERT_EQ(snapshot->logits.cols(), expected.cols());
  const float max_diff = (snapshot->logits - expected).cwiseAbs().maxCoeff();
  std::cout << arch_name(arch) << ": max |engine - trainer| logit difference " << max_diff << "\n";
  EXPECT_LT(max_diff, 1e-4f) << arch_name(arch);
  EXPECT_GT(expected.cwiseAbs().maxCoeff(), 1e-2f);  // the comparison is not between zeros
}

TEST(HfExport, GptLoadsThroughTheEngineWithTheSameLogits) { train_export_and_compare(Arch::Gpt); }

TEST(HfExport, BertLoadsThroughTheEngineWithTheSameLogits) { train_export_and_compare(Arch::Bert); }

}  // namespace
}  // namespace attnscope::train
