#include "app/view_windows.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/ui.h"
#include "render/view_common.h"
#include "render/views.h"

namespace attnscope::app {

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
        app.requests.export_request = request;
      }
    }
    ImGui::Separator();
    ImGui::MenuItem("Light background", nullptr, light);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

}  // namespace

void draw_view_windows(App& app) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  // With a translation model the window asked for comes last, so that on the
  // frame the windows are created the alignment view, which opens over the
  // head view and Q/K/V, does not cover it. Other models keep the order (and
  // so the window that ends up focused) they always had.
  std::vector<ViewId> order(std::begin(kAllViews), std::end(kAllViews));
  if (app.ui.focus_view && app.state.encoder_decoder()) {
    order.erase(std::remove(order.begin(), order.end(), *app.ui.focus_view), order.end());
    order.push_back(*app.ui.focus_view);
  }
  for (ViewId view : order) {
    bool& visible = view_visible(app.state.show, view);
    if (!visible) continue;
    // Only a translation model has cross-attention to align.
    if (view == ViewId::Alignment && !app.state.encoder_decoder()) continue;
    const WindowRect rect = default_window_rect(view_title(view), display);
    const ImGuiCond cond = app.ui.reset_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(rect.pos, cond);
    ImGui::SetNextWindowSize(rect.size, cond);
    if (app.ui.focus_view == view) {
      ImGui::SetNextWindowFocus();
      app.ui.focus_view.reset();
    }
    if (ImGui::Begin(view_title(view), &visible, ImGuiWindowFlags_MenuBar)) {
      app.view_windows.sizes[static_cast<int>(view)] = ImGui::GetWindowSize();
      draw_export_menu(app, view, &app.view_windows.light_export);
      ViewDrawOptions options;
      options.scale = ui_scale(app.state.display);
      app.views->draw_content(view, app.state, options);
    }
    ImGui::End();
  }
}

}  // namespace attnscope::app
