// The Compare menu: ready-made minimal pairs for the minimal-pair view.
#include <imgui.h>

#include "app/ui.h"
#include "scene/minimal_pairs.h"

namespace attnscope::app {

void draw_compare_menu(App& app) {
  AppState& s = app.state;
  if (!ImGui::BeginMenu("Compare", s.model != nullptr && !s.encoder_decoder())) return;
  for (const MinimalPairPreset& preset : minimal_pair_presets()) {
    if (ImGui::MenuItem(preset.name)) {
      load_minimal_pair(s, preset);
      app.ui.focus_view = ViewId::MinimalPair;
    }
  }
  ImGui::Separator();
  ImGui::MenuItem("Show the minimal-pair view", nullptr, &s.show.minimal_pair);
  ImGui::EndMenu();
}

}  // namespace attnscope::app
