#include "scene/settings.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

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

}  // namespace

Settings load_settings(const fs::path& path, std::string* notice) {
  Settings s;
  notice->clear();
  std::error_code ec;
  if (!fs::exists(path, ec)) return s;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *notice = "Settings file " + path.string() + " is not valid JSON; using defaults";
    return s;
  }
  std::vector<std::string> bad;
  if (auto it = j.find("colormap"); it != j.end()) {
    Colormap map;
    if (it->is_string() && colormap_from_name(it->get<std::string>(), &map)) s.colormap = map;
    else bad.push_back("colormap");
  }
  read_float(j, "font_scale", kMinFontScale, kMaxFontScale, &s.font_scale, &bad);
  read_bool(j, "presenter", &s.presenter, &bad);
  read_string(j, "last_model", &s.last_model, &bad);
  read_string(j, "last_text", &s.last_text, &bad);
  read_string(j, "export_dir", &s.export_dir, &bad);
  if (auto it = j.find("recent_models"); it != j.end()) {
    if (it->is_array()) {
      for (const auto& m : *it)
        if (m.is_string() && static_cast<int>(s.recent_models.size()) < kMaxRecentModels)
          s.recent_models.push_back(m.get<std::string>());
    } else {
      bad.push_back("recent_models");
    }
  }
  if (!bad.empty()) {
    std::string names;
    for (const auto& b : bad) names += (names.empty() ? "" : ", ") + b;
    *notice = "Settings file " + path.string() + ": ignored invalid " + names;
  }
  return s;
}

bool save_settings(const fs::path& path, const Settings& s, std::string* error) {
  json j = {
      {"colormap", colormap_name(s.colormap)},
      {"font_scale", s.font_scale},
      {"presenter", s.presenter},
      {"last_model", s.last_model},
      {"last_text", s.last_text},
      {"recent_models", s.recent_models},
      {"export_dir", s.export_dir},
  };
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    // dump() with error_handler::replace: a pasted invalid UTF-8 sentence must not throw.
    out << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    if (!out) {
      *error = "cannot write " + tmp.string();
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot replace " + path.string() + ": " + ec.message();
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
