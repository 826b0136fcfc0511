#include "render/fonts.h"

#include <cstdint>

#include <imgui.h>

// DejaVu Sans, compiled in by embedded_font.S (see CMakeLists.txt).
extern "C" const unsigned char attnscope_font_data[];
extern "C" const std::uint64_t attnscope_font_size;

namespace attnscope {

namespace {

// Pairs of inclusive ranges, zero-terminated; must outlive the atlas build.
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin + Latin-1 Supplement
    0x0100, 0x024F,  // Latin Extended-A and -B
    0x0370, 0x03FF,  // Greek and Coptic
    0x0400, 0x052F,  // Cyrillic + Cyrillic Supplement
    0x2000, 0x206F,  // General Punctuation: … — ‘ ’ “ ”
    0x2190, 0x21FF,  // Arrows: ↵ for newline tokens
    0x2200, 0x22FF,  // Mathematical Operators: ∘ · √
    0x2423, 0x2423,  // ␣ open box, for space tokens
    0x2580, 0x25FF,  // Block Elements + Geometric Shapes: ▁ ▲ ▼ ●
    0,
};

ImFont* add_font(ImFontAtlas* atlas, float size_px, bool* dejavu) {
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  config.FontDataOwnedByAtlas = false;  // the bytes live in the binary
  void* data = const_cast<unsigned char*>(attnscope_font_data);
  if (ImFont* font = atlas->AddFontFromMemoryTTF(data, static_cast<int>(attnscope_font_size), size_px, &config,
                                                 kGlyphRanges)) {
    *dejavu = true;
    return font;
  }
  ImFontConfig fallback;
  fallback.SizePixels = size_px;
  *dejavu = false;
  return atlas->AddFontDefault(&fallback);
}

}  // namespace

FontSet add_app_fonts(ImFontAtlas* atlas, float size_px) {
  atlas->Clear();
  FontSet fonts;
  fonts.body = add_font(atlas, size_px, &fonts.dejavu);
  bool title_dejavu = false;
  fonts.title = add_font(atlas, size_px * 1.5f, &title_dejavu);
  return fonts;
}

}  // namespace attnscope
