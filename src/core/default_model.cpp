#include "default_model.h"

#include <system_error>
#include <vector>

namespace attnscope {

std::optional<std::filesystem::path> default_model_path() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    candidates.push_back(exe.parent_path() / "../share/attnscope/models/attnscope-tiny-bert");
    candidates.push_back(exe.parent_path() / "assets/models/attnscope-tiny-bert");
  }
  candidates.push_back(fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert");
  for (const auto& c : candidates)
    if (fs::exists(c / "config.json", ec)) return c;
  return std::nullopt;
}

}  // namespace attnscope
