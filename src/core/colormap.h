// Colormaps for attention weights, shared by the GUI's shader (as a 256-entry
// lookup texture), image export and tests that check exported pixels.
// All four are perceptually ordered and readable with colour-blindness;
// Greys and Blues also print well in black and white.
#pragma once
#include <array>
#include <cstdint>
#include <string>

namespace attnscope {

enum class Colormap { Viridis, Magma, Greys, Blues };
constexpr int kColormapCount = 4;
constexpr int kColormapSize = 256;

struct Rgb8 {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb8&) const = default;
};

const char* colormap_name(Colormap map);
bool colormap_from_name(const std::string& name, Colormap* out);

// The lookup table: entry i is the colour of value i / 255.
const std::array<Rgb8, kColormapSize>& colormap_lut(Colormap map);

// The colour of a value in [0, 1] (clamped), as the shader samples the
// lookup texture: nearest entry, index round(value * 255).
Rgb8 colormap_color(Colormap map, float value);

}  // namespace attnscope
