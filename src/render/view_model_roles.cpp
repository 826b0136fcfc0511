#include "render/view_model_roles.h"

#include <cstdio>
#include <string>

namespace attnscope {

namespace {

bool scores_fit(const AppState& state) {
  if (!state.display.role_borders || !state.head_roles || !state.snapshot) return false;
  if (state.encoder_decoder() && state.attention != AttentionKind::Self) return false;  // scores are the encoder's
  const size_t heads = static_cast<size_t>(state.snapshot->n_layers) * static_cast<size_t>(state.snapshot->n_heads);
  return state.head_roles->roles.size() == heads;
}

ImU32 role_im_color(HeadRole role) {
  return to_color(role_color(role));
}

}  // namespace

HeadRole shown_role(const AppState& state, int layer, int head) {
  if (!scores_fit(state)) return HeadRole::None;
  const HeadRoleScores& s = *state.head_roles;
  return strongest_role(s.roles[static_cast<size_t>(layer * state.snapshot->n_heads + head)], s.baselines);
}

void draw_role_border(FigurePen& pen, HeadRole role, ImVec2 p0, ImVec2 p1, float line) {
  if (role == HeadRole::None) return;
  const float inset = 1.5f * line;  // inside the picture, so the selection and hover frames outside stay visible
  pen.frame(ImVec2(p0.x + inset, p0.y + inset), ImVec2(p1.x - inset, p1.y - inset), role_im_color(role), 3 * line);
}

void draw_role_legend(const AppState& state, const ViewDrawOptions& options) {
  if (!state.display.role_borders) return;
  if (!scores_fit(state)) {
    figure_text("Border: strongest role (computing the head roles...)", style_color(ImGuiCol_TextDisabled), options);
    return;
  }
  figure_text("Border: the head's strongest role", style_color(ImGuiCol_Text), options);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  const float em = ImGui::GetFontSize(), right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (HeadRole role : kAllHeadRoles) {
    // A swatch and its name stay together; they start a new line when the window is too narrow.
    if (role != kAllHeadRoles.front()) {
      ImGui::SameLine(0, em * 0.8f);
      if (ImGui::GetCursorScreenPos().x + em + ImGui::CalcTextSize(role_name(role)).x > right) ImGui::NewLine();
    }
    const ImVec2 at = ImGui::GetCursorScreenPos();
    pen.fill(ImVec2(at.x, at.y + em * 0.15f), ImVec2(at.x + em * 0.7f, at.y + em * 0.85f), role_im_color(role));
    ImGui::SetCursorScreenPos(ImVec2(at.x + em, at.y));
    figure_text(role_name(role), style_color(ImGuiCol_Text), options);
  }
  char note[160];
  std::snprintf(note, sizeof note, "A role counts at a mean weight of at least %.1f and %.0fx uniform attention; the largest multiple wins.",
                kRoleMinWeight, kRoleMinLift);
  figure_wrapped_text(note, style_color(ImGuiCol_TextDisabled), options);
}

}  // namespace attnscope
