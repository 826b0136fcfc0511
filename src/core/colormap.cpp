#include "colormap.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace attnscope {
namespace {

// Each map is given by evenly spaced key colours (sRGB) and linearly
// interpolated between them into the 256-entry table.
struct KeyColors {
  const char* name;
  std::vector<std::uint32_t> keys;  // 0xRRGGBB from value 0 to value 1
};

const KeyColors kMaps[kColormapCount] = {
    {"viridis", {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725}},
    {"magma", {0x000004, 0x180f3d, 0x440f76, 0x721f81, 0x9e2f7f, 0xcd4071, 0xf1605d, 0xfd9668, 0xfeca8d, 0xfcfdbf}},
    // Light to dark, so that weak weights fade into a white slide.
    {"greys", {0xffffff, 0xf0f0f0, 0xd9d9d9, 0xbdbdbd, 0x969696, 0x737373, 0x525252, 0x252525, 0x000000}},
    {"blues", {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b}},
};

std::array<Rgb8, kColormapSize> build(const KeyColors& map) {
  std::array<Rgb8, kColormapSize> lut{};
  const int segments = static_cast<int>(map.keys.size()) - 1;
  for (int i = 0; i < kColormapSize; ++i) {
    const double x = static_cast<double>(i) / (kColormapSize - 1) * segments;
    const int k = std::min(static_cast<int>(x), segments - 1);
    const double f = x - k;
    auto channel = [&](int shift) {
      const double a = (map.keys[static_cast<size_t>(k)] >> shift) & 0xff;
      const double b = (map.keys[static_cast<size_t>(k + 1)] >> shift) & 0xff;
      return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
    };
    lut[static_cast<size_t>(i)] = {channel(16), channel(8), channel(0)};
  }
  return lut;
}

}  // namespace

const char* colormap_name(Colormap map) { return kMaps[static_cast<int>(map)].name; }

bool colormap_from_name(const std::string& name, Colormap* out) {
  for (int i = 0; i < kColormapCount; ++i)
    if (name == kMaps[i].name) {
      *out = static_cast<Colormap>(i);
      return true;
    }
  return false;
}

const std::array<Rgb8, kColormapSize>& colormap_lut(Colormap map) {
  static const std::array<std::array<Rgb8, kColormapSize>, kColormapCount> luts = [] {
    std::array<std::array<Rgb8, kColormapSize>, kColormapCount> all{};
    for (int i = 0; i < kColormapCount; ++i) all[static_cast<size_t>(i)] = build(kMaps[i]);
    return all;
  }();
  return luts[static_cast<size_t>(map)];
}

Rgb8 colormap_color(Colormap map, float value) {
  if (!(value >= 0.0f)) value = 0.0f;  // NaN too
  if (value > 1.0f) value = 1.0f;
  return colormap_lut(map)[static_cast<size_t>(std::lround(value * (kColormapSize - 1)))];
}

}  // namespace attnscope
