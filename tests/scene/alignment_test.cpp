// The alignment view's numbers: SentencePiece words from pieces, source
// columns summed and target rows taken from a word's first piece, the head /
// mean / max / layer-mean combinations with switched-off heads, the decoding
// step, and the decoder-kind snapshots the other views read. The synthetic
// matrices are small enough to check every expected number by hand.
//
// Shape legend: Ld decoder layers, H heads, Tt decoder tokens, Ts source tokens.
#include <gtest/gtest.h>

#include "core/decoder_capture.h"
#include "core/error.h"
#include "core/forward.h"
#include "core/seq2seq.h"
#include "scene/alignment.h"
#include "scene/attention_view.h"
#include "scene/display_matrix.h"
#include "test_support.h"

namespace attnscope {
namespace {

const std::string kWordStart = "\xE2\x96\x81";

Token piece(const std::string& text, bool special = false) {
  Token t;
  t.piece = text;
  t.display = text;
  // The display form shows '▁' as a space, as the tokenizers do.
  if (t.display.rfind(kWordStart, 0) == 0) t.display = " " + t.display.substr(kWordStart.size());
  t.special = special;
  return t;
}

// Source "▁The ▁bl ack ▁cat </s>": words The | black | cat | </s>.
std::vector<Token> source_tokens() {
  return {piece(kWordStart + "The"), piece(kWordStart + "bl"), piece("ack"), piece(kWordStart + "cat"),
          piece("</s>", true)};
}

// Decoder inputs "<pad> ▁Le ▁ch at".
std::vector<Token> decoder_tokens() {
  return {piece("<pad>", true), piece(kWordStart + "Le"), piece(kWordStart + "ch"), piece("at")};
}

MatrixRM rows_of(std::initializer_list<std::initializer_list<float>> rows) {
  MatrixRM m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index r = 0;
  for (const auto& row : rows) {
    Eigen::Index c = 0;
    for (float v : row) m(r, c++) = v;
    ++r;
  }
  return m;
}

void expect_matrix(const MatrixRM& got, const MatrixRM& want) {
  ASSERT_EQ(got.rows(), want.rows());
  ASSERT_EQ(got.cols(), want.cols());
  for (Eigen::Index r = 0; r < want.rows(); ++r)
    for (Eigen::Index c = 0; c < want.cols(); ++c) EXPECT_NEAR(got(r, c), want(r, c), 1e-6f) << "at " << r << "," << c;
}

// A run with Ld = 2, H = 2, Tt = 1, Ts = 2 and these cross-attention rows.
AttentionSnapshot cross_run(const std::vector<MatrixRM>& probs) {
  AttentionSnapshot run;
  run.n_tokens = 2;
  run.tokens = {piece(kWordStart + "a"), piece(kWordStart + "b")};
  auto dec = std::make_shared<DecoderCapture>();
  dec->n_layers = 2;
  dec->n_heads = 2;
  dec->n_tokens = 1;
  dec->tokens = {piece("<pad>", true)};
  for (const MatrixRM& p : probs) {
    HeadCapture head;
    head.probs = p;
    dec->cross_heads.push_back(head);
    dec->self_heads.push_back(HeadCapture{MatrixRM::Zero(1, 1), MatrixRM::Zero(1, 1), MatrixRM::Zero(1, 1),
                                          MatrixRM::Ones(1, 1), MatrixRM::Zero(1, 1)});
  }
  run.decoder = dec;
  return run;
}

// Layer 0: heads [.8 .2] and [.4 .6]; layer 1: [1 0] and [0 1].
AttentionSnapshot hand_run() {
  return cross_run({rows_of({{0.8f, 0.2f}}), rows_of({{0.4f, 0.6f}}), rows_of({{1, 0}}), rows_of({{0, 1}})});
}

TEST(Alignment, WordsStartAtTheWordMarkAndSpecialTokensStandAlone) {
  const auto words = word_groups(source_tokens());
  ASSERT_EQ(words.size(), 4u);
  EXPECT_EQ(words[0].label, "The");
  EXPECT_EQ(words[1].label, "black");
  EXPECT_EQ(words[1].tokens, (std::vector<int>{1, 2}));
  EXPECT_EQ(words[2].label, "cat");
  EXPECT_EQ(words[3].label, "</s>");
  EXPECT_TRUE(words[3].special);
  EXPECT_EQ(token_groups(source_tokens()).size(), 5u);
  EXPECT_EQ(token_groups(source_tokens())[2].label, "ack");
}

TEST(Alignment, RowsAreLabelledWithWhatEachStepProduces) {
  const Token eos = piece("</s>", true);
  const auto produced = produced_tokens(decoder_tokens(), 4, eos);
  ASSERT_EQ(produced.size(), 4u);
  EXPECT_EQ(produced[0].display, " Le");  // row 0 reads <pad> and produces "Le"
  EXPECT_EQ(produced[3].piece, "</s>");   // the last row produces end-of-sequence
  const auto words = word_groups(produced);
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[1].label, "chat");
  EXPECT_EQ(words[1].tokens, (std::vector<int>{1, 2}));
  // A step cuts the rows: step 1 keeps rows 0 and 1, producing "Le" and "ch".
  EXPECT_EQ(word_groups(produced_tokens(decoder_tokens(), 2, eos)).back().label, "ch");
}

TEST(Alignment, SourceWordsSumTheirPiecesAndTargetWordsTakeTheirFirstPiece) {
  const MatrixRM w = rows_of({{0.1f, 0.2f, 0.3f, 0.4f, 0.0f},    // row 0 produces "Le"
                              {0.5f, 0.1f, 0.1f, 0.2f, 0.1f},    // row 1 produces "ch" (first piece of "chat")
                              {0.0f, 0.6f, 0.2f, 0.1f, 0.1f},    // row 2 produces "at": not shown for words
                              {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}});  // row 3 produces </s>
  const auto rows = word_groups(produced_tokens(decoder_tokens(), 4, piece("</s>", true)));
  const auto cols = word_groups(source_tokens());
  // Columns The | black = bl + ack | cat | </s>.
  expect_matrix(merge_groups(w, rows, cols), rows_of({{0.1f, 0.5f, 0.4f, 0.0f},
                                                      {0.5f, 0.2f, 0.2f, 0.1f},
                                                      {0.2f, 0.4f, 0.2f, 0.2f}}));
  // Raw tokens: the matrix itself.
  expect_matrix(merge_groups(w, token_groups(decoder_tokens()), token_groups(source_tokens())), w);
}

TEST(Alignment, HeadMeanMaxAndLayerMean) {
  const AttentionSnapshot run = hand_run();
  expect_matrix(combined_cross_attention(run, AlignMode::Head, 0, 1), rows_of({{0.4f, 0.6f}}));
  expect_matrix(combined_cross_attention(run, AlignMode::MeanHeads, 0, 0), rows_of({{0.6f, 0.4f}}));
  expect_matrix(combined_cross_attention(run, AlignMode::MaxHeads, 0, 0), rows_of({{0.8f, 0.6f}}));
  // (layer 0 mean [.6 .4] + layer 1 mean [.5 .5]) / 2.
  expect_matrix(combined_cross_attention(run, AlignMode::MeanLayers, 0, 0), rows_of({{0.55f, 0.45f}}));
  // Out of range: zeros, never a crash.
  expect_matrix(combined_cross_attention(run, AlignMode::Head, 5, 0), rows_of({{0, 0}}));
}

TEST(Alignment, SwitchedOffCrossHeadsAreLeftOut) {
  AttentionSnapshot run = hand_run();
  run.interventions.ablated_cross_heads = {{0, 0}};
  expect_matrix(combined_cross_attention(run, AlignMode::MeanHeads, 0, 0), rows_of({{0.4f, 0.6f}}));
  // ([.4 .6] + [.5 .5]) / 2.
  expect_matrix(combined_cross_attention(run, AlignMode::MeanLayers, 0, 0), rows_of({{0.45f, 0.55f}}));
  run.interventions.ablated_cross_heads = {{0, 0}, {0, 1}};
  expect_matrix(combined_cross_attention(run, AlignMode::MeanHeads, 0, 0), rows_of({{0, 0}}));
  // A layer with no working head is left out of the layer mean.
  expect_matrix(combined_cross_attention(run, AlignMode::MeanLayers, 0, 0), rows_of({{0.5f, 0.5f}}));
}

TEST(Alignment, CrossKindSnapshotHasSourceKeysAndItsOwnSwitchedOffHeads) {
  auto run = std::make_shared<AttentionSnapshot>(hand_run());
  auto iv = run->interventions;
  iv.ablated_cross_heads = {{1, 1}};
  iv.ablated_heads = {{0, 0}};
  run->interventions = iv;
  const auto cross = attention_view(run, AttentionKind::Cross, -1);
  EXPECT_EQ(cross->n_tokens, 1);
  EXPECT_EQ(cross->n_keys(), 2);
  EXPECT_EQ(cross->n_layers, 2);
  EXPECT_TRUE(cross->ablated(1, 1));
  EXPECT_FALSE(cross->ablated(0, 0));
  EXPECT_FALSE(cross->causal);
  const DisplayMatrix m = build_display_matrix(*cross, 0, 1, HeadMode::Single, DisplaySettings{});
  expect_matrix(m.weights, rows_of({{0.4f, 0.6f}}));
  EXPECT_EQ(m.n_cols(), 2);
  EXPECT_EQ(attention_view(run, AttentionKind::Self, 0), run);
}

// The Marian fixture end to end: one row per decoder step, one column per
// source word, and a step that keeps rows 0..step with the last one current.
TEST(Alignment, MarianRunGivesOneRowPerStepAndRowsThatSumToOne) {
  const auto model = load_model(testing::fixture("marian"));
  RunOptions options;
  const auto run = run_translation(model, "The black cat sat on the mat.", std::string("Le chat noir s'est assis sur le tapis."), options);
  ASSERT_TRUE(run->decoder);
  AlignmentSettings tokens;
  tokens.words = false;
  tokens.mode = AlignMode::Head;
  const Alignment all = build_alignment(*run, tokens, 0, 0, -1);
  EXPECT_EQ(static_cast<int>(all.rows.size()), run->decoder->n_tokens);
  EXPECT_EQ(static_cast<int>(all.cols.size()), run->n_tokens);
  EXPECT_EQ(all.current_row, -1);
  EXPECT_EQ(all.rows.back().label, "</s>");
  for (Eigen::Index r = 0; r < all.weights.rows(); ++r) EXPECT_NEAR(all.weights.row(r).sum(), 1.0f, 1e-4f);
  const Alignment step = build_alignment(*run, tokens, 0, 0, 1);
  EXPECT_EQ(step.rows.size(), 2u);
  EXPECT_EQ(step.current_row, 1);
  AlignmentSettings words;
  const Alignment merged = build_alignment(*run, words, 0, 0, -1);
  for (Eigen::Index r = 0; r < merged.weights.rows(); ++r) EXPECT_NEAR(merged.weights.row(r).sum(), 1.0f, 1e-4f);
  EXPECT_LE(merged.cols.size(), all.cols.size());
}

// What a scene may ask of a translation model, and what it may not ask of others.
TEST(Alignment, ScenesAreCheckedAgainstTheDecoder) {
  const auto marian = load_model(testing::fixture("marian"));
  Scene scene;
  scene.attention = AttentionKind::Cross;
  scene.selection.layer = 1;
  scene.forced = true;
  scene.interventions.ablated_cross_heads = {{1, 3}};
  EXPECT_NO_THROW(validate_scene(scene, *marian, 10));
  scene.selection.layer = 2;  // the fixture's decoder has 2 layers
  EXPECT_THROW(validate_scene(scene, *marian, 10), Error);
  scene.selection.layer = 0;
  scene.interventions.ablated_cross_heads = {{0, 4}};
  EXPECT_THROW(validate_scene(scene, *marian, 10), Error);
  scene.interventions.ablated_cross_heads.clear();
  scene.interventions.masked_keys = {1};  // the engine takes no key masks for translation models
  EXPECT_THROW(validate_scene(scene, *marian, 10), Error);
  scene.interventions.masked_keys.clear();
  scene.step = -2;
  EXPECT_THROW(validate_scene(scene, *marian, 10), Error);

  const auto gpt2 = load_model(testing::fixture("gpt2"));
  Scene forced;
  forced.forced = true;
  EXPECT_THROW(validate_scene(forced, *gpt2, 10), Error);
  Scene cross;
  cross.attention = AttentionKind::Cross;
  EXPECT_THROW(validate_scene(cross, *gpt2, 10), Error);
  EXPECT_NO_THROW(validate_scene(Scene{}, *gpt2, 10));
}

}  // namespace
}  // namespace attnscope
