// Head view, after BertViz: queries in a column on the left, keys on the
// right, a line from query i to key j whose opacity is the weight. For
// cross-attention the left column is the target (decoder) tokens and the
// right one the source tokens. With "all
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
  int row = 0, col = 0; // display rows of the query (left) and the key (right)
  float weight = 0;
};

struct HeadViewState {
  // The lines kept after top-k / threshold, rebuilt only when an input changes.
  std::vector<HeadViewLine> lines;
  // Queries on the left, keys on the right: the same tokens for
  // self-attention; for cross-attention decoder tokens and source tokens.
  std::vector<int> queries;              // [R] token index of each query row
  std::vector<int> keys;                 // [C] key index of each key row
  std::vector<std::string> query_labels;  // [R]
  std::vector<std::string> key_labels;    // [C]
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
