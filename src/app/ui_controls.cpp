// Layer / head selection, the causal mask, per-head ablation and "Reset all".
#include <algorithm>
#include <string>

#include <imgui.h>

#include "app/ui.h"
#include "scene/attention_view.h"

namespace attnscope::app {

namespace {

void draw_selectors(AppState& s, int n_layers, int n_heads) {
  Selection& sel = s.selection;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  ImGui::SliderInt("Layer", &sel.layer, 0, std::max(n_layers - 1, 0));
  int mode = static_cast<int>(sel.mode);
  ImGui::RadioButton("One head", &mode, static_cast<int>(HeadMode::Single));
  ImGui::SameLine();
  ImGui::RadioButton("Mean of heads", &mode, static_cast<int>(HeadMode::Mean));
  ImGui::SameLine();
  ImGui::RadioButton("Max of heads", &mode, static_cast<int>(HeadMode::Max));
  sel.mode = static_cast<HeadMode>(mode);
  ImGui::BeginDisabled(sel.mode != HeadMode::Single);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  ImGui::SliderInt("Head", &sel.head, 0, std::max(n_heads - 1, 0));
  ImGui::EndDisabled();
  sel.layer = std::clamp(sel.layer, 0, std::max(n_layers - 1, 0));
  sel.head = std::clamp(sel.head, 0, std::max(n_heads - 1, 0));
}

void draw_causal_toggle(AppState& s, bool model_causal) {
  bool causal = s.interventions.causal.value_or(model_causal);
  if (ImGui::Checkbox("Causal mask", &causal)) {
    // Back at the model's own choice, the override disappears.
    if (causal == model_causal) s.interventions.causal.reset();
    else s.interventions.causal = causal;
    s.request_run();
  }
  ImGui::SameLine();
  ImGui::TextDisabled(s.interventions.causal ? "(overridden; model default: %s)" : "(model default: %s)",
                      model_causal ? "on" : "off");
}

void draw_positions_toggle(AppState& s) {
  if (ImGui::Checkbox("Positions", &s.interventions.positions)) s.request_run();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Off: position embeddings count as zero, RoPE and relative position bias are skipped.\n"
                      "With the causal mask off too, shuffling the words only shuffles the attention.");
}

// One small toggle per head: a filled red cell is switched off (ablated).
// For encoder-decoder models the toggles are those of the attention kind shown.
void draw_ablation_grid(AppState& s, int n_layers, int n_heads) {
  auto& ablated_set = ablated_heads_of(s.interventions, s.encoder_decoder() ? s.attention : AttentionKind::Self);
  ImGui::TextDisabled("Heads (click to switch off / on; the selected one is outlined)");
  const float cell = std::max(ImGui::GetFontSize() * 1.1f, 10.0f);
  const float label_width = ImGui::CalcTextSize("L00").x + ImGui::GetStyle().ItemSpacing.x;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(2, 2));
  for (int l = 0; l < n_layers; ++l) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("L%d", l);
    for (int h = 0; h < n_heads; ++h) {
      ImGui::SameLine(h == 0 ? label_width : 0.0f);
      ImGui::PushID(l * n_heads + h);
      const bool ablated = ablated_set.count({l, h}) > 0;
      if (ImGui::InvisibleButton("##head", ImVec2(cell, cell))) {
        if (ablated) ablated_set.erase({l, h});
        else ablated_set.insert({l, h});
        s.request_run();
      }
      if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
        s.selection.layer = l;
        s.selection.head = h;
        s.selection.mode = HeadMode::Single;
      }
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      const bool hovered = ImGui::IsItemHovered();
      ImU32 fill = ablated ? IM_COL32(200, 60, 60, 255) : IM_COL32(70, 110, 160, hovered ? 255 : 170);
      draw->AddRectFilled(a, b, fill, 2.0f);
      if (ablated) draw->AddLine(a, b, IM_COL32(255, 255, 255, 220), 1.5f);
      const bool selected = s.selection.mode == HeadMode::Single && s.selection.layer == l && s.selection.head == h;
      if (selected) draw->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), IM_COL32(255, 200, 60, 255), 2.0f, 0, 2.0f);
      if (hovered)
        ImGui::SetTooltip("Layer %d, head %d: %s\nleft-click: switch %s   right-click: show it", l, h,
                          ablated ? "switched off" : "on", ablated ? "on" : "off");
      ImGui::PopID();
    }
  }
  ImGui::PopStyleVar();
}

// The model's named heads, one click each (also in the Heads menu).
void draw_preset_buttons(App& app) {
  const auto& presets = app.state.model->presets;
  if (presets.empty()) return;
  ImGui::TextDisabled("Named heads:");
  for (std::size_t i = 0; i < presets.size(); ++i) {
    const HeadPreset& p = presets[i];
    const bool shown = preset_shown(app.state, p);
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginDisabled(shown);
    if (ImGui::SmallButton(preset_label(p, app.ui.have_symbols, app.state.display.one_based_heads).c_str())) select_head_preset(app.state, p);
    ImGui::EndDisabled();
    ImGui::PopID();
  }
}

}  // namespace

void draw_head_controls(App& app) {
  AppState& s = app.state;
  if (!s.model) return;
  const ModelConfig& c = s.model->config;
  // Decoder and cross-attention have the decoder's layers.
  const int n_layers = s.snapshot ? s.snapshot->n_layers : c.n_layers;
  draw_selectors(s, n_layers, c.n_heads);
  draw_preset_buttons(app);
  if (!s.encoder_decoder()) {
    draw_causal_toggle(s, c.causal);
    // Beside the causal mask when the panel is wide enough, under it otherwise.
    ImGui::SameLine();
    const float needed = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("Positions").x;
    if (ImGui::GetContentRegionAvail().x < needed) ImGui::NewLine();
  }
  draw_positions_toggle(s);
  if (!s.interventions.masked_keys.empty()) {
    std::string keys;
    for (int k : s.interventions.masked_keys) keys += (keys.empty() ? "" : ", ") + std::to_string(k);
    ImGui::TextDisabled("Masked keys: %s", keys.c_str());
  }
  ImGui::Spacing();
  draw_ablation_grid(s, n_layers, c.n_heads);
  ImGui::Spacing();
  const bool changed = !s.interventions.empty() || s.selection.query >= 0 || s.selection.mode != HeadMode::Single;
  ImGui::BeginDisabled(!changed);
  if (ImGui::Button("Reset all")) reset_all(s);
  ImGui::EndDisabled();
  const size_t off = s.interventions.ablated_heads.size() + s.interventions.ablated_decoder_heads.size() +
                    s.interventions.ablated_cross_heads.size();
  if (off > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("%zu head(s) off", off);
  }
}

}  // namespace attnscope::app
