// What an attention view shows, built from a snapshot plus the user's
// selection and display settings. Pure data, no GL, no ImGui, so it is
// unit-tested on its own and shared by every view that draws weights.
//
// Shape legend: L layers, H heads, T tokens (queries), Tk keys (T, or the
// source tokens of cross-attention), Dh head dim; R rows and C columns kept
// for display (R = T and C = Tk unless special tokens are hidden).
#pragma once
#include <vector>

#include "scene/view_state.h"
#include "core/snapshot.h"

namespace attnscope {

struct DisplayMatrix {
  MatrixRM weights;       // [R, C] the weights shown: the model's, or renormalised when specials are hidden
  MatrixRM values;        // [R, C] weights through the colour scale, in [0, 1]: what the colormap receives
  std::vector<int> rows;  // [R] token index of each displayed row (query)
  std::vector<int> cols;  // [C] token index of each displayed column (key)
  bool renormalised = false;

  int n_rows() const { return static_cast<int>(rows.size()); }
  int n_cols() const { return static_cast<int>(cols.size()); }
  // Display position of a token, -1 when it is hidden.
  int row_of_token(int token) const;
  int col_of_token(int token) const;
};

// The [T, Tk] weights of one head, or the mean / max over the layer's heads.
// Ablated heads are left out of the mean and max: their captured rows are all
// zero, and averaging zeros in would only dim what the working heads do.
MatrixRM head_weights(const AttentionSnapshot& snapshot, int layer, int head, HeadMode mode);

// Tokens kept on screen. Hiding drops the special tokens the tokenizer adds
// ([CLS], [SEP], BOS, <|endoftext|>) but keeps [MASK], which is the point of a
// masked-LM sentence.
std::vector<int> kept_tokens(const AttentionSnapshot& snapshot, bool hide_special);
// The same for the keys (snapshot.keys()).
std::vector<int> kept_keys(const AttentionSnapshot& snapshot, bool hide_special);

// Picks rows and cols out of `weights` and, when asked, rescales each row to
// sum to 1 again. A row whose kept weights sum to 0 stays 0.
MatrixRM select_and_renormalise(const MatrixRM& weights, const std::vector<int>& rows, const std::vector<int>& cols,
                                bool renormalise);

// Colour-scale value in [0, 1] of one weight.
//   Linear: w.  Log: (log10(max(w, 1e-4)) + 4) / 4, so 1e-4 -> 0 and 1 -> 1.
//   PerRow: w / row_max (0 when the row is all zero).
float scale_weight(float w, ColorScale scale, float row_max);
MatrixRM apply_color_scale(const MatrixRM& weights, ColorScale scale);  // [R, C] -> [R, C]

// with_values = false leaves `values` empty, for callers that scale a smaller copy.
DisplayMatrix build_display_matrix(const AttentionSnapshot& snapshot, int layer, int head, HeadMode mode,
                                   const DisplaySettings& display, bool with_values = true);
inline DisplayMatrix build_display_matrix(const AttentionSnapshot& snapshot, const Selection& selection,
                                          const DisplaySettings& display) {
  return build_display_matrix(snapshot, selection.layer, selection.head, selection.mode, display);
}

// One pre-softmax score q_i·k_j/√Dh (T5: q_i·k_j plus the relative position
// bias of self-attention), -inf where the mask removed the key: the same
// number as snapshot.scores(layer, head)(i, j) without the [T, Tk] product.
float raw_score(const AttentionSnapshot& snapshot, int layer, int head, int query, int key);
// What raw_score computes, for labels: "q·k / sqrt(Dh)"; for T5, which does
// not scale, "q·k + position bias" (self-attention) or "q·k, not scaled" (cross).
const char* raw_score_formula(const AttentionSnapshot& snapshot);

// Mean over rows of the row entropy -Σ p log2 p, in bits. All-zero rows (an
// ablated head, a query with every key masked) are skipped.
float mean_row_entropy(const MatrixRM& weights);
// Mean of p[i][i-1] over i >= 1: how much a head looks one token back.
float mean_previous_token_weight(const MatrixRM& weights);

// Shrinks a matrix to at most max_side x max_side by taking the maximum of each
// block, so a thin stripe (one token everyone attends to) survives the shrink.
MatrixRM downsample_max(const MatrixRM& values, int max_side);

}  // namespace attnscope
