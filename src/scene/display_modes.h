// The weights an attention view can show besides the attention itself:
//   value-weighted  ‖α_ij · v_j · W_O‖ (Kobayashi et al. 2020, "Attention is
//                   not only a weight"): a large weight on a key whose value
//                   vector the head's output projection shrinks moves little.
//   rollout         (Abnar & Zuidema 2020): per layer the mean of the heads
//                   plus the residual, Â = (A + I)/2 with rows summing to 1,
//                   multiplied from layer 0 up: R_l = Â_l ⋯ Â_0. Row i says
//                   how much of each input token reaches position i after layer l.
//   flow            (same paper): the maximum flow from input token j to
//                   position i through the layers, edge capacities Â.
//
// Shape legend: L layers, H heads, T tokens, Tk keys, D model dim.
#pragma once
#include <vector>

#include "core/snapshot.h"
#include "scene/names.h"

namespace attnscope {

constexpr int kMaxFlowTokens = 64;  // flow runs a max-flow per (query, key) pair

// probs [T, Tk] and the keys' values through the head's output projection
// [Tk, D] -> W(i, j) = probs(i, j) · ‖value_out.row(j)‖, each row then divided
// by its sum (a row of zeros stays zero), so a row reads as each key's share.
MatrixRM value_weighted(const MatrixRM& probs, const MatrixRM& value_out);

// (A + I)/2 with every row rescaled to sum to 1.            A [T, T] -> [T, T]
MatrixRM with_residual(const MatrixRM& attention);
// Â_l ⋯ Â_1 Â_0 of each layer's head-mean attention.  [l+1] each [T, T] -> [T, T]
MatrixRM attention_rollout(const std::vector<MatrixRM>& layer_means);
// Max flow from input j to position i after the last layer, through the
// layers' Â as capacities.                    [l+1] each [T, T] -> [T, T]
MatrixRM attention_flow(const std::vector<MatrixRM>& layer_means);

// Whether `mode` can be computed for this snapshot: rollout and flow need
// square self-attention (not cross-attention), flow at most kMaxFlowTokens.
bool display_mode_applies(const AttentionSnapshot& snapshot, DisplayMode mode);
// One sentence for the view's caption: what the shown numbers are.
const char* display_mode_caption(DisplayMode mode);

// The [T, Tk] matrix of `mode` for one head (value) or the layer (rollout,
// flow: every head of a layer shows the same). Raw returns the probabilities.
// Derived results are cached per snapshot, so a view may ask every frame.
MatrixRM display_mode_weights(const AttentionSnapshot& snapshot, int layer, int head, DisplayMode mode);

// Fills display_mode_weights' cache for every layer and head, so that views
// asking later find the matrices ready. The inference worker calls it before
// publishing a snapshot: flow at 40 tokens takes about a second.
void precompute_display_mode(const AttentionSnapshot& snapshot, DisplayMode mode);
// True when every matrix of `mode` is cached for the snapshot (always for raw
// weights): the app switches a view to a mode only then.
bool display_mode_ready(const AttentionSnapshot& snapshot, DisplayMode mode);

}  // namespace attnscope
