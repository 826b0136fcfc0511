// The input panel's encoder-decoder part: the target (the model's greedy
// translation, or a target the user types for forced decoding), the decoding
// step slider that replays the translation one token at a time, and the
// choice of which attention the heatmap, head and model views show.
#include <algorithm>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/ui.h"
#include "core/decoder_capture.h"
#include "scene/attention_view.h"

namespace attnscope::app {

namespace {

const char* kind_label(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::Self: return "Encoder self";
    case AttentionKind::DecoderSelf: return "Decoder self";
    case AttentionKind::Cross: return "Cross";
  }
  return "?";
}

// The decoder's inputs as small chips; a click replays the translation up to that step.
void draw_target_strip(App& app, const DecoderCapture& dec) {
  AppState& s = app.state;
  const int current = decoder_rows_at_step(dec.n_tokens, s.step) - 1;
  // A long translation scrolls inside a few lines instead of pushing the controls away.
  const float line = ImGui::GetFrameHeightWithSpacing();
  ImGui::BeginChild("##target-tokens", ImVec2(0, std::min(line * 3.3f, ImGui::GetContentRegionAvail().y * 0.3f)), false);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(3, 3));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(4, 2));
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (int i = 0; i < dec.n_tokens; ++i) {
    const std::string label = chip_text(dec.tokens[static_cast<size_t>(i)].display, app.ui.have_symbols);
    if (i > 0) {
      ImGui::SameLine();
      const float width = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
      if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
    }
    const bool shown = s.step >= 0 && i == current;
    ImGui::PushStyleColor(ImGuiCol_Button, shown ? ImVec4(0.95f, 0.55f, 0.15f, 0.85f)
                                                 : (i > current ? ImVec4(0.3f, 0.3f, 0.3f, 0.4f)
                                                                : ImGui::GetStyleColorVec4(ImGuiCol_Button)));
    ImGui::PushID(i);
    if (ImGui::Button(label.c_str())) {
      s.step = s.step == i ? -1 : i;
      refresh_attention_view(s);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Decoder step %d: click to replay the translation up to here", i);
    ImGui::PopID();
    ImGui::PopStyleColor();
  }
  ImGui::PopStyleVar(2);
  ImGui::EndChild();
}

}  // namespace

void draw_target_input(App& app) {
  AppState& s = app.state;
  const DecoderCapture* dec = s.run && s.run->decoder ? s.run->decoder.get() : nullptr;
  if (ImGui::Checkbox("Force a target", &s.forced)) {
    // Start from the translation on screen, so forcing changes nothing until the user edits.
    if (s.forced && dec && s.target.empty()) s.target = dec->target_text;
    s.request_run();
  }
  ImGui::SameLine();
  ImGui::TextDisabled(s.forced ? "(the decoder reads your target)" : "(the model's greedy translation)");
  const ImVec2 size(-1, ImGui::GetTextLineHeight() * 2.5f + 8);
  if (s.forced) {
    if (ImGui::InputTextMultiline("##target", &s.target, size)) s.request_run();
  } else {
    std::string shown = dec ? dec->target_text : std::string();
    ImGui::InputTextMultiline("##translation", &shown, size, ImGuiInputTextFlags_ReadOnly);
  }
  if (dec) draw_target_strip(app, *dec);
}

void draw_decoder_controls(App& app) {
  AppState& s = app.state;
  int kind = static_cast<int>(s.attention);
  ImGui::TextUnformatted("Attention:");
  for (AttentionKind k : {AttentionKind::Self, AttentionKind::DecoderSelf, AttentionKind::Cross}) {
    ImGui::SameLine();
    ImGui::RadioButton(kind_label(k), &kind, static_cast<int>(k));
  }
  if (kind != static_cast<int>(s.attention)) {
    s.attention = static_cast<AttentionKind>(kind);
    s.selection.query = -1;  // query indices belong to the old kind's tokens
    refresh_attention_view(s);
    clamp_selection(s);
  }
  const int rows = s.run && s.run->decoder ? s.run->decoder->n_tokens : 0;
  if (rows == 0) return;
  bool all = s.step < 0;
  if (ImGui::Checkbox("All steps", &all)) {
    s.step = all ? -1 : rows - 1;
    refresh_attention_view(s);
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(all);
  int step = std::clamp(s.step, 0, rows - 1);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  if (ImGui::SliderInt("Decoding step", &step, 0, rows - 1) && !all) {
    s.step = step;
    refresh_attention_view(s);
  }
  ImGui::EndDisabled();
}

}  // namespace attnscope::app
