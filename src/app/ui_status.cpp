// The status bar, the empty state before any model is open, and the error modal.
#include <cmath>
#include <string>

#include <imgui.h>

#include "app/ui.h"

namespace attnscope::app {

namespace {

constexpr ImGuiWindowFlags kFixedPanel = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                         ImGuiWindowFlags_NoFocusOnAppearing;

// A small rotating arc, drawn at the cursor; ImGui 1.86 has no spinner widget.
void spinner(float radius) {
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const ImVec2 centre(pos.x + radius, pos.y + ImGui::GetTextLineHeight() * 0.5f);
  const float t = static_cast<float>(ImGui::GetTime()) * 6.0f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const int segments = 24;
  draw->PathClear();
  for (int i = 0; i <= segments; ++i) {
    const float a = t + static_cast<float>(i) / segments * 4.5f;
    draw->PathLineTo(ImVec2(centre.x + std::cos(a) * radius, centre.y + std::sin(a) * radius));
  }
  draw->PathStroke(ImGui::GetColorU32(ImGuiCol_ButtonActive), false, radius * 0.4f);
  ImGui::Dummy(ImVec2(radius * 2, ImGui::GetTextLineHeight()));
}

}  // namespace

float status_bar_height() { return ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y; }

void draw_status_bar(App& app) {
  const AppState& s = app.state;
  const ImGuiIO& io = ImGui::GetIO();
  const float height = status_bar_height();
  ImGui::SetNextWindowPos(ImVec2(0, io.DisplaySize.y - height));
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, height));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 3));
  ImGui::Begin("##status", nullptr, kFixedPanel);
  double seconds = 0;
  if (auto path = app.loader.loading(&seconds)) {
    spinner(ImGui::GetFontSize() * 0.4f);
    ImGui::SameLine();
    ImGui::Text("Loading %s  %.1f s", path->filename().string().c_str(), seconds);
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
  } else if (app.inference.busy()) {
    spinner(ImGui::GetFontSize() * 0.4f);
    ImGui::SameLine();
  }
  if (s.model) {
    const ModelConfig& c = s.model->config;
    ImGui::Text("%s  %s  L%d x H%d", s.model->source.filename().string().c_str(), family_name(c.family), c.n_layers,
                c.n_heads);
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    if (s.snapshot) ImGui::Text("T = %d   run %.1f ms", s.snapshot->n_tokens, app.runs.last_run_ms);
    const std::string notice = truncation_notice(app);
    if (!notice.empty()) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(1.0f, 0.75f, 0.3f, 1.0f), "%s", notice.c_str());
    }
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
  }
  ImGui::TextUnformatted(s.status.c_str());
  ImGui::End();
  ImGui::PopStyleVar();
}

void draw_empty_state(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.45f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(30 * em, 0));
  ImGui::Begin("##welcome", nullptr, kFixedPanel | ImGuiWindowFlags_AlwaysAutoResize);
  if (app.ui.title_font) ImGui::PushFont(app.ui.title_font);
  ImGui::TextUnformatted("attnscope");
  if (app.ui.title_font) ImGui::PopFont();
  ImGui::TextWrapped("See what every attention head of a transformer looks at. Open a Hugging Face model folder "
                     "(config.json + model.safetensors) or a llama2.c checkpoint to start.");
  ImGui::Spacing();
  double seconds = 0;
  if (auto path = app.loader.loading(&seconds)) {
    spinner(em * 0.5f);
    ImGui::SameLine();
    ImGui::Text("Loading %s ...", path->string().c_str());
  } else if (ImGui::Button("Open model\u2026", ImVec2(-1, em * 2.2f))) {
    app.browser.open(std::filesystem::path());
  }
  if (!app.settings.recent_models.empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("Recent models");
    for (const auto& m : app.settings.recent_models)
      if (ImGui::Selectable(m.c_str())) request_model(app, m);
  }
  ImGui::End();
}

void draw_error_popup(App& app) {
  AppState& s = app.state;
  if (!s.error_popup.empty() && !ImGui::IsPopupOpen("Error")) ImGui::OpenPopup("Error");
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32, 0), ImGuiCond_Appearing);
  if (ImGui::BeginPopupModal("Error", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    // A message taken back (a scripted run that read it) closes its modal too.
    if (s.error_popup.empty()) ImGui::CloseCurrentPopup();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(s.error_popup.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    if (ImGui::Button("OK", ImVec2(ImGui::GetFontSize() * 6, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
      s.error_popup.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void draw_notice_popup(App& app) {
  constexpr const char* kTitle = "Notice";
  // One modal at a time: the error modal and the replace question go first.
  if (app.ui.notices.empty() || !app.state.error_popup.empty() || app.ui.overwrite_question) return;
  if (!ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32, 0), ImGuiCond_Appearing);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
  ImGui::TextUnformatted(app.ui.notices.front().c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  if (ImGui::Button("OK", ImVec2(ImGui::GetFontSize() * 6, 0))) {
    app.ui.notices.erase(app.ui.notices.begin());
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace attnscope::app
