// The five views, as names for menus, command-line flags and file names.
#pragma once
#include <string_view>

#include "app/app_state.h"

namespace attnscope::app {

enum class ViewId { Heatmap, HeadView, ModelView, Qkv, Predictions };
constexpr int kViewCount = 5;
constexpr ViewId kAllViews[kViewCount] = {ViewId::Heatmap, ViewId::HeadView, ViewId::ModelView, ViewId::Qkv,
                                          ViewId::Predictions};

// The window title: "Heatmap", "Head view", "Model view", "Q/K/V", "Predictions".
const char* view_title(ViewId view);
// The command-line and file-name form: heatmap, head, model, qkv, predictions.
const char* view_key(ViewId view);
bool view_from_key(std::string_view key, ViewId* out);
bool& view_visible(AppState& state, ViewId view);

}  // namespace attnscope::app
