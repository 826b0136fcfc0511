#include "render/views.h"

#include "render/view_alignment.h"
#include "render/view_common.h"
#include "render/view_head.h"
#include "render/view_heatmap.h"
#include "render/view_minimal_pair.h"
#include "render/view_model.h"
#include "render/view_predictions.h"
#include "render/view_qkv.h"

namespace attnscope {

struct Views::Impl {
  GlResources gl;
  HeatmapViewState heatmap;
  HeadViewState head;
  ModelViewState model;
  QkvViewState qkv;
  PredictionsViewState predictions;
  AlignmentViewState alignment;
  MinimalPairViewState pair;
};

namespace {

// The head view and Q/K/V draw one token list on both sides: cross-attention,
// whose keys are the source, is shown by the heatmap, model and alignment views.
bool needs_one_token_list(ViewId view, const AppState& state) {
  return (view == ViewId::HeadView || view == ViewId::Qkv) && state.snapshot && !state.snapshot->key_tokens.empty();
}

// Predictions of an encoder-decoder model are the decoder's: the next target
// token at the decoding step, whichever attention the other views show.
void draw_decoder_predictions(AppState& state, PredictionsViewState& view, GlResources& gl,
                              const ViewDrawOptions& options) {
  const auto shown = state.snapshot;
  const int query = state.selection.query;
  state.snapshot = state.decoder_snapshot;
  if (state.attention == AttentionKind::Self) state.selection.query = -1;  // a source position means nothing here
  draw_predictions_view(state, view, gl, options);
  state.snapshot = shown;
  state.selection.query = query;
}

}  // namespace

Views::Views() : impl_(std::make_unique<Impl>()) {}
Views::~Views() = default;

const HeatmapLayout& Views::heatmap_layout() const { return impl_->heatmap.layout; }
const HeatmapLayout& Views::alignment_layout() const { return impl_->alignment.layout; }
const HeatmapLayout& Views::pair_diff_layout() const { return impl_->pair.diff_layout; }

void Views::draw_content(ViewId view, AppState& state, const ViewDrawOptions& options) {
  if (needs_one_token_list(view, state)) {
    ImGui::TextWrapped("The %s shows self-attention: pick encoder or decoder self-attention, or see cross-attention "
                       "in the heatmap, model and alignment views.", view_title(view));
    return;
  }
  if (view == ViewId::Predictions && state.decoder_snapshot) return draw_decoder_predictions(state, impl_->predictions, impl_->gl, options);
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
