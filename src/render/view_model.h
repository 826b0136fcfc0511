// Model view: a thumbnail of every layer x head pattern, with two numbers per
// head (mean row entropy, weight on the previous token). Click selects a
// head; right-click switches it off (ablation) or on again. Encoder-decoder
// models show three labelled grids, one per kind of attention (encoder self,
// decoder self, cross); a click also picks the kind.
#pragma once
#include <memory>
#include <vector>

#include "scene/display_matrix.h"
#include "render/view_common.h"

namespace attnscope {

struct HeadThumbnail {
  HeatmapTexture texture;  // at most kThumbnailSide x kThumbnailSide
  MatrixRM values;         // [<= 128, <= 128] what the texture holds, for vector (SVG) figures
  float entropy = 0;       // mean row entropy, bits
  float previous = 0;      // mean p[i][i-1]
  bool ready = false;
};

// The thumbnails of one kind of attention (the only one of a decoder-only or
// encoder-only model).
struct ModelGrid {
  // [L * H], index layer * H + head. Rebuilt a few per frame after the
  // snapshot changes, so typing never stalls on a 144-head, T = 1024 model;
  // the old thumbnail stays on screen until its replacement is ready.
  std::vector<HeadThumbnail> thumbnails;
  int next_to_build = 0;
  std::shared_ptr<const AttentionSnapshot> shown;
  ColorScale shown_scale = ColorScale::Linear;
  bool shown_hide_special = false;
  DisplayMode shown_display_mode = DisplayMode::Raw;
  // Encoder-decoder models: this kind's attention_view() of `run` at `step`.
  std::shared_ptr<const AttentionSnapshot> run, kind_view;
  int step = -2;
};

struct ModelViewState {
  // [3] by AttentionKind: encoder (or the model's only) self-attention,
  // decoder self-attention, cross-attention.
  ModelGrid grids[3];
  float legend_em[2] = {6, 5};  // height drawn under the grid, in font heights: [exporting] (measured)
};

constexpr int kThumbnailSide = 128;

void draw_model_view(AppState& state, ModelViewState& view, GlResources& gl, const ViewDrawOptions& options);

}  // namespace attnscope
