// One ImGui window per visible view, each with an "Export PNG" menu, around
// the render library's view content.
#pragma once
#include <imgui.h>

#include "scene/view_state.h"

namespace attnscope::app {

struct App;

struct ViewWindowState {
  ImVec2 sizes[kViewCount] = {};  // each window's size on screen in the last frame
  bool light_export = false;
};

void draw_view_windows(App& app);

}  // namespace attnscope::app
