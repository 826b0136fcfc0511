// Alignment view: which source words each target word was translated from,
// read off an encoder-decoder model's cross-attention. Target words down the
// side, each labelled with what its decoding step produced; source words
// across the top; one head, the mean or max of a layer's heads, or the mean
// over layers. The numbers come from scene/alignment.h.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "render/view_common.h"
#include "scene/alignment.h"

namespace attnscope {

struct AlignmentViewState {
  Alignment data;
  MatrixRM values;         // [R, C] data.weights through the colour scale: what the texture holds
  HeatmapTexture texture;
  std::vector<std::string> row_labels, col_labels;  // [R], [C] cut for the axes
  // What `data` was built from; rebuilt when any of it changes.
  std::shared_ptr<const AttentionSnapshot> shown;
  AlignmentSettings shown_settings;
  int shown_layer = -1, shown_head = -1, shown_step = -2;
  ColorScale shown_scale = ColorScale::Linear;
  HeatmapLayout layout;  // where the last draw put the cells, for figure sidecars and tests
};

void draw_alignment_view(AppState& state, AlignmentViewState& view, GlResources& gl, const ViewDrawOptions& options);

// "Cross-attention, layer 1, head 2", "..., mean of 4 heads", "mean of 2 layers x 4 heads".
std::string alignment_caption(const AttentionSnapshot& run, const AlignmentSettings& settings, int layer, int head);

}  // namespace attnscope
