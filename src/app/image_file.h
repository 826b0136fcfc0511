// PNG files for screenshots and figure exports: reading back what GL drew,
// choosing a file name that never overwrites an existing file, writing PNG.
// No GLFW here, so a headless (EGL) renderer can reuse it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace attnscope::app {

struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // [height][width][4], first row = top of the image
};

// Reads the currently bound read framebuffer (the window's back buffer or an
// FBO) and flips it so that row 0 is the top, as PNG expects.
RgbaImage read_framebuffer(int width, int height);

// `wanted` if no file has that name, else "stem-1.ext", "stem-2.ext", ...
std::filesystem::path unique_path(const std::filesystem::path& wanted);

// Returns false with a one-line `error` naming the path when it cannot be written.
bool write_png(const std::filesystem::path& path, const RgbaImage& image, std::string* error);

}  // namespace attnscope::app
