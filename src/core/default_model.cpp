#include "default_model.h"

#include <system_error>
#include <vector>

namespace attnscope {

namespace {

namespace fs = std::filesystem;

// Where the models folder may be: installed, next to the build, in the source tree.
std::vector<fs::path> model_roots() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> roots;
  if (!ec) {
    roots.push_back(exe.parent_path() / "../share/attnscope/models");
    roots.push_back(exe.parent_path() / "assets/models");
  }
  roots.push_back(fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models");
  return roots;
}

std::optional<fs::path> find_default_model(const char* name) {
  std::error_code ec;
  for (const fs::path& root : model_roots())
    if (fs::exists(root / name / "config.json", ec)) return root / name;
  return std::nullopt;
}

}  // namespace

const std::vector<const char*>& default_model_names() {
  static const std::vector<const char*> names = {"attnscope-tiny-bert", "attnscope-tiny-gpt", "attnscope-tiny-translate"};
  return names;
}

std::optional<std::filesystem::path> default_model_path() { return find_default_model(default_model_names().front()); }

std::vector<std::filesystem::path> default_model_folders() {
  std::vector<fs::path> folders;
  for (const char* name : default_model_names())
    if (auto folder = find_default_model(name)) folders.push_back(*folder);
  return folders;
}

}  // namespace attnscope
