#include "render/views.h"

#include "render/view_common.h"
#include "render/view_head.h"
#include "render/view_heatmap.h"
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
};

Views::Views() : impl_(std::make_unique<Impl>()) {}
Views::~Views() = default;

const HeatmapLayout& Views::heatmap_layout() const { return impl_->heatmap.layout; }

void Views::draw_content(ViewId view, AppState& state, const ViewDrawOptions& options) {
  switch (view) {
    case ViewId::Heatmap: draw_heatmap_view(state, impl_->heatmap, impl_->gl, options); return;
    case ViewId::HeadView: draw_head_view(state, impl_->head, impl_->gl, options); return;
    case ViewId::ModelView: draw_model_view(state, impl_->model, impl_->gl, options); return;
    case ViewId::Qkv: draw_qkv_view(state, impl_->qkv, impl_->gl, options); return;
    case ViewId::Predictions: draw_predictions_view(state, impl_->predictions, impl_->gl, options); return;
  }
}

}  // namespace attnscope
