// Head view, after BertViz: queries in a column on the left, keys on the
// right, a line from query i to key j whose opacity is the weight. With "all
// heads" every head of the layer gets its own colour.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "scene/display_matrix.h"
#include "render/view_common.h"

namespace attnscope {

struct HeadViewLine {
  int head = 0;         // which head drew it (colour)
  int row = 0, col = 0; // display positions of query and key
  float weight = 0;
};

struct HeadViewState {
  // The lines kept after top-k / threshold, rebuilt only when an input changes.
  std::vector<HeadViewLine> lines;
  std::vector<int> tokens;          // [R] token index of each display row (queries and keys alike)
  std::vector<std::string> labels;  // [R]
  std::vector<int> heads;           // heads drawn
  std::shared_ptr<const AttentionSnapshot> shown;
  int shown_layer = -1, shown_head = -1, shown_top_k = -1;
  HeadMode shown_mode = HeadMode::Single;
  float shown_threshold = -1;
  bool shown_hide_special = false;
  DisplayMode shown_display_mode = DisplayMode::Raw;
};

void draw_head_view(AppState& state, HeadViewState& view, GlResources& gl, const ViewDrawOptions& options);

// A colour per head, distinct for colour-blind readers for up to 8 heads
// (Okabe-Ito), evenly spaced hues beyond.
ImU32 head_color(int head, int n_heads, float alpha = 1.0f);

}  // namespace attnscope
