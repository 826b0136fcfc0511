#include "app/folder_browser.h"

#include <algorithm>
#include <system_error>

#include <imgui.h>
#include <imgui_stdlib.h>

namespace attnscope::app {

namespace fs = std::filesystem;

namespace {
constexpr const char* kPopupName = "Open model folder";
}

bool looks_like_model_folder(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "config.json", ec)) return true;
  int bins = 0;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".bin") ++bins;
    if (bins > 0 && it->path().filename().string().rfind("tok", 0) == 0) return true;
  }
  return false;
}

void FolderBrowser::open(const fs::path& start) {
  std::error_code ec;
  fs::path dir = start;
  if (!dir.empty() && !fs::is_directory(dir, ec)) dir = dir.parent_path();
  if (dir.empty() || !fs::is_directory(dir, ec)) dir = fs::current_path(ec);
  go_to(dir);
  open_requested_ = true;
}

void FolderBrowser::go_to(const fs::path& dir) {
  std::error_code ec;
  fs::path absolute = fs::absolute(dir, ec);
  dir_ = (ec ? dir : absolute).lexically_normal();
  if (dir_.has_relative_path() && dir_.filename().empty()) dir_ = dir_.parent_path();
  typed_path_ = dir_.string();
  selected_ = -1;
  list_entries();
}

void FolderBrowser::list_entries() {
  entries_.clear();
  list_error_.clear();
  std::error_code ec;
  fs::directory_iterator it(dir_, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    list_error_ = "Cannot list " + dir_.string() + ": " + ec.message();
    return;
  }
  for (fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    Entry e;
    e.name = name;
    std::error_code type_ec;
    e.is_dir = it->is_directory(type_ec);
    if (e.is_dir) e.looks_like_model = looks_like_model_folder(it->path());
    else if (it->path().extension() == ".bin" || it->path().extension() == ".safetensors") e.looks_like_model = true;
    else continue;  // other files cannot be opened as models
    entries_.push_back(std::move(e));
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.is_dir != b.is_dir) return a.is_dir;
    return a.name < b.name;
  });
}

std::optional<fs::path> FolderBrowser::draw(const std::vector<std::string>& recent_models) {
  if (open_requested_) {
    ImGui::OpenPopup(kPopupName);
    open_requested_ = false;
  }
  const float em = ImGui::GetFontSize();
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowSize(ImVec2(std::min(46 * em, display.x * 0.9f), std::min(30 * em, display.y * 0.85f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kPopupName, nullptr)) return std::nullopt;

  std::optional<fs::path> chosen;
  if (ImGui::Button("Up") && dir_.has_parent_path()) go_to(dir_.parent_path());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputText("##path", &typed_path_, ImGuiInputTextFlags_EnterReturnsTrue)) {
    std::error_code ec;
    const fs::path typed(typed_path_);
    if (fs::is_directory(typed, ec) && !looks_like_model_folder(typed)) go_to(typed);
    else chosen = typed;  // a model folder or file: let the loader judge it
  }
  if (!recent_models.empty()) {
    ImGui::TextDisabled("Recent models");
    for (const auto& m : recent_models)
      if (ImGui::Selectable(m.c_str())) chosen = fs::path(m);
    ImGui::Separator();
  }
  ImGui::TextDisabled("%s", dir_.string().c_str());
  const float footer = ImGui::GetFrameHeightWithSpacing() * 1.5f;
  ImGui::BeginChild("##entries", ImVec2(0, -footer), true);
  if (!list_error_.empty()) ImGui::TextWrapped("%s", list_error_.c_str());
  std::optional<fs::path> enter;
  for (int i = 0; i < static_cast<int>(entries_.size()); ++i) {
    const Entry& e = entries_[static_cast<size_t>(i)];
    const std::string label = (e.is_dir ? "[dir] " : "      ") + e.name + (e.looks_like_model ? "   (model)" : "");
    if (ImGui::Selectable(label.c_str(), selected_ == i, ImGuiSelectableFlags_AllowDoubleClick)) {
      selected_ = i;
      if (ImGui::IsMouseDoubleClicked(0)) {
        if (e.looks_like_model) chosen = dir_ / e.name;
        else if (e.is_dir) enter = dir_ / e.name;
      }
    }
  }
  ImGui::EndChild();
  if (enter) go_to(*enter);

  const bool has_selection = selected_ >= 0 && selected_ < static_cast<int>(entries_.size());
  if (ImGui::Button(has_selection ? "Open selected" : "Open this folder")) {
    if (!has_selection) {
      chosen = dir_;
    } else {
      const Entry& e = entries_[static_cast<size_t>(selected_)];
      // A plain folder is somewhere to look inside, not a model.
      if (e.is_dir && !e.looks_like_model) go_to(dir_ / e.name);
      else chosen = dir_ / e.name;
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  if (chosen) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return chosen;
}

}  // namespace attnscope::app
