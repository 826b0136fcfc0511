#include "app/view_ids.h"

namespace attnscope::app {

const char* view_title(ViewId view) {
  switch (view) {
    case ViewId::Heatmap: return "Heatmap";
    case ViewId::HeadView: return "Head view";
    case ViewId::ModelView: return "Model view";
    case ViewId::Qkv: return "Q/K/V";
    case ViewId::Predictions: return "Predictions";
  }
  return "?";
}

const char* view_key(ViewId view) {
  switch (view) {
    case ViewId::Heatmap: return "heatmap";
    case ViewId::HeadView: return "head";
    case ViewId::ModelView: return "model";
    case ViewId::Qkv: return "qkv";
    case ViewId::Predictions: return "predictions";
  }
  return "?";
}

bool view_from_key(std::string_view key, ViewId* out) {
  for (ViewId v : kAllViews)
    if (key == view_key(v)) {
      *out = v;
      return true;
    }
  return false;
}

bool& view_visible(AppState& state, ViewId view) {
  switch (view) {
    case ViewId::Heatmap: return state.show.heatmap;
    case ViewId::HeadView: return state.show.head_view;
    case ViewId::ModelView: return state.show.model_view;
    case ViewId::Qkv: return state.show.qkv;
    case ViewId::Predictions: break;
  }
  return state.show.predictions;
}

}  // namespace attnscope::app
