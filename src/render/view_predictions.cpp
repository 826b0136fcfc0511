#include "render/view_predictions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace attnscope {

namespace {

int mask_id(const AttentionSnapshot& snap) {
  return snap.model && snap.model->tokenizer ? snap.model->tokenizer->mask_id : -1;
}

// The baseline's probability of `id` at `position`, or -1 when it was not among the baseline's top-k.
float baseline_prob(const AttentionSnapshot& baseline, int position, int id) {
  for (const Prediction& p : baseline.top[static_cast<size_t>(position)])
    if (p.id == id) return p.prob;
  return -1.0f;
}

// Okabe-Ito blue and vermillion: up and down, distinct for colour-blind readers.
ImU32 up_color() { return to_color({0, 114, 178}); }
ImU32 down_color() { return to_color({213, 94, 0}); }
ImU32 delta_color(float delta) {
  // On the dark theme the dark blue is hard to read; brighten it there.
  const bool dark = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.5f;
  if (delta >= 0) return dark ? to_color({86, 180, 233}) : up_color();
  return down_color();
}

}  // namespace

int prediction_position(const AppState& state) {
  if (!state.snapshot || state.snapshot->n_tokens == 0) return -1;
  const AttentionSnapshot& snap = *state.snapshot;
  if (state.selection.query >= 0 && state.selection.query < snap.n_tokens) return state.selection.query;
  if (snap.model && snap.model->config.masked_lm) {
    const int mask = mask_id(snap);
    for (int j = 0; j < snap.n_tokens; ++j)
      if (snap.tokens[static_cast<size_t>(j)].id == mask && mask >= 0) return j;
  }
  return snap.n_tokens - 1;
}

void draw_predictions_view(AppState& state, PredictionsViewState&, GlResources&, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  if (!snap.model || !snap.model->config.has_lm_head) {
    ImGui::TextDisabled("This model has no prediction head (a bare encoder): nothing to predict.");
    return;
  }
  const int position = prediction_position(state);
  if (position < 0 || position >= static_cast<int>(snap.top.size()) || snap.top[static_cast<size_t>(position)].empty()) {
    ImGui::TextDisabled("No predictions were computed for this position.");
    return;
  }
  const bool masked_lm = snap.model->config.masked_lm;
  const std::string where = token_quote(snap, position);
  const float em = ImGui::GetFontSize();

  if (!masked_lm) {
    ImGui::Text("Next token after %s", where.c_str());
  } else if (snap.tokens[static_cast<size_t>(position)].id == mask_id(snap)) {
    ImGui::Text("Fill for %s", where.c_str());
  } else {
    ImGui::Text("Guesses for position %s", where.c_str());
    ImGui::TextDisabled("The model sees this token itself; write [MASK] in the text to hide it.");
  }
  if (masked_lm && state.selection.query < 0) {
    int masks = 0;
    for (const Token& t : snap.tokens) masks += t.id == mask_id(snap);
    if (masks > 1) ImGui::TextDisabled("%d [MASK] tokens: click one in the token strip to pick it.", masks);
  }

  const bool compare = state.baseline && !snap.interventions.ablated_heads.empty() &&
                       state.baseline->text == snap.text &&
                       static_cast<int>(state.baseline->top.size()) > position &&
                       !state.baseline->top[static_cast<size_t>(position)].empty();
  if (!snap.interventions.ablated_heads.empty())
    ImGui::TextDisabled("%zu head%s switched off.", snap.interventions.ablated_heads.size(),
                        snap.interventions.ablated_heads.size() == 1 ? "" : "s");

  // One row per guess: rank, token, probability bar, percentage, change.
  const auto& top = snap.top[static_cast<size_t>(position)];
  std::string label_text[64];
  float token_w = ImGui::CalcTextSize("token").x;
  const size_t count = std::min<size_t>(top.size(), 64);
  for (size_t r = 0; r < count; ++r) {
    Token t;
    t.display = top[r].text;
    // Quoted, keeping a leading space visible: " cat" and "cat" are different tokens.
    std::string& label = label_text[r];
    label.assign(1, '"');
    if (!top[r].text.empty() && top[r].text[0] == ' ') label += ' ';
    label += token_label(t, 16);
    label += '"';
    token_w = std::max(token_w, ImGui::CalcTextSize(label_text[r].c_str()).x);
  }
  const float rank_w = ImGui::CalcTextSize("10.").x + em * 0.5f;
  const float percent_w = ImGui::CalcTextSize("100.0%").x + em * 0.6f;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float change_w = compare ? ImGui::CalcTextSize("was 100.0%  +100.0").x + em * 0.5f : 0.0f;
  const float bar_w = std::clamp(avail - rank_w - token_w - em - percent_w - change_w, em * 4.0f, em * 16.0f);
  const float row_h = ImGui::GetTextLineHeightWithSpacing() * 1.15f;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  char buffer[64];

  ImVec2 at = ImGui::GetCursorScreenPos();
  const float x_token = at.x + rank_w, x_bar = x_token + token_w + em, x_percent = x_bar + bar_w + em * 0.4f,
              x_change = x_percent + percent_w;
  draw_list->AddText(ImVec2(x_token, at.y), dim, "token");
  draw_list->AddText(ImVec2(x_bar, at.y), dim, "probability");
  if (compare) draw_list->AddText(ImVec2(x_change, at.y), dim, "all heads on");
  ImGui::Dummy(ImVec2(x_change + change_w - at.x, row_h));

  for (size_t r = 0; r < count; ++r) {
    at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(x_change + change_w - at.x, row_h));
    const float ty = at.y + (row_h - ImGui::GetTextLineHeight()) * 0.5f;
    const Prediction& p = top[r];
    std::snprintf(buffer, sizeof buffer, "%zu.", r + 1);
    draw_list->AddText(ImVec2(at.x, ty), dim, buffer);
    draw_list->AddText(ImVec2(x_token, ty), text, label_text[r].c_str());
    const float y0 = at.y + row_h * 0.18f, y1 = at.y + row_h * 0.82f;
    draw_list->AddRectFilled(ImVec2(x_bar, y0), ImVec2(x_bar + bar_w * std::clamp(p.prob, 0.0f, 1.0f), y1),
                             style_color(ImGuiCol_PlotHistogram));
    draw_list->AddRect(ImVec2(x_bar, y0), ImVec2(x_bar + bar_w, y1), style_color(ImGuiCol_Border));
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0f * p.prob);
    draw_list->AddText(ImVec2(x_percent, ty), text, buffer);
    if (compare) {
      const float before = baseline_prob(*state.baseline, position, p.id);
      if (before < 0) {
        draw_list->AddText(ImVec2(x_change, ty), dim, "was not in the top list");
      } else {
        const float delta = 100.0f * (p.prob - before);  // percentage points
        std::snprintf(buffer, sizeof buffer, "was %.1f%%", 100.0f * before);
        draw_list->AddText(ImVec2(x_change, ty), dim, buffer);
        std::snprintf(buffer, sizeof buffer, "%+.1f", std::fabs(delta) < 0.05f ? 0.0f : delta);
        const float w = ImGui::CalcTextSize(buffer).x;
        draw_list->AddText(ImVec2(x_change + change_w - w - em * 0.5f, ty),
                           std::fabs(delta) < 0.05f ? dim : delta_color(delta), buffer);
      }
    }
    if (!options.exporting && ImGui::IsItemHovered())
      ImGui::SetTooltip("id %d, logit %.3f, probability %.4f", p.id, p.logit, p.prob);
  }

  if (compare) {
    const Prediction& before = state.baseline->top[static_cast<size_t>(position)][0];
    if (before.id != top[0].id)
      ImGui::Text("With every head on, the top guess was \"%s\" (%.1f%%).", before.text.c_str(), 100.0f * before.prob);
    ImGui::TextDisabled("Changes are in percentage points against the run with every head on.");
  } else if (!options.exporting) {
    ImGui::TextDisabled("Switch heads off (right-click in the model view) to see how the guesses change.");
  }
}

}  // namespace attnscope
