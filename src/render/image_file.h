// PNG files for screenshots and figure exports: reading back what GL drew and
// writing PNG through the atomic writer (the image is encoded in memory first,
// so a failed or interrupted save never leaves half a PNG under the name).
// No GLFW here, so a headless (EGL) renderer can reuse it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_file.h"

namespace attnscope {

struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // [height][width][4], first row = top of the image
};

// Reads the currently bound read framebuffer (the window's back buffer or an
// FBO) and flips it so that row 0 is the top, as PNG expects.
RgbaImage read_framebuffer(int width, int height);

// The PNG file's bytes. Throws Error for an empty image.
std::string encode_png(const RgbaImage& image);

// Encodes and writes with write_file_atomically. Throws Error naming the path
// (an existing file with Overwrite::Refuse, a missing folder, a full disk).
void write_png(const std::filesystem::path& path, const RgbaImage& image, Overwrite overwrite);

}  // namespace attnscope
