// The text box and the token strip under it.
#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/ui.h"
#include "scene/word_shuffle.h"

namespace attnscope::app {

std::string chip_text(const std::string& display, bool have_symbols) {
  std::string out;
  out.reserve(display.size() + 4);
  for (char c : display) {
    if (c == ' ') out += have_symbols ? "\u00B7" : "_";
    else if (c == '\n') out += have_symbols ? "\u21B5" : "\\n";
    else if (c == '\t') out += have_symbols ? "\u21E5" : "\\t";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out.empty() ? std::string("\"\"") : out;
}

namespace {

// "Shuffle words" permutes the text's words; "Restore" brings back the text
// from before the first shuffle.
void draw_shuffle_buttons(App& app) {
  AppState& s = app.state;
  if (ImGui::Button("Shuffle words")) {
    if (!app.ui.text_before_shuffle) app.ui.text_before_shuffle = s.text;
    s.text = shuffle_words(s.text, static_cast<std::uint32_t>(ImGui::GetFrameCount()));
    s.request_run();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!app.ui.text_before_shuffle);
  if (ImGui::Button("Restore")) {
    s.text = *app.ui.text_before_shuffle;
    app.ui.text_before_shuffle.reset();
    s.request_run();
  }
  ImGui::EndDisabled();
}

}  // namespace

void draw_text_input(App& app) {
  AppState& s = app.state;
  const float lines = 4.5f;
  if (app.ui.focus_text) {
    ImGui::SetKeyboardFocusHere();
    app.ui.focus_text = false;
  }
  // imgui_stdlib's overload grows the std::string through the resize callback,
  // so a long paste is taken whole; the worker cuts it to the model's context.
  if (ImGui::InputTextMultiline("##text", &s.text, ImVec2(-1, ImGui::GetTextLineHeight() * lines + 8),
                                ImGuiInputTextFlags_AllowTabInput)) {
    s.request_run();
  }
  draw_shuffle_buttons(app);
  const std::string notice = truncation_notice(app);
  if (!notice.empty()) ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", notice.c_str());
}

namespace {

// One token as a clickable chip. Returns its size so the caller can wrap.
void draw_chip(App& app, int index, const Token& token, bool masked, bool selected, bool hovered) {
  AppState& s = app.state;
  const std::string label = chip_text(token.display, app.ui.have_symbols);
  ImVec4 button = ImGui::GetStyleColorVec4(ImGuiCol_Button);
  if (token.special) button = ImVec4(0.35f, 0.35f, 0.45f, 0.6f);
  if (hovered) button = ImGui::GetStyleColorVec4(ImGuiCol_ButtonHovered);
  if (selected) button = ImVec4(0.95f, 0.55f, 0.15f, 0.85f);
  ImGui::PushStyleColor(ImGuiCol_Button, button);
  if (masked) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushID(index);
  // A translation model's source chips pick a query only when the views show the
  // encoder, and mask nothing: the engine takes no key masks for it.
  const bool source_only = s.encoder_decoder();
  if (ImGui::Button(label.c_str()) && (!source_only || s.attention == AttentionKind::Self))
    s.selection.query = (s.selection.query == index) ? -1 : index;
  if (!source_only && ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
    auto& keys = s.interventions.masked_keys;
    if (!keys.erase(index)) keys.insert(index);
    s.request_run();
  }
  if (ImGui::IsItemHovered()) {
    s.selection.hovered_token = index;
    ImGui::BeginTooltip();
    ImGui::Text("#%d  id %d  '%s'%s", index, token.id, token.piece.c_str(), token.special ? "  (special)" : "");
    if (!source_only) ImGui::TextDisabled("left-click: query   right-click: %s as key", masked ? "unmask" : "mask");
    ImGui::EndTooltip();
  }
  if (masked) {
    // Struck through: this key is removed from every query's softmax.
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const float y = (a.y + b.y) * 0.5f;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x + 2, y), ImVec2(b.x - 2, y), IM_COL32(230, 80, 80, 255), 2.0f);
  }
  ImGui::PopID();
  if (masked) ImGui::PopStyleColor();
  ImGui::PopStyleColor();
}

}  // namespace

void draw_token_strip(App& app) {
  AppState& s = app.state;
  if (!s.snapshot) {
    ImGui::TextDisabled(s.model ? "Tokenizing..." : "No model loaded");
    return;
  }
  // The source's tokens: the run's, whichever kind of attention the views show.
  const AttentionSnapshot& snap = s.run ? *s.run : *s.snapshot;
  if (s.encoder_decoder()) ImGui::TextDisabled("%d source tokens", snap.n_tokens);
  else ImGui::TextDisabled("%d tokens: click = query, right-click = mask key", snap.n_tokens);
  const float height = std::min(ImGui::GetFrameHeightWithSpacing() * 4.2f, ImGui::GetContentRegionAvail().y * 0.45f);
  ImGui::BeginChild("##tokens", ImVec2(0, std::max(height, ImGui::GetFrameHeightWithSpacing() * 1.5f)), true);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(3, 3));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(4, 2));
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const ImGuiStyle& style = ImGui::GetStyle();
  for (int i = 0; i < snap.n_tokens; ++i) {
    const Token& token = snap.tokens[static_cast<size_t>(i)];
    if (i > 0) {
      // Wrap like words: stay on the line while the next chip fits.
      const float width = ImGui::CalcTextSize(chip_text(token.display, app.ui.have_symbols).c_str()).x + style.FramePadding.x * 2;
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
    }
    draw_chip(app, i, token, snap.key_masked(i) || s.interventions.masked_keys.count(i) > 0, s.selection.query == i,
              s.selection.hovered_token == i);
  }
  ImGui::PopStyleVar(2);
  ImGui::EndChild();
}

}  // namespace attnscope::app
