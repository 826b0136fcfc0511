// The Heads menu: the model's named heads (with what their probe measured),
// the heads the literature named in a known checkpoint (with the source and
// its caveat), the head roles window, and 0- or 1-based head numbers.
#include <cstdio>

#include <imgui.h>

#include "app/ui.h"
#include "core/published_heads.h"
#include "scene/head_labels.h"

namespace attnscope::app {

namespace {

void draw_model_presets(App& app) {
  AppState& s = app.state;
  for (const HeadPreset& preset : s.model->presets) {
    std::string label = preset_label(preset, app.ui.have_symbols, s.display.one_based_heads);
    if (preset.heldout_accuracy) {
      char accuracy[32];
      std::snprintf(accuracy, sizeof accuracy, "  %.1f%% held out", *preset.heldout_accuracy * 100.0);
      label += accuracy;
    }
    if (ImGui::MenuItem(label.c_str(), nullptr, preset_shown(s, preset))) select_head_preset(s, preset);
    if (ImGui::IsItemHovered() && !preset.probe.empty()) {
      const std::string probe = app.ui.have_symbols ? preset.probe : ascii_arrows(preset.probe);
      ImGui::SetTooltip("Measured when the model was made, on: %s", probe.c_str());
    }
  }
  if (!s.model->presets.empty()) ImGui::Separator();
}

void draw_published_heads(App& app, const KnownCheckpoint& known) {
  AppState& s = app.state;
  ImGui::TextDisabled("Published heads of %s", known.name.c_str());
  for (const PublishedHead& h : known.heads) {
    HeadPreset preset;
    preset.name = h.name;
    preset.layer = h.layer;
    preset.head = h.head;
    std::string label = preset_label(preset, app.ui.have_symbols, s.display.one_based_heads) + "  [\"" +
                        h.as_published + "\" in the source]";
    if (ImGui::MenuItem(label.c_str(), nullptr, preset_shown(s, preset))) select_head_preset(s, preset);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Source: %s\nCaveat: %s", known.source.c_str(), kPublishedHeadsCaveat);
  }
  ImGui::TextDisabled("Source: %s", known.source.c_str());
  ImGui::TextDisabled("Caveat: %s", kPublishedHeadsCaveat);
  ImGui::Separator();
}

}  // namespace

void draw_heads_menu(App& app) {
  if (!ImGui::BeginMenu("Heads", app.state.model != nullptr)) return;
  AppState& s = app.state;
  draw_model_presets(app);
  if (const KnownCheckpoint* known = match_known_checkpoint(s.model->config)) draw_published_heads(app, *known);
  ImGui::MenuItem("Head roles table", nullptr, &app.head_roles.show);
  ImGui::MenuItem("Role borders in the model view", nullptr, &s.display.role_borders);
  if (ImGui::MenuItem("Number heads from 1 (L1 H1)", nullptr, &s.display.one_based_heads)) save_app_settings(app);
  ImGui::Separator();
  if (ImGui::MenuItem("Reset all (ablations, masks, causal, query)")) reset_all(s);
  ImGui::EndMenu();
}

}  // namespace attnscope::app
