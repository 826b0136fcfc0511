// The app's fonts: DejaVu Sans (compiled in from Debian's fonts-dejavu-core)
// with Latin, Latin Extended, Greek and Cyrillic glyphs; ImGui's built-in font
// only if the embedded one fails to load. No GLFW here: figure exports build
// their own atlas.
#pragma once

struct ImFont;
struct ImFontAtlas;

namespace attnscope {

constexpr float kBaseFontSize = 16.0f;       // pixels at font scale 1
constexpr float kPresenterFontScale = 1.75f;  // presenter mode multiplies the user's scale

struct FontSet {
  ImFont* body = nullptr;   // everything
  ImFont* title = nullptr;  // figure titles, the empty state's heading
  bool dejavu = false;      // false: ImGui's default font (ASCII only)
};

// Clears `atlas` and adds the body font at `size_px` and a title font at 1.5x.
// The atlas still has to be built (the renderer backend does that).
FontSet add_app_fonts(ImFontAtlas* atlas, float size_px);

}  // namespace attnscope
