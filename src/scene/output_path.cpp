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
  // Appended piece by piece: GCC 12 warns (-Wrestrict) on "H" + std::to_string(...).
  std::string name = "attnscope-";
  name += view_key(view);
  name += "-L";
  name += std::to_string(sel.layer);
  if (sel.mode == HeadMode::Single) {
    name += "H";
    name += std::to_string(sel.head);
  } else {
    name += head_mode_key(sel.mode);
  }
  return name + ".png";
}

}  // namespace attnscope
