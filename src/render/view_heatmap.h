// Heatmap view: the T x T attention matrix of the selected layer and head (or
// the mean / max of the layer's heads). Rows are queries, columns are keys.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "scene/display_matrix.h"
#include "render/view_common.h"

namespace attnscope {

struct HeatmapViewState {
  // Zoom and pan: `zoom` cells per fitted cell (1 = whole matrix), `offset`
  // the first visible column / row in cells.
  float zoom = 1;
  ImVec2 offset{0, 0};

  // Where the cells were drawn by the last call, in ImGui pixels; an export
  // writes it next to the PNG so tests can find a cell.
  HeatmapLayout layout;

  // What is on the GPU, rebuilt only when one of these inputs changes.
  HeatmapTexture texture;
  DisplayMatrix matrix;
  std::vector<std::string> labels;      // [R] axis labels of matrix.rows
  std::vector<std::string> key_labels;  // [C] axis labels of matrix.cols (cross-attention: source tokens)
  float label_width_em = 0;         // widest label, in font heights
  std::shared_ptr<const AttentionSnapshot> shown;
  int shown_layer = -1, shown_head = -1;
  HeadMode shown_mode = HeadMode::Single;
  ColorScale shown_scale = ColorScale::Linear;
  bool shown_hide_special = false;
  DisplayMode shown_display_mode = DisplayMode::Raw;
};

void draw_heatmap_view(AppState& state, HeatmapViewState& view, GlResources& gl, const ViewDrawOptions& options);

}  // namespace attnscope
