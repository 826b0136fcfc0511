#include "app/overwrite_question.h"

#include <imgui.h>

#include "app/app.h"
#include "core/regular_file.h"

namespace attnscope::app {

namespace {
constexpr const char* kTitle = "Replace file?";
}

bool ask_to_replace(App& app, const std::filesystem::path& path, const std::string& what,
                    std::function<void(App&)> replace) {
  if (!app.persist || !entry_exists(path)) return false;
  app.ui.overwrite_question = OverwriteQuestion{path, what, std::move(replace)};
  app.state.status = what + " not saved yet: " + path.string() + " exists";
  return true;
}

void draw_overwrite_question(App& app) {
  if (!app.ui.overwrite_question || !app.state.error_popup.empty()) return;
  if (!ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const OverwriteQuestion& q = *app.ui.overwrite_question;
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
  ImGui::Text("%s: %s already exists.", q.what.c_str(), q.path.string().c_str());
  ImGui::TextUnformatted("Replace it? The old file is lost.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  const float button = ImGui::GetFontSize() * 6;
  const bool replace = ImGui::Button("Replace", ImVec2(button, 0));
  ImGui::SameLine();
  // Keeping the file is the answer Enter and Escape give: a slip of the key loses nothing.
  const bool keep = ImGui::Button("Keep", ImVec2(button, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
                    ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
  if (replace || keep) {
    OverwriteQuestion answered = std::move(*app.ui.overwrite_question);
    app.ui.overwrite_question.reset();
    ImGui::CloseCurrentPopup();
    if (replace) answered.replace(app);
    else app.state.status = answered.what + " not saved: kept " + answered.path.string();
  }
  ImGui::EndPopup();
}

}  // namespace attnscope::app
