// The one file-naming rule of every export: never replace an existing file.
// Apart from image_file.cpp so that GL-free code (data exports, sessions, and
// their tests) can use it without linking GL.
#include <system_error>

#include "app/image_file.h"

namespace attnscope::app {

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

}  // namespace attnscope::app
