// Minimal-pair view: sentence A (the text) and sentence B (text_b) that
// differ in a few tokens, side by side on their aligned token grid. It draws
// A's and B's attention of the selected head, their difference B - A on a
// diverging scale, both rows of the query as bars, and the query's top
// predictions in each sentence.
//
// Shape legend: N slots of the aligned grid (scene/token_alignment.h).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "render/view_common.h"
#include "scene/pair_matrix.h"

namespace attnscope {

struct MinimalPairViewState {
  // What is on the GPU, rebuilt only when the runs or the head change.
  PairMatrices pair;
  MatrixRM a_values, b_values, diff_values;  // [N, N] what the three textures hold, in [0, 1]
  HeatmapTexture a_texture, b_texture, diff_texture;
  std::vector<std::string> labels;  // [N] axis label of each slot
  float label_width = 0;            // widest label, in font heights
  std::shared_ptr<const AttentionSnapshot> shown_a, shown_b;
  int shown_layer = -1, shown_head = -1;
  HeadMode shown_mode = HeadMode::Single;
  ColorScale shown_scale = ColorScale::Linear;

  // Where the difference map's cells were drawn by the last call, in ImGui
  // pixels; the figure's sidecar carries it so tests can find a cell.
  HeatmapLayout diff_layout;
};

void draw_minimal_pair_view(AppState& state, MinimalPairViewState& view, GlResources& gl,
                            const ViewDrawOptions& options);

// "A: <sentence A>   B: <sentence B>", for a figure's header.
std::string minimal_pair_sentences(const AppState& state);

}  // namespace attnscope
