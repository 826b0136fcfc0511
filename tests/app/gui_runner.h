// Starts the real attnscope binary under xvfb-run and reads back what it saved.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace attnscope::testing {

struct GuiRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// True when xvfb-run is on PATH; GUI tests skip without it.
bool have_xvfb();

// Runs `attnscope args...` under xvfb-run with a private config folder (so a
// developer's settings never leak into a test), waiting for it to exit.
GuiRun run_app(const std::vector<std::string>& args, const std::filesystem::path& work_dir);

// Runs `attnscope-cli args...` with no DISPLAY (and no Wayland), as on a
// server: the headless renderer must not need one.
GuiRun run_headless_cli(const std::vector<std::string>& args, const std::filesystem::path& work_dir);

struct Png {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;  // [height][width][4]
  const std::uint8_t* at(int x, int y) const { return rgba.data() + (static_cast<size_t>(y) * width + x) * 4; }
};
// Throws std::runtime_error when the file is missing or not an image.
Png read_png(const std::filesystem::path& path);

}  // namespace attnscope::testing
