// The shell side of the views: one ImGui window per view, shown or hidden from
// the View menu, each with an "Export PNG" menu. The views themselves only
// draw content (view_*.cpp); this class owns their GL resources and states.
#pragma once
#include <memory>

#include <imgui.h>

#include "app/view_ids.h"

namespace attnscope::app {

struct App;
struct AppState;
struct HeatmapLayout;
struct ViewDrawOptions;

class ViewWindows {
 public:
  ViewWindows();  // compiles shaders and creates textures: needs a current GL context
  ~ViewWindows();  // must run while the GL context still exists
  ViewWindows(const ViewWindows&) = delete;
  ViewWindows& operator=(const ViewWindows&) = delete;

  // Every visible view in its own window.
  void draw(App& app);
  // One view's content into the current ImGui window (figure export).
  void draw_content(ViewId view, AppState& state, const ViewDrawOptions& options);
  // The window's size on screen in the last frame (0 before it was drawn).
  ImVec2 window_size(ViewId view) const;
  // Where the heatmap's cells were drawn by the last draw_content / draw call.
  const HeatmapLayout& heatmap_layout() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace attnscope::app
