// `render` in a build without the render library (ATTNSCOPE_BUILD_RENDER=OFF).
#include <iostream>

#include "cli/commands.h"

namespace attnscope::cli {

int render_command(const std::vector<std::string>&) {
  std::cerr << "attnscope-cli: render needs the render library: build with -DATTNSCOPE_BUILD_RENDER=ON\n";
  return 2;
}

}  // namespace attnscope::cli
