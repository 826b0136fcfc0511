// The default models shipped in assets/models, judged on what the issue asks
// of them: size, loading through the ordinary HF path, the pronoun head of
// the masked model on the tired/wide pair and on held-out probe sentences
// generated with a seed the head was not chosen on, and a causal model that
// predicts held-out English far better than chance.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/forward.h"
#include "core/model.h"
#include "train/corpus_mix.h"
#include "train/probe_eval.h"
#include "test_support.h"

namespace attnscope::train {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models";
constexpr std::uint64_t kSelectionSeed = 7;  // the probe set the preset head was chosen on
constexpr std::uint64_t kFreshSeed = 8;      // another held-out set, never used for choosing
// attnscope-tiny-bert's corpus, as in docs/default-models.md's training command.
constexpr const char* kBertMix = "generated=0.55,tinystories=0.30,brown=0.15";
constexpr std::size_t kBertCorpusBytes = 24u << 20;
constexpr std::uint64_t kBertCorpusSeed = 1;
constexpr const char* kGptMix = "generated=0.3,tinystories=0.6,brown=0.1";  // same size and seed
constexpr double kNewSentencesMinAccuracy = 0.9;  // the target for held-out sentences
// On new words the 0.9 target is not met (docs/default-models.md); the head
// must still beat the better of the positional baselines clearly.
constexpr double kNewWordsMarginOverBaselines = 0.10;

TEST(DefaultModels, FitInSixteenMegabytesAndLoad) {
  for (const char* name : {"attnscope-tiny-bert", "attnscope-tiny-gpt"}) {
    SCOPED_TRACE(name);
    EXPECT_LE(testing::folder_bytes(kModels / name), 16u << 20);
    const auto model = load_model(kModels / name);
    EXPECT_TRUE(model->presets_problem.empty()) << model->presets_problem;
    EXPECT_GE(model->presets.size(), 2u);
  }
  EXPECT_EQ(load_model(kModels / "attnscope-tiny-bert")->config.family, Family::Bert);
  EXPECT_EQ(load_model(kModels / "attnscope-tiny-gpt")->config.family, Family::Gpt2);
}

// The preset head on held-out items: the tired/wide pair, and the share of
// items where the antecedent gets more weight than the other candidate.
void check_pronoun_head(const ProbeReport& report, const HeadPreset& preset, double min_accuracy) {
  const HeadProbe head = report.heads[static_cast<size_t>(preset.layer * report.n_heads + preset.head)];
  EXPECT_TRUE(head.pair_right) << "tired: animal " << head.tired_animal << " street " << head.tired_street << "; wide: animal "
                               << head.wide_animal << " street " << head.wide_street;
  EXPECT_EQ(report.skipped, 0);
  EXPECT_GE(head.all.total, 200);
  EXPECT_GE(head.all.accuracy(), min_accuracy) << format_report(report);
}

TEST(DefaultModels, BertPronounHeadResolvesNewSentences) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  ASSERT_FALSE(model->presets.empty());
  ASSERT_EQ(model->presets.front().name, "pronoun \u2192 antecedent");
  // New sentences in the training vocabulary, none of them in the generated training text.
  const std::string training = corpus::generated_text(corpus::parse_mix(kBertMix, kBertCorpusBytes), kBertCorpusSeed);
  const auto unseen = [&](const std::string& text) { return training.find(text) == std::string::npos; };
  const ProbeReport fresh = run_probe(model, parse_probe_set(corpus::probe_set_jsonl(kFreshSeed, 400, false, unseen)));
  check_pronoun_head(fresh, model->presets.front(), kNewSentencesMinAccuracy);
  // The preset is the head probe-eval picks on the selection set.
  const auto chosen = choose_presets(run_probe(model, parse_probe_set(corpus::probe_set_jsonl(kSelectionSeed, 400, false, unseen))), true);
  EXPECT_EQ(chosen.front().layer, model->presets.front().layer);
  EXPECT_EQ(chosen.front().head, model->presets.front().head);
}

TEST(DefaultModels, BertPronounHeadOnNewWords) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  ASSERT_FALSE(model->presets.empty());
  const ProbeReport report = run_probe(model, parse_probe_set(corpus::probe_set_jsonl(kFreshSeed, 400, true)));
  const double baseline = std::max(report.nearest.accuracy(), report.first.accuracy());
  check_pronoun_head(report, model->presets.front(), baseline + kNewWordsMarginOverBaselines);
}

// Mean next-token cross-entropy (nats) of a causal model over texts.
double cross_entropy(const std::shared_ptr<const Model>& model, const std::vector<std::string>& texts) {
  RunOptions options;
  options.keep_logits = true;
  options.predict = RunOptions::Predict::None;
  double nll = 0;
  long count = 0;
  for (const std::string& text : texts) {
    const auto s = run_text(model, text, options);
    for (int t = 0; t + 1 < s->n_tokens; ++t) {
      const auto row = s->logits.row(t).cast<double>();  // [V]
      const double log_sum = row.maxCoeff() + std::log((row.array() - row.maxCoeff()).exp().sum());
      nll += log_sum - row(s->tokens[static_cast<size_t>(t + 1)].id);
      ++count;
    }
  }
  return nll / static_cast<double>(std::max(count, 1L));
}

TEST(DefaultModels, GptPredictsHeldOutEnglish) {
  const auto model = load_model(kModels / "attnscope-tiny-gpt");
  const double uniform = std::log(static_cast<double>(model->config.vocab_size));
  // Real English training never read: Brown's documents past the share the
  // GPT's corpus took from it (0.1 of 24 MB, from the start of the file).
  const auto brown = corpus::read_source(attnscope::testing::shared_dir() / "corpora", "brown");
  const std::vector<std::string> unseen_brown(brown.end() - 40, brown.end());
  // New sentences in the training vocabulary, none in the generated training text.
  const std::string training = corpus::generated_text(corpus::parse_mix(kGptMix, kBertCorpusBytes), kBertCorpusSeed);
  std::vector<std::string> new_sentences;
  for (const ProbeItem& item : parse_probe_set(corpus::probe_set_jsonl(kFreshSeed, 60, false, [&](const std::string& text) {
         return training.find(text) == std::string::npos;
       })))
    new_sentences.push_back(item.text);
  const double on_brown = cross_entropy(model, unseen_brown), on_new = cross_entropy(model, new_sentences);
  std::printf("cross-entropy: unseen Brown %.3f, new sentences %.3f, uniform %.3f nats\n", on_brown, on_new, uniform);
  // Brown's news and fiction are far from the children's stories the model
  // mostly read; it must still beat uniform guessing by a factor of e^2 a token.
  EXPECT_LT(on_brown, uniform - 2.0);
  EXPECT_LT(on_new, 0.5 * uniform);
}

}  // namespace
}  // namespace attnscope::train
