// Model view: a thumbnail of every layer x head pattern, with two numbers per
// head (mean row entropy, weight on the previous token). Click selects a
// head; right-click switches it off (ablation) or on again. Encoder-decoder
// models show three labelled grids, one per kind of attention (encoder self,
// decoder self, cross); a click also picks the kind.
#pragma once
#include <memory>
#include <optional>
#include <vector>

#include "scene/display_matrix.h"
#include "scene/head_summaries.h"
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
  // [L * H], index layer * H + head. A new snapshot's are summarised on a
  // worker (head_summaries.h) and uploaded a few per frame, so typing never
  // stalls on a 144-head, T = 1024 model; the old thumbnails stay on screen
  // until their replacements are ready.
  std::vector<HeadThumbnail> thumbnails;
  std::optional<HeadSummaryKey> shown;      // what `thumbnails` show, once all are uploaded
  std::optional<HeadSummaryKey> requested;  // what was last asked of the worker
  std::optional<HeadSummaries> arrived;     // summaries being uploaded
  int next_to_upload = 0;
  std::unique_ptr<HeadSummaryWorker> worker;  // started on first use
  // Encoder-decoder models: this kind's attention_view() of `run` at `step`.
  std::shared_ptr<const AttentionSnapshot> run, kind_view;
  int step = -2;
};

struct ModelViewState {
  // [3] by AttentionKind: encoder (or the model's only) self-attention,
  // decoder self-attention, cross-attention.
  ModelGrid grids[3];
  int drawn_frame = -10;  // ImGui's frame count when last drawn: a closed view waits for nothing
  float legend_em[2] = {6, 5};  // height drawn under the grid, in font heights: [exporting] (measured)
};

void draw_model_view(AppState& state, ModelViewState& view, GlResources& gl, const ViewDrawOptions& options);

// Whether every grid shows what it last asked its worker for (scripted
// screenshots wait for this).
bool model_view_settled(const ModelViewState& view);

}  // namespace attnscope
