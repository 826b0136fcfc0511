#include "scene/settings.h"

#include <cstdlib>
#include <ctime>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/regular_file.h"

namespace attnscope {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path config_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "attnscope";
  const char* home = std::getenv("HOME");
  if (home && *home) return fs::path(home) / ".config" / "attnscope";
  return fs::path(".attnscope");
}

fs::path settings_path() { return config_dir() / "settings.json"; }

namespace {

// Each reader leaves the default in place unless the field is present, of the
// right type and in range; it reports a bad field by name.
void read_string(const json& j, const char* key, std::string* out, std::vector<std::string>* bad) {
  auto it = j.find(key);
  if (it == j.end()) return;
  if (it->is_string()) *out = it->get<std::string>();
  else bad->push_back(key);
}

void read_bool(const json& j, const char* key, bool* out, std::vector<std::string>* bad) {
  auto it = j.find(key);
  if (it == j.end()) return;
  if (it->is_boolean()) *out = it->get<bool>();
  else bad->push_back(key);
}

void read_float(const json& j, const char* key, float lo, float hi, float* out, std::vector<std::string>* bad) {
  auto it = j.find(key);
  if (it == j.end()) return;
  if (it->is_number() && it->get<double>() >= lo && it->get<double>() <= hi) *out = it->get<float>();
  else bad->push_back(key);
}

// How far reading got: a file that is not JSON is set aside by the app, one
// it could not open at all is left where it is.
enum class SettingsRead { Missing, Read, Unreadable, NotJson };

SettingsRead read_settings(const fs::path& path, Settings* s, std::string* notice) {
  notice->clear();
  if (!entry_exists(path)) return SettingsRead::Missing;
  std::string text;
  try {
    text = read_regular_file(path);
  } catch (const Error& e) {
    *notice = std::string("Settings file cannot be read (") + e.what() + "); using defaults";
    return SettingsRead::Unreadable;
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *notice = "Settings file " + path.string() + " is not valid JSON; using defaults";
    return SettingsRead::NotJson;
  }
  std::vector<std::string> bad;
  if (auto it = j.find("colormap"); it != j.end()) {
    Colormap map;
    if (it->is_string() && colormap_from_name(it->get<std::string>(), &map)) s->colormap = map;
    else bad.push_back("colormap");
  }
  read_float(j, "font_scale", kMinFontScale, kMaxFontScale, &s->font_scale, &bad);
  read_bool(j, "presenter", &s->presenter, &bad);
  read_bool(j, "one_based_heads", &s->one_based_heads, &bad);
  read_string(j, "last_model", &s->last_model, &bad);
  read_string(j, "last_text", &s->last_text, &bad);
  read_string(j, "export_dir", &s->export_dir, &bad);
  if (auto it = j.find("recent_models"); it != j.end()) {
    if (it->is_array()) {
      for (const auto& m : *it)
        if (m.is_string() && static_cast<int>(s->recent_models.size()) < kMaxRecentModels)
          s->recent_models.push_back(m.get<std::string>());
    } else {
      bad.push_back("recent_models");
    }
  }
  if (!bad.empty()) {
    std::string names;
    for (const auto& b : bad) names += (names.empty() ? "" : ", ") + b;
    *notice = "Settings file " + path.string() + ": ignored invalid " + names;
  }
  return SettingsRead::Read;
}

// "settings.json.bad-20261205-190312" beside the file, "...-1" if taken.
fs::path set_aside_name(const fs::path& path) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  const std::string base = path.string() + ".bad-" + stamp;
  // A number after the time, not before the extension: every copy still starts "settings.json.bad-".
  fs::path name = base;
  for (int n = 1; entry_exists(name); ++n) name = base + "-" + std::to_string(n);
  return name;
}

}  // namespace

Settings load_settings(const fs::path& path, std::string* notice) {
  Settings s;
  read_settings(path, &s, notice);
  return s;
}

OpenedSettings open_app_settings(const fs::path& path) {
  OpenedSettings opened;
  const SettingsRead read = read_settings(path, &opened.settings, &opened.notice);
  if (read == SettingsRead::Unreadable) opened.may_save = false;  // whatever is there is not ours to replace
  if (read != SettingsRead::NotJson) return opened;
  const fs::path aside = set_aside_name(path);
  std::error_code ec;
  fs::rename(path, aside, ec);
  if (ec) {
    opened.notice = "Settings file " + path.string() + " is not valid JSON and could not be moved aside (" +
                    ec.message() + "); using defaults, and settings will not be saved this time";
    opened.may_save = false;
    return opened;
  }
  opened.notice = "Settings file " + path.string() + " was not valid JSON. It was kept as " + aside.string() +
                  " and the default settings are used.";
  std::string error;
  if (!save_settings(path, opened.settings, &error)) opened.notice += " (" + error + ")";
  return opened;
}

bool save_settings(const fs::path& path, const Settings& s, std::string* error) {
  json j = {
      {"colormap", colormap_name(s.colormap)},
      {"font_scale", s.font_scale},
      {"presenter", s.presenter},
      {"one_based_heads", s.one_based_heads},
      {"last_model", s.last_model},
      {"last_text", s.last_text},
      {"recent_models", s.recent_models},
      {"export_dir", s.export_dir},
  };
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  try {
    // The app's own file: replaced, but atomically, so a crash mid-save keeps the old one.
    // dump() with error_handler::replace: a pasted invalid UTF-8 sentence must not throw.
    write_file_atomically(path, j.dump(2, ' ', false, json::error_handler_t::replace) + "\n", Overwrite::Allow);
  } catch (const Error& e) {
    *error = e.what();
    return false;
  }
  return true;
}

void remember_model(Settings& s, const std::string& model) {
  std::vector<std::string> recent{model};
  for (const auto& m : s.recent_models)
    if (m != model && static_cast<int>(recent.size()) < kMaxRecentModels) recent.push_back(m);
  s.recent_models = std::move(recent);
  s.last_model = model;
}

}  // namespace attnscope
