// The main menu bar: File, View, Sentences.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "core/default_model.h"
#include "render/svg_figure.h"
#include "app/ui.h"

namespace attnscope::app {

const std::vector<std::string>& sentence_presets() {
  static const std::vector<std::string> presets = {
      kDefaultSentence,
      "The animal didn't cross the street because it was too wide",
      "The cat sat on the mat",
      "The black cat sat on the mat.",
      "I am a student.",
      "The book that the student who the teacher had praised borrowed from the library was overdue",
      "The trophy didn't fit in the suitcase because it was too big",
      "The trophy didn't fit in the suitcase because it was too small",
      "Paris is the capital of France, and Berlin is the capital of",
      "The capital of France is [MASK].",
      "one two three four five one two three four five",
      "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun.",
  };
  return presets;
}

namespace {

// File > Export view as PNG / SVG: a submenu per view, then the scale.
void draw_export_view_menu(App& app, bool svg) {
  if (!ImGui::BeginMenu(svg ? "Export view as SVG" : "Export view as PNG", app.state.snapshot != nullptr)) return;
  for (ViewId v : kAllViews) {
    if (v == ViewId::Alignment && !app.state.encoder_decoder()) continue;  // only translation models have one
    if (!ImGui::BeginMenu(view_title(v))) continue;
    for (float scale : {1.0f, 2.0f, 4.0f}) {
      const std::string label = std::to_string(static_cast<int>(scale)) + "x";
      if (ImGui::MenuItem(label.c_str())) {
        ExportRequest request;
        request.view = v;
        request.scale = scale;
        request.svg = svg;
        app.requests.export_request = request;
      }
    }
    ImGui::EndMenu();
  }
  ImGui::EndMenu();
}

void draw_file_menu(App& app) {
  AppState& s = app.state;
  if (!ImGui::BeginMenu("File")) return;
  if (ImGui::MenuItem("Open model folder...", "Ctrl+O")) app.browser.open(s.model ? s.model->source : std::filesystem::path());
  if (ImGui::BeginMenu("Recent models", !app.settings.recent_models.empty())) {
    for (const auto& m : app.settings.recent_models)
      if (ImGui::MenuItem(m.c_str())) request_model(app, m);
    ImGui::EndMenu();
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Save screenshot", "Ctrl+S")) app.requests.screenshot = ScreenshotRequest{};
  draw_export_view_menu(app, false);
  draw_export_view_menu(app, true);
  if (ImGui::BeginMenu("Export data", s.snapshot != nullptr)) {
    for (DataExport kind : kAllDataExports)
      if (ImGui::MenuItem(data_export_label(kind), nullptr, false, data_export_available(s.selection, kind)))
        export_data(app, kind);
    ImGui::EndMenu();
  }
  ImGui::Separator();
  if (ImGui::MenuItem("Save session")) save_session(app, {});
  if (ImGui::MenuItem("Save session as...")) app.ui.save_session_as_dialog = true;
  if (ImGui::MenuItem("Open session...")) app.ui.open_session_dialog = true;
  ImGui::Separator();
  // Where screenshots and exports go; empty = the current directory.
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  ImGui::InputTextWithHint("Export folder", "(current directory)", &app.settings.export_dir);
  if (ImGui::IsItemDeactivatedAfterEdit()) save_app_settings(app);
  ImGui::Separator();
  if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.ui.quit = true;
  ImGui::EndMenu();
}

void draw_view_menu(App& app) {
  AppState& s = app.state;
  if (!ImGui::BeginMenu("View")) return;
  for (ViewId v : kAllViews)
    if (v != ViewId::Alignment || s.encoder_decoder()) ImGui::MenuItem(view_title(v), nullptr, &view_visible(s.show, v));
  ImGui::MenuItem("Input and heads", nullptr, &app.ui.show_input);
  ImGui::MenuItem("Cost of attention", nullptr, &app.cost.visible);
  if (ImGui::MenuItem("Reset layout")) app.ui.reset_layout = true;
  ImGui::Separator();
  if (ImGui::MenuItem("Presenter mode (large fonts)", nullptr, &s.display.presenter)) {
    app.ui.fonts_dirty = true;
    save_app_settings(app);
  }
  float scale = s.display.font_scale;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  if (ImGui::SliderFloat("Font scale", &scale, kMinFontScale, kMaxFontScale, "%.2f")) s.display.font_scale = scale;
  // Rebuilding the atlas on every drag step would stutter; apply on release.
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    app.ui.fonts_dirty = true;
    save_app_settings(app);
  }
  if (ImGui::BeginMenu("Colormap")) {
    for (int i = 0; i < kColormapCount; ++i) {
      const auto map = static_cast<Colormap>(i);
      if (ImGui::MenuItem(colormap_name(map), nullptr, s.display.colormap == map)) {
        s.display.colormap = map;
        save_app_settings(app);
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Colour scale")) {
    if (ImGui::MenuItem("Linear", nullptr, s.display.scale == ColorScale::Linear)) s.display.scale = ColorScale::Linear;
    if (ImGui::MenuItem("Log", nullptr, s.display.scale == ColorScale::Log)) s.display.scale = ColorScale::Log;
    if (ImGui::MenuItem("Per row", nullptr, s.display.scale == ColorScale::PerRow)) s.display.scale = ColorScale::PerRow;
    ImGui::EndMenu();
  }
  ImGui::MenuItem("Hide special tokens and renormalise (display only)", nullptr, &s.display.hide_special);
  ImGui::EndMenu();
}

void draw_sentences_menu(App& app) {
  if (!ImGui::BeginMenu("Sentences")) return;
  for (const auto& sentence : sentence_presets()) {
    if (ImGui::MenuItem(sentence.c_str())) {
      app.state.text = sentence;
      app.state.selection.query = -1;
      app.state.interventions.masked_keys.clear();  // positions of the old text
      app.state.request_run();
    }
  }
  ImGui::EndMenu();
}

// What each shipped model is for, beside its folder name.
const char* default_model_role(const std::string& name) {
  if (name == "attnscope-tiny-bert") return "masked LM, pronoun and subject heads";
  if (name == "attnscope-tiny-gpt") return "causal LM";
  if (name == "attnscope-tiny-translate") return "English \u2192 French";
  return "";
}

void draw_models_menu(App& app) {
  if (!ImGui::BeginMenu("Models")) return;
  for (const std::filesystem::path& folder : default_model_folders()) {
    const std::string name = folder.filename().string();
    std::string label = name + "  (" + default_model_role(name) + ")";
    if (!app.ui.have_symbols) label = ascii_arrows(label);
    const bool open = app.state.model && app.state.model->source == folder;
    if (ImGui::MenuItem(label.c_str(), nullptr, open) && !open) request_model(app, folder);
  }
  ImGui::EndMenu();
}

}  // namespace

void draw_open_session_dialog(App& app) {
  constexpr const char* kTitle = "Open session";
  if (app.ui.open_session_dialog) {
    ImGui::OpenPopup(kTitle);
    app.ui.open_session_dialog = false;
  }
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("Session file (.json), as written by File > Save session:");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputText("##session-path", &app.ui.session_path_input, ImGuiInputTextFlags_EnterReturnsTrue);
  if ((ImGui::Button("Open") || entered) && !app.ui.session_path_input.empty()) {
    ImGui::CloseCurrentPopup();
    open_session(app, app.ui.session_path_input);
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void draw_save_session_as_dialog(App& app) {
  constexpr const char* kTitle = "Save session as";
  if (app.ui.save_session_as_dialog) {
    ImGui::OpenPopup(kTitle);
    app.ui.save_session_as_dialog = false;
  }
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted("Session file (.json); an existing file is only replaced after you confirm:");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  const bool entered = ImGui::InputText("##session-path", &app.ui.session_path_input, ImGuiInputTextFlags_EnterReturnsTrue);
  if ((ImGui::Button("Save") || entered) && !app.ui.session_path_input.empty()) {
    ImGui::CloseCurrentPopup();
    save_session(app, app.ui.session_path_input);
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void draw_main_menu(App& app) {
  if (!ImGui::BeginMainMenuBar()) return;
  draw_file_menu(app);
  draw_models_menu(app);
  draw_view_menu(app);
  draw_sentences_menu(app);
  draw_compare_menu(app);
  draw_heads_menu(app);
  ImGui::EndMainMenuBar();
}

}  // namespace attnscope::app
