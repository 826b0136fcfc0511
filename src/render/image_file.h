// PNG files for screenshots and figure exports: reading back what GL drew and
// writing PNG.
// No GLFW here, so a headless (EGL) renderer can reuse it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace attnscope {

struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // [height][width][4], first row = top of the image
};

// Reads the currently bound read framebuffer (the window's back buffer or an
// FBO) and flips it so that row 0 is the top, as PNG expects.
RgbaImage read_framebuffer(int width, int height);

// Returns false with a one-line `error` naming the path when it cannot be written.
bool write_png(const std::filesystem::path& path, const RgbaImage& image, std::string* error);

}  // namespace attnscope
