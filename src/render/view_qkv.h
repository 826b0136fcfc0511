// Q/K/V view: one head's attention as a soft database lookup, for the
// selected query token i. The query q_i is compared with every key k_j
// (elementwise q x k, summed to q.k, scaled by 1/sqrt(Dh)), the softmax turns
// the scores into weights, and the output is the weighted sum of the values.
// Below, the whole Q, K and V matrices [T, Dh] as heatmaps.
#pragma once
#include <memory>

#include "render/view_common.h"

namespace attnscope {

struct QkvViewState {
  bool strongest_first = false;  // key rows by weight instead of sentence order
  // Q, K, V [T, Dh] as diverging heatmaps, rebuilt when the head changes.
  HeatmapTexture q, k, v;
  MatrixRM q_cells, k_cells, v_cells;  // [T, Dh] each: what the textures hold, in [0, 1]
  float qk_max_abs = 0, v_max_abs = 0;  // colour scales of the Q/K and V heatmaps
  std::shared_ptr<const AttentionSnapshot> shown;
  int shown_layer = -1, shown_head = -1;
};

void draw_qkv_view(AppState& state, QkvViewState& view, GlResources& gl, const ViewDrawOptions& options);

}  // namespace attnscope
