// Scoring cross-attention heads against known word alignments: hand-made
// attention rows with a known answer, then a real Marian run end to end.
#include <gtest/gtest.h>

#include "core/model.h"
#include "seed_pairs.h"
#include "test_support.h"
#include "train/alignment_eval.h"

namespace attnscope::train {
namespace {

Token token(const char* piece, std::size_t start, std::size_t end, bool special = false) {
  Token t;
  t.piece = piece;
  t.start = start;
  t.end = end;
  t.special = special;
  return t;
}

// "The black cat" -> "Le chat noir": black-noir and cat-chat cross.
ParallelPair black_cat() {
  ParallelPair pair;
  pair.source = "The black cat";
  pair.target = "Le chat noir";
  pair.source_words = {{0, 3}, {4, 9}, {10, 13}};
  pair.target_words = {{0, 2}, {3, 7}, {8, 12}};
  pair.links = {{0, 0, false}, {2, 1, true}, {1, 2, true}};
  return pair;
}

// Rows [4, Ts] where row r puts `high` on column columns[r] and spreads the rest.
HeadCapture head_attending(const std::vector<int>& columns, int n_keys) {
  HeadCapture head;
  head.probs = MatrixRM::Constant(static_cast<Eigen::Index>(columns.size()), n_keys, 0.1f / static_cast<float>(n_keys - 1));
  for (std::size_t r = 0; r < columns.size(); ++r) head.probs(static_cast<Eigen::Index>(r), columns[r]) = 0.9f;
  return head;
}

TEST(AlignmentEval, ScoresTheProducingRowOfEachTargetWord) {
  const ParallelPair pair = black_cat();
  const std::vector<Token> source = {token("▁The", 0, 3), token("▁black", 3, 9), token("▁cat", 9, 13), token("</s>", 13, 13, true)};
  // Row i reads decoder input i and produces input i + 1: row 1 writes "chat".
  const std::vector<Token> decoder = {token("<pad>", 0, 0, true), token("▁Le", 0, 2), token("▁chat", 2, 7), token("▁noir", 7, 12)};
  const std::vector<HeadCapture> cross = {
      head_attending({0, 2, 1, 3}, 4),  // aligns: Le->The, chat->cat, noir->black
      head_attending({0, 1, 2, 3}, 4),  // copies positions: gets the crossing pair wrong
      head_attending({3, 3, 3, 3}, 4),  // rests on </s>, which is no word
  };
  std::vector<HeadAlignment> heads(3);
  score_pair(pair, source, decoder, cross, heads);
  EXPECT_EQ(heads[0].links.correct, 3);
  EXPECT_EQ(heads[0].links.total, 3);
  EXPECT_EQ(heads[0].crossing.correct, 2);
  EXPECT_EQ(heads[0].crossing.total, 2);
  EXPECT_EQ(heads[1].links.correct, 1);
  EXPECT_EQ(heads[1].crossing.correct, 0);
  EXPECT_EQ(heads[2].links.correct, 0);
}

TEST(AlignmentEval, SumsAWordsPiecesBeforeTakingTheLargest) {
  ParallelPair pair = black_cat();
  // "black" split in three pieces of 0.2 each loses piece by piece to "cat" (0.4)
  // but wins as a word (0.6).
  const std::vector<Token> source = {token("▁The", 0, 3), token("▁b", 3, 5), token("la", 5, 7), token("ck", 7, 9),
                                     token("▁cat", 9, 13)};
  const std::vector<Token> decoder = {token("<pad>", 0, 0, true), token("▁Le", 0, 2), token("▁chat", 2, 7), token("▁noir", 7, 12)};
  HeadCapture head;
  head.probs = MatrixRM::Zero(4, 5);
  head.probs.row(0) << 1, 0, 0, 0, 0;
  head.probs.row(1) << 0, 0, 0, 0, 1;
  head.probs.row(2) << 0, 0.2f, 0.2f, 0.2f, 0.4f;
  std::vector<HeadAlignment> heads(1);
  score_pair(pair, source, decoder, {head}, heads);
  EXPECT_EQ(heads[0].links.correct, 3);
}

TEST(AlignmentEval, TheAlignmentHeadMustGetTheCrossingRight) {
  AlignmentReport report;
  report.heads = {{1, 2, {950, 1000}, {80, 100}},   // most links, by word order
                  {1, 1, {940, 1000}, {98, 100}},   // the crossing too
                  {0, 0, {500, 1000}, {100, 100}}};
  const HeadAlignment& best = best_alignment_head(report);
  EXPECT_EQ(best.layer, 1);
  EXPECT_EQ(best.head, 1);
}

TEST(AlignmentEval, RunsEveryCrossAttentionHeadOfAMarianModel) {
  const auto model = load_model(testing::shared_dir() / "fixtures/marian");
  const AlignmentReport report = evaluate_alignment(model, {black_cat_seed()}, true);
  ASSERT_EQ(report.heads.size(), static_cast<std::size_t>(report.n_layers * report.n_heads));
  EXPECT_EQ(report.n_layers, 2);
  for (const HeadAlignment& h : report.heads) {
    EXPECT_EQ(h.links.total, 9) << "L" << h.layer << "H" << h.head;
    EXPECT_EQ(h.crossing.total, 2);
  }
  EXPECT_EQ(report.skipped, 0);
  EXPECT_EQ(report.exact.total, 1);
  EXPECT_NE(format_alignment_report(report).find("L1H3"), std::string::npos);
}

}  // namespace
}  // namespace attnscope::train
