// The default models shipped in assets/models, judged on what the issue asks
// of them: size, loading through the ordinary HF path, the pronoun and
// verb -> subject heads of the masked model on the seed sentences and on
// held-out probe sentences generated with a seed the heads were not chosen
// on, and a causal model that predicts held-out English far better than chance.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/forward.h"
#include "core/model.h"
#include "train/corpus_mix.h"
#include "train/mlm_eval.h"
#include "train/probe_eval.h"
#include "test_support.h"

namespace attnscope::train {
namespace {

namespace fs = std::filesystem;

const fs::path kModels = fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models";
constexpr std::uint64_t kSelectionSeed = 7;  // the probe set the preset head was chosen on
constexpr std::uint64_t kFreshSeed = 8;      // another held-out set, never used for choosing
// attnscope-tiny-bert's corpus, as in docs/default-models.md's training command
// (--mix ... --mb 24 --wordnet --subjects 0.25 --seed 1).
constexpr const char* kBertMix = "generated=0.55,tinystories=0.30,brown=0.15";
constexpr std::size_t kBertCorpusBytes = 24u << 20;
constexpr std::uint64_t kBertCorpusSeed = 1;
constexpr double kBertSubjectShare = 0.25;
constexpr const char* kGptMix = "generated=0.2,tinystories=0.65,brown=0.15";  // same size and seed, --wordnet --stories-only --retold
constexpr double kNewSentencesMinAccuracy = 0.9;  // the target for held-out sentences
// On new words the 0.9 target is not met (docs/default-models.md); the head
// must still beat the better of the positional baselines clearly.
constexpr double kNewWordsMarginOverBaselines = 0.10;
// Verbs training never linked: the subject head must find their subjects far
// above the positional baselines (80.5% against 57.8% in the docs; the model
// before WordNet's verbs, 59.5%).
constexpr double kNewVerbsMarginOverBaselines = 0.20;

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

corpus::CorpusMix bert_mix() {
  corpus::CorpusMix mix = corpus::parse_mix(kBertMix, kBertCorpusBytes);
  mix.wordnet = true;
  mix.subject_share = kBertSubjectShare;
  return mix;
}

// New sentences of a task in the training vocabulary, none of them in the
// generated training text (probe-eval --lexicon training).
class NewSentences {
 public:
  NewSentences()
      : corpora_(attnscope::testing::shared_dir() / "corpora"),
        training_(corpus::generated_text(bert_mix(), kBertCorpusSeed, corpora_)) {}
  std::vector<ProbeItem> items(const std::string& task, std::uint64_t seed) const {
    corpus::ProbeOptions options;
    options.task = task;
    options.held_out = false;
    options.lexicon = &corpus::training_lexicon(bert_mix(), corpora_);
    const auto unseen = [&](const std::string& text) { return training_.find(text) == std::string::npos; };
    return parse_probe_set(corpus::probe_set_jsonl(seed, 400, options, unseen));
  }

 private:
  fs::path corpora_;
  std::string training_;
};

const HeadPreset& preset_named(const Model& model, const std::string& name) {
  const auto found = std::find_if(model.presets.begin(), model.presets.end(), [&](const HeadPreset& p) { return p.name == name; });
  if (found == model.presets.end()) throw std::runtime_error("no preset named " + name);
  return *found;
}

TEST(DefaultModels, BertPronounHeadResolvesNewSentences) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  ASSERT_FALSE(model->presets.empty());
  ASSERT_EQ(model->presets.front().name, "pronoun \u2192 antecedent");
  const NewSentences probes;
  check_pronoun_head(run_probe(model, probes.items("pronoun", kFreshSeed)), model->presets.front(), kNewSentencesMinAccuracy);
  // The preset is the head probe-eval picks on the selection set.
  const auto chosen = choose_presets(run_probe(model, probes.items("pronoun", kSelectionSeed)), true);
  EXPECT_EQ(chosen.front().layer, model->presets.front().layer);
  EXPECT_EQ(chosen.front().head, model->presets.front().head);
}

// The verb -> subject head: on new sentences whose subject is kept from its
// verb by a distractor noun, and at "sat" in "The cat sat on the mat.".
TEST(DefaultModels, BertSubjectHeadFindsTheSubjectPastDistractors) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  const HeadPreset& preset = preset_named(*model, "verb \u2192 subject");
  const NewSentences probes;
  const ProbeReport fresh = run_probe(model, probes.items("subject", kFreshSeed));
  const HeadProbe& head = fresh.heads[static_cast<size_t>(preset.layer * fresh.n_heads + preset.head)];
  EXPECT_EQ(fresh.skipped, 0);
  EXPECT_GE(head.all.total, 200);
  EXPECT_GE(head.all.accuracy(), kNewSentencesMinAccuracy) << format_subject_report(fresh);
  EXPECT_TRUE(head.seed_subject_right) << "sat -> cat " << head.sat_cat;
  const HeadChoice chosen = choose_subject_preset(run_probe(model, probes.items("subject", kSelectionSeed)));
  EXPECT_EQ(chosen.layer, preset.layer);
  EXPECT_EQ(chosen.head, preset.head);
}

TEST(DefaultModels, BertSubjectHeadOnNewVerbs) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  const HeadPreset& preset = preset_named(*model, "verb \u2192 subject");
  const ProbeReport report = run_probe(model, parse_probe_set(corpus::probe_set_jsonl(kFreshSeed, 400, corpus::ProbeOptions{"subject", true, nullptr})));
  const HeadProbe& head = report.heads[static_cast<size_t>(preset.layer * report.n_heads + preset.head)];
  const double baseline = std::max(report.nearest.accuracy(), report.first.accuracy());
  EXPECT_EQ(report.skipped, 0);
  EXPECT_GE(head.all.accuracy(), baseline + kNewVerbsMarginOverBaselines) << format_subject_report(report);
}

TEST(DefaultModels, BertPronounHeadOnNewWords) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  ASSERT_FALSE(model->presets.empty());
  const ProbeReport report = run_probe(model, parse_probe_set(corpus::probe_set_jsonl(kFreshSeed, 400, true)));
  const double baseline = std::max(report.nearest.accuracy(), report.first.accuracy());
  check_pronoun_head(report, model->presets.front(), baseline + kNewWordsMarginOverBaselines);
}

// Real English no default model read: Brown's documents past the share the
// corpora took from the start of the file (0.15 and 0.1 of 24 MB).
std::vector<std::string> unseen_brown(std::size_t count) {
  const auto brown = corpus::read_source(attnscope::testing::shared_dir() / "corpora", "brown");
  return {brown.end() - static_cast<std::ptrdiff_t>(count), brown.end()};
}

// Everyday English first: on held-out real text the masked model guesses at
// least as many masked word pieces as the first default model did (21.6% on
// these 60 documents, docs/default-models.md), and every word piece the
// context holds is scored once.
TEST(DefaultModels, BertGuessesMaskedPiecesOfHeldOutEnglish) {
  const auto model = load_model(kModels / "attnscope-tiny-bert");
  const auto documents = unseen_brown(60);
  const MaskedAccuracy accuracy = masked_token_accuracy(model, documents);
  std::printf("masked-token accuracy on unseen Brown: %.1f%% of %ld pieces\n", 100 * accuracy.rate(), accuracy.total);
  EXPECT_GE(accuracy.rate(), 0.216);
  long pieces = 0;  // a long document keeps [CLS], the first pieces and [SEP]
  for (const std::string& document : documents) {
    const auto tokens = model->tokenizer->encode(document);
    const long words = std::count_if(tokens.begin(), tokens.end(), [](const Token& t) { return !t.special; });
    pieces += std::min<long>(words, model->config.max_positions - 2);
  }
  EXPECT_EQ(accuracy.total, pieces);
  EXPECT_THROW(masked_token_accuracy(load_model(kModels / "attnscope-tiny-gpt"), documents), Error);
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
  const std::vector<std::string> brown = unseen_brown(40);
  // New sentences in the training vocabulary, none in the generated training text.
  corpus::CorpusMix mix = corpus::parse_mix(kGptMix, kBertCorpusBytes);
  mix.wordnet = true;
  mix.stories_only = true;
  mix.retold = true;
  const std::string training = corpus::generated_text(mix, kBertCorpusSeed, attnscope::testing::shared_dir() / "corpora");
  std::vector<std::string> new_sentences;
  for (const ProbeItem& item : parse_probe_set(corpus::probe_set_jsonl(kFreshSeed, 60, false, [&](const std::string& text) {
         return training.find(text) == std::string::npos;
       })))
    new_sentences.push_back(item.text);
  const double on_brown = cross_entropy(model, brown), on_new = cross_entropy(model, new_sentences);
  std::printf("cross-entropy: unseen Brown %.3f, new sentences %.3f, uniform %.3f nats\n", on_brown, on_new, uniform);
  // Brown's news and fiction are far from the children's stories the model
  // mostly read; it must still beat uniform guessing by a factor of e^2 a token.
  EXPECT_LT(on_brown, uniform - 2.0);
  EXPECT_LT(on_new, 0.5 * uniform);
}

}  // namespace
}  // namespace attnscope::train
