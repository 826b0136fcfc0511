// The alignment view's numbers: which source words each target word's
// decoding step attended to, from the cross-attention of an encoder-decoder
// run. Rows are labelled with what a decoder step produces (row i reads
// target_tokens[i] and produces target_tokens[i + 1], the last row
// end-of-sequence); columns are source tokens. Pure data, no GL.
//
// Shape legend: Ld decoder layers, H heads, Tt decoder tokens, Ts source
// tokens, R rows and C columns shown (tokens, or words merged from them).
#pragma once
#include <string>
#include <vector>

#include "core/snapshot.h"
#include "scene/view_state.h"

namespace attnscope {

// Consecutive tokens shown as one row or column.
struct TokenGroup {
  std::string label;        // the tokens' display text joined, without the leading space
  std::vector<int> tokens;  // indices into the token list, ascending and consecutive
  bool special = false;     // a special token (</s>, <pad>), always a group of its own
};

struct Alignment {
  MatrixRM weights;               // [R, C] in [0, 1] for single heads and means
  std::vector<TokenGroup> rows;   // [R] produced tokens; tokens[0] is the decoder row whose weights are shown
  std::vector<TokenGroup> cols;   // [C] source tokens
  int current_row = -1;           // the row of the replayed decoding step, -1 = none (every step shown)
};

// One group per token.
std::vector<TokenGroup> token_groups(const std::vector<Token>& tokens);
// SentencePiece words: a piece starting with '▁' (U+2581) starts a word, the
// pieces after it up to the next such piece belong to it; a special token
// stands alone. The first token always starts a group.
std::vector<TokenGroup> word_groups(const std::vector<Token>& tokens);

// [R, C] from [Tt', Ts]: column c is the sum of the source columns in cols[c]
// (attention a word receives is the sum of what its pieces receive); row r is
// the row of rows[r].tokens[0] (the step that chose the word's first piece).
MatrixRM merge_groups(const MatrixRM& weights, const std::vector<TokenGroup>& rows, const std::vector<TokenGroup>& cols);

// Cross-attention [Tt, Ts] of `run` combined as `mode` says. Switched-off
// cross-attention heads are left out of means and maxima (their rows are all
// zero); MeanLayers is the mean over layers with a working head of each
// layer's mean. A layer or head out of range gives zeros.
MatrixRM combined_cross_attention(const AttentionSnapshot& run, AlignMode mode, int layer, int head);

// What each decoder row produces, for the first `rows` rows: decoder input
// i + 1, and end-of-sequence (`eos`) after the last input.
std::vector<Token> produced_tokens(const std::vector<Token>& decoder_tokens, int rows, const Token& eos);

// Everything the view draws; an empty Alignment when `run` has no decoder.
// step: as Scene::step (rows 0..step; -1 = every row, none current).
Alignment build_alignment(const AttentionSnapshot& run, const AlignmentSettings& settings, int layer, int head, int step);

// The model's first named cross-attention head (attnscope.json "kind": "cross"),
// on which the alignment view opens; null when it names none.
const HeadPreset* alignment_preset(const Model& model);

}  // namespace attnscope
