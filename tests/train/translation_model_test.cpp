// The shipped translation model, judged on what its issue asks: size, the
// ordinary Marian loader, the tutorials' sentences, and an alignment head
// named in attnscope.json that was chosen on the selection set (seed 7) and
// is judged here on a held-out set it never saw (seed 8), made only of
// training words but of sentences absent from the training split.
#include <filesystem>

#include <gtest/gtest.h>

#include "core/attention_kind.h"
#include "core/model.h"
#include "core/seq2seq.h"
#include "seed_pairs.h"
#include "test_support.h"
#include "train/alignment_eval.h"
#include "train/parallel_corpus.h"
#include "train/parallel_lexicon.h"

namespace attnscope::train {
namespace {

namespace fs = std::filesystem;

const fs::path kModel = fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-translate";
constexpr std::uint64_t kHeldOutSeed = 8;   // translate-eval chose the head on seed 7
constexpr double kLinkTarget = 0.90;        // the targets on held-out sentences
constexpr double kCrossingTarget = 0.85;

const HeadPreset& alignment_preset(const Model& model) {
  for (const HeadPreset& p : model.presets)
    if (p.name.find("alignment") != std::string::npos) return p;
  throw std::runtime_error("no alignment preset");
}

const HeadAlignment& head_of(const AlignmentReport& report, const HeadPreset& preset) {
  return report.heads[static_cast<std::size_t>(preset.layer * report.n_heads + preset.head)];
}

TEST(TranslationModel, FitsInSixteenMegabytesAndNamesACrossAttentionAlignmentHead) {
  EXPECT_LE(testing::folder_bytes(kModel), 16u << 20);
  const auto model = load_model(kModel);
  ASSERT_TRUE(is_encoder_decoder(*model));
  EXPECT_TRUE(model->presets_problem.empty()) << model->presets_problem;
  EXPECT_EQ(alignment_preset(*model).kind, AttentionKind::Cross);
}

TEST(TranslationModel, TheAlignmentHeadDrawsTheCrossing) {
  const auto model = load_model(kModel);
  const AlignmentReport report = evaluate_alignment(model, {black_cat_seed()}, true);
  const HeadAlignment& head = head_of(report, alignment_preset(*model));
  EXPECT_EQ(report.exact.correct, 1) << format_alignment_report(report);
  EXPECT_EQ(head.crossing.correct, 2) << "black->noir, cat->chat\n" << format_alignment_report(report);
}

TEST(TranslationModel, TheAlignmentHeadAlignsHeldOutSentences) {
  const auto model = load_model(kModel);
  const auto pairs = generate_pairs(load_parallel_lexicon(default_lexicon_dir()), Split::HeldOut, 300, kHeldOutSeed);
  const AlignmentReport report = evaluate_alignment(model, pairs, false);
  const HeadAlignment& head = head_of(report, alignment_preset(*model));
  EXPECT_GE(head.links.accuracy(), kLinkTarget) << format_alignment_report(report);
  EXPECT_GE(head.crossing.accuracy(), kCrossingTarget) << format_alignment_report(report);
  EXPECT_GT(head.crossing.total, 50);
}

}  // namespace
}  // namespace attnscope::train
