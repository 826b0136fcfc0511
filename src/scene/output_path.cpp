#include <system_error>

#include "scene/output_path.h"

namespace attnscope {

namespace fs = std::filesystem;

fs::path unique_path(const fs::path& wanted) {
  std::error_code ec;
  if (!fs::exists(wanted, ec)) return wanted;
  const fs::path dir = wanted.parent_path();
  const std::string stem = wanted.stem().string();
  const std::string ext = wanted.extension().string();
  for (int i = 1;; ++i) {
    fs::path candidate = dir / (stem + "-" + std::to_string(i) + ext);
    if (!fs::exists(candidate, ec)) return candidate;
  }
}

std::string default_export_name(const Selection& sel, ViewId view) {
  std::string head = sel.mode == HeadMode::Single ? "H" + std::to_string(sel.head) : head_mode_key(sel.mode);
  return std::string("attnscope-") + view_key(view) + "-L" + std::to_string(sel.layer) + head + ".png";
}

}  // namespace attnscope
