#include "app/view_windows.h"

#include <string>

#include "app/app.h"
#include "app/ui.h"
#include "app/view_common.h"
#include "app/view_head.h"
#include "app/view_heatmap.h"
#include "app/view_model.h"
#include "app/view_predictions.h"
#include "app/view_qkv.h"

namespace attnscope::app {

struct ViewWindows::Impl {
  GlResources gl;
  HeatmapViewState heatmap;
  HeadViewState head;
  ModelViewState model;
  QkvViewState qkv;
  PredictionsViewState predictions;
  ImVec2 sizes[kViewCount] = {};
  bool light_export = false;
};

ViewWindows::ViewWindows() : impl_(std::make_unique<Impl>()) {}
ViewWindows::~ViewWindows() = default;

ImVec2 ViewWindows::window_size(ViewId view) const { return impl_->sizes[static_cast<int>(view)]; }
const HeatmapLayout& ViewWindows::heatmap_layout() const { return impl_->heatmap.layout; }

void ViewWindows::draw_content(ViewId view, AppState& state, const ViewDrawOptions& options) {
  switch (view) {
    case ViewId::Heatmap: draw_heatmap_view(state, impl_->heatmap, impl_->gl, options); return;
    case ViewId::HeadView: draw_head_view(state, impl_->head, impl_->gl, options); return;
    case ViewId::ModelView: draw_model_view(state, impl_->model, impl_->gl, options); return;
    case ViewId::Qkv: draw_qkv_view(state, impl_->qkv, impl_->gl, options); return;
    case ViewId::Predictions: draw_predictions_view(state, impl_->predictions, impl_->gl, options); return;
  }
}

namespace {

// "Export PNG" in the window's menu bar: scale and background, then save.
void draw_export_menu(App& app, ViewId view, bool* light) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Export PNG", app.state.snapshot != nullptr)) {
    for (float scale : {1.0f, 2.0f, 4.0f}) {
      const std::string label = "Save at " + std::to_string(static_cast<int>(scale)) + "x";
      if (ImGui::MenuItem(label.c_str())) {
        ExportRequest request;
        request.view = view;
        request.scale = scale;
        request.light = *light;
        app.export_request = request;
      }
    }
    ImGui::Separator();
    ImGui::MenuItem("Light background", nullptr, light);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

}  // namespace

void ViewWindows::draw(App& app) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  for (ViewId view : kAllViews) {
    bool& visible = view_visible(app.state, view);
    if (!visible) continue;
    const WindowRect rect = default_window_rect(view_title(view), display);
    const ImGuiCond cond = app.reset_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(rect.pos, cond);
    ImGui::SetNextWindowSize(rect.size, cond);
    if (app.focus_view == view) {
      ImGui::SetNextWindowFocus();
      app.focus_view.reset();
    }
    if (ImGui::Begin(view_title(view), &visible, ImGuiWindowFlags_MenuBar)) {
      impl_->sizes[static_cast<int>(view)] = ImGui::GetWindowSize();
      draw_export_menu(app, view, &impl_->light_export);
      ViewDrawOptions options;
      options.scale = ui_scale(app.state.display);
      draw_content(view, app.state, options);
    }
    ImGui::End();
  }
}

}  // namespace attnscope::app
