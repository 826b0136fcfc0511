// Renders one view alone into an offscreen framebuffer, at 1x, 2x or 4x, with
// a header (title, sentence, layer/head) above it: a figure ready for a slide.
//
// It uses a second ImGui context with its own font atlas built at the export
// scale (so text is crisp, not upscaled) and its own OpenGL 3 renderer state,
// drawing with the GL context that is current. It needs no window and no
// GLFW, so a headless EGL front end can call it the same way.
#pragma once
#include <functional>
#include <string>

#include "render/image_file.h"

namespace attnscope {
struct FigureRecord;
}

namespace attnscope {

struct FigureSpec {
  std::string title;         // "Heatmap"
  std::string sentence;      // the input text, shown wrapped under the title
  std::string detail;        // "Layer 2 · head 3 · gpt2"
  float width = 960;         // logical size at 1x, header included
  float height = 720;
  float scale = 1;           // 1, 2 or 4: multiplies pixels, fonts and spacing
  float font_size = 16;      // logical body font size (title is 1.5x)
  bool light = false;        // light background instead of the app's dark theme
  int frames = 3;            // frames drawn before the read-back, so auto-sized layouts settle
  bool fit_height = true;    // grow the height when the content needs more (never shrink)
};

// Draws the view's content (and its legend) into the current ImGui window,
// which fills the figure below the header. Called once per frame.
using DrawFigureContent = std::function<void()>;

// Needs a current OpenGL 3.3 core context. The caller's ImGui context is
// current again on return. Throws attnscope::Error when the size is beyond
// what GL supports or the framebuffer cannot be created.
// `record`, when set, receives the header, the theme's colours and whatever
// the content records (pass the same one in ViewDrawOptions::record) for the
// frame that was read back: what an SVG copy of the figure is made from.
RgbaImage render_figure(const FigureSpec& spec, const DrawFigureContent& draw_content, FigureRecord* record = nullptr);

}  // namespace attnscope
