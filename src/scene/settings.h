// What the app remembers between runs, as a plain struct with defaults.
// Loading checks each field on its own: a missing or out-of-range field keeps
// its default, and a file that is not JSON at all gives the defaults plus a
// notice.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/colormap.h"

namespace attnscope {

constexpr int kMaxRecentModels = 8;
constexpr float kMinFontScale = 0.5f;
constexpr float kMaxFontScale = 3.0f;

struct Settings {
  Colormap colormap = Colormap::Viridis;
  float font_scale = 1.0f;
  bool presenter = false;                 // large fonts for a projector
  bool one_based_heads = false;           // head labels count from 1 ("L5 H4")
  std::string last_model;                 // folder or file, empty = none
  std::string last_text;                  // empty = the app's default sentence
  std::vector<std::string> recent_models; // most recent first, at most kMaxRecentModels
  std::string export_dir;                 // empty = the current directory
};

// $XDG_CONFIG_HOME/attnscope, else ~/.config/attnscope (created on save).
std::filesystem::path config_dir();
std::filesystem::path settings_path();

// Never throws. `notice` receives a one-line message when the file exists but
// could not be used (or only partly), and stays empty otherwise.
Settings load_settings(const std::filesystem::path& path, std::string* notice);

// What the app starts with. A file that is not JSON is moved aside to
// "settings.json.bad-<time>" and defaults are written in its place, so the
// next save cannot destroy what the user may want back; `notice` says where it
// went (for a popup that stays until dismissed).
struct OpenedSettings {
  Settings settings;
  std::string notice;     // empty when the file was fine or missing
  bool may_save = true;   // false when the file there could not be read or moved: it is left alone
};
OpenedSettings open_app_settings(const std::filesystem::path& path);

// Writes atomically (write_file_atomically, replacing the old file). Returns
// false and fills `error` on failure.
bool save_settings(const std::filesystem::path& path, const Settings& settings, std::string* error);

// Puts `model` first in the recent list, dropping duplicates and the oldest beyond the limit.
void remember_model(Settings& settings, const std::string& model);

}  // namespace attnscope
