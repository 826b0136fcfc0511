// One frame of the app: shortcuts, menu, the input window, the views, the
// status bar and the modals, with the default window layout.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui.h>

#include "app/overwrite_question.h"
#include "app/ui.h"
#include "render/views.h"

namespace attnscope::app {

namespace {

// GLFW's key codes for letters are their upper-case ASCII codes, and the GLFW
// backend of ImGui 1.86 indexes io.KeysDown by those codes.
constexpr int kKeyS = 'S';
constexpr int kKeyO = 'O';
constexpr int kKeyQ = 'Q';

bool pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

void handle_shortcuts(App& app) {
  const ImGuiIO& io = ImGui::GetIO();
  AppState& s = app.state;
  if (io.KeyCtrl && ImGui::IsKeyPressed(kKeyS, false)) app.requests.screenshot = ScreenshotRequest{};
  if (io.KeyCtrl && ImGui::IsKeyPressed(kKeyO, false)) app.browser.open(s.model ? s.model->source : std::filesystem::path());
  if (io.KeyCtrl && ImGui::IsKeyPressed(kKeyQ, false)) app.ui.quit = true;
  // Arrows belong to a text field while one is being edited, and to a modal while one is open.
  if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId) || !s.model) return;
  const int n_layers = s.snapshot ? s.snapshot->n_layers : s.model->config.n_layers, n_heads = s.model->config.n_heads;
  Selection& sel = s.selection;
  if (pressed(ImGuiKey_UpArrow)) sel.layer = std::max(sel.layer - 1, 0);
  if (pressed(ImGuiKey_DownArrow)) sel.layer = std::min(sel.layer + 1, n_layers - 1);
  if (pressed(ImGuiKey_LeftArrow)) {
    sel.mode = HeadMode::Single;
    sel.head = std::max(sel.head - 1, 0);
  }
  if (pressed(ImGuiKey_RightArrow)) {
    sel.mode = HeadMode::Single;
    sel.head = std::min(sel.head + 1, n_heads - 1);
  }
}

void draw_input_window(App& app) {
  if (!app.ui.show_input) return;
  const WindowRect rect = default_window_rect("Input", ImGui::GetIO().DisplaySize);
  const ImGuiCond cond = app.ui.reset_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  ImGui::SetNextWindowPos(rect.pos, cond);
  ImGui::SetNextWindowSize(rect.size, cond);
  if (ImGui::Begin("Input", &app.ui.show_input)) {
    if (app.state.encoder_decoder()) ImGui::TextDisabled("Source");
    draw_text_input(app);
    draw_token_strip(app);
    if (app.state.encoder_decoder()) {
      ImGui::TextDisabled("Target");
      draw_target_input(app);
      ImGui::Separator();
      draw_decoder_controls(app);
    }
    ImGui::Separator();
    draw_head_controls(app);
  }
  ImGui::End();
}

}  // namespace

WindowRect default_window_rect(const char* window, ImVec2 display) {
  // Three columns under the menu bar: input and heads on the left, the
  // heatmap over the head view (or Q/K/V) in the middle, the model view over
  // the predictions on the right.
  const float top = ImGui::GetFrameHeight();
  const float bottom = display.y - status_bar_height();
  const float h = bottom - top;
  const float left_w = std::round(display.x * 0.27f), mid_w = std::round(display.x * 0.40f);
  const float right_x = left_w + mid_w, right_w = display.x - right_x;
  const float upper_h = std::round(h * 0.58f);
  auto rect = [](float x, float y, float w, float hh) { return WindowRect{ImVec2(x, y), ImVec2(w, hh)}; };
  if (!std::strcmp(window, "Input")) return rect(0, top, left_w, h);
  if (!std::strcmp(window, "Heatmap")) return rect(left_w, top, mid_w, upper_h);
  if (!std::strcmp(window, "Head view") || !std::strcmp(window, "Q/K/V"))
    return rect(left_w, top + upper_h, mid_w, h - upper_h);
  if (!std::strcmp(window, "Model view")) return rect(right_x, top, right_w, upper_h);
  if (!std::strcmp(window, "Predictions")) return rect(right_x, top + upper_h, right_w, h - upper_h);
  // In front of the head view: translation models open on their alignment.
  if (!std::strcmp(window, "Alignment")) return rect(left_w, top + upper_h, mid_w, h - upper_h);
  // Two sentences side by side need the width: in front of the middle and right columns.
  if (!std::strcmp(window, "Minimal pair")) return rect(left_w, top, display.x - left_w, h);
  return rect(display.x * 0.2f, display.y * 0.2f, display.x * 0.6f, display.y * 0.6f);
}

void draw_app(App& app) {
  AppState& s = app.state;
  s.selection.hovered_token = app.ui.hover_shown;
  const int hover_at_start = s.selection.hovered_token;

  handle_shortcuts(app);
  draw_main_menu(app);
  if (s.model) {
    draw_input_window(app);
    draw_view_windows(app);
    draw_head_roles_window(app);
  } else {
    draw_empty_state(app);
  }
  draw_cost_window(app);  // every frame: it also cancels its measurements when closed
  draw_status_bar(app);
  if (auto chosen = app.browser.draw(app.settings.recent_models)) request_model(app, *chosen);
  draw_open_session_dialog(app);
  draw_save_session_as_dialog(app);
  draw_error_popup(app);
  draw_overwrite_question(app);
  draw_notice_popup(app);

  // A view that hovers a token writes it; when none did (the value is still
  // the carried one) and the mouse is over nothing, the hover ends.
  if (s.selection.hovered_token == hover_at_start && !ImGui::IsAnyItemHovered()) s.selection.hovered_token = -1;
  app.ui.hover_shown = s.selection.hovered_token;
  app.ui.reset_layout = false;
}

}  // namespace attnscope::app
