#include "render/views.h"

#include "render/view_alignment.h"
#include "render/view_common.h"
#include "render/view_head.h"
#include "render/view_heatmap.h"
#include "render/view_minimal_pair.h"
#include "render/view_model.h"
#include "render/view_predictions.h"
#include "render/view_qkv.h"
#include "scene/attention_view.h"

namespace attnscope {

namespace {

// The translation baseline as the decoder view of its step, made again only
// when the run or the step changes.
struct BaselineView {
  std::shared_ptr<const AttentionSnapshot> run, view;
  int step = -2;
};

}  // namespace

struct Views::Impl {
  GlResources gl;
  HeatmapViewState heatmap;
  HeadViewState head;
  ModelViewState model;
  QkvViewState qkv;
  PredictionsViewState predictions;
  AlignmentViewState alignment;
  BaselineView baseline;
  MinimalPairViewState pair;
};

namespace {

// Predictions of an encoder-decoder model are the decoder's: the next target
// token at the decoding step, whichever attention the other views show.
void draw_decoder_predictions(AppState& state, PredictionsViewState& view, BaselineView& cache, GlResources& gl,
                              const ViewDrawOptions& options) {
  const auto shown = state.snapshot, baseline = state.baseline;
  const int query = state.selection.query;
  state.snapshot = state.decoder_snapshot;
  // The run with every head on, cut to the same step: its rows compare with the decoder's.
  if (cache.run != baseline || cache.step != state.step) {
    cache.view = attention_view(baseline, AttentionKind::DecoderSelf, state.step);
    cache.run = baseline;
    cache.step = state.step;
  }
  state.baseline = cache.view;
  if (state.attention == AttentionKind::Self) state.selection.query = -1;  // a source position means nothing here
  draw_predictions_view(state, view, gl, options);
  state.snapshot = shown;
  state.baseline = baseline;
  state.selection.query = query;
}

}  // namespace

Views::Views() : impl_(std::make_unique<Impl>()) {}
Views::~Views() = default;

const HeatmapLayout& Views::heatmap_layout() const { return impl_->heatmap.layout; }
const HeatmapLayout& Views::alignment_layout() const { return impl_->alignment.layout; }
const HeatmapLayout& Views::pair_diff_layout() const { return impl_->pair.diff_layout; }

bool Views::settled() const { return model_view_settled(impl_->model); }

void Views::draw_content(ViewId view, AppState& state, const ViewDrawOptions& options) {
  if (view == ViewId::Predictions && state.decoder_snapshot) return draw_decoder_predictions(state, impl_->predictions, impl_->baseline, impl_->gl, options);
  switch (view) {
    case ViewId::Heatmap: draw_heatmap_view(state, impl_->heatmap, impl_->gl, options); return;
    case ViewId::HeadView: draw_head_view(state, impl_->head, impl_->gl, options); return;
    case ViewId::ModelView: draw_model_view(state, impl_->model, impl_->gl, options); return;
    case ViewId::Qkv: draw_qkv_view(state, impl_->qkv, impl_->gl, options); return;
    case ViewId::Predictions: draw_predictions_view(state, impl_->predictions, impl_->gl, options); return;
    case ViewId::Alignment: draw_alignment_view(state, impl_->alignment, impl_->gl, options); return;
    case ViewId::MinimalPair: draw_minimal_pair_view(state, impl_->pair, impl_->gl, options); return;
  }
}

}  // namespace attnscope
