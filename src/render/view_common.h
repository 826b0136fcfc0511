// What every view shares: how it is asked to draw, the GL objects it draws
// with, and small drawing helpers (labels, legend, colours, controls).
//
// A view draws its CONTENT into the current ImGui window; the shell owns the
// window, its visibility and the offscreen export, which calls the same draw
// function inside a second ImGui context with exporting = true.
#pragma once
#include <string>

#include <imgui.h>

#include "scene/view_state.h"
#include "render/gl_heatmap.h"

namespace attnscope {

struct FigureRecord;

struct ViewDrawOptions {
  // Figure export: no widgets, no hover, no tooltips; legends always drawn.
  bool exporting = false;
  // ImGui units per logical pixel. Fonts and style arrive already scaled; the
  // view multiplies its own fixed pixel sizes (line widths, gaps) by this.
  float scale = 1;
  // Figure export to SVG: views that support it record what they draw here
  // (through a FigurePen, see figure_record.h). Null otherwise.
  FigureRecord* record = nullptr;
};

// GL objects shared by the views. Create it once the GL context exists and
// destroy it (and the view states, which own textures) before the context goes.
struct GlResources {
  HeatmapRenderer heatmap;
};

// A token as an axis label: the readable display form without a leading
// space (the strip above shows spacing), cut to max_chars with "..".
std::string token_label(const Token& token, int max_chars = 14);
// "#3 'animal'" for tooltips.
std::string token_quote(const AttentionSnapshot& snapshot, int index);

ImU32 to_color(Rgb8 rgb, float alpha = 1.0f);
ImU32 style_color(ImGuiCol which, float alpha = 1.0f);  // follows the dark / light theme
// The accent colours of highlights: selected query and hovered token.
ImU32 selection_color(float alpha = 1.0f);
ImU32 hover_color(float alpha = 1.0f);

// "Layer 3, head 5", "Layer 3, mean of 8 heads", "Layer 3, max of 8 heads".
// one_based: numbered from 1 (DisplaySettings::one_based_heads).
std::string head_caption(const AttentionSnapshot& snapshot, const Selection& selection, bool one_based = false);
const char* color_scale_name(ColorScale scale);

// A friendly line for a view that has nothing to show yet; returns true when
// the view should stop drawing (no model or no snapshot).
bool draw_view_placeholder(const AppState& state);

// Colormap, scale, display mode and "hide special tokens" controls on one line.
void draw_display_controls(AppState& state);
// "attention", "value-weighted", "rollout", "flow".
const char* display_mode_label(DisplayMode mode);
// What the shown numbers are when they are not the attention weights (nothing
// for raw), or why the mode fell back to them.
void draw_display_mode_note(const AttentionSnapshot& snapshot, DisplayMode mode);

// A horizontal colour bar with tick values for the current scale, `width`
// wide, placed at the cursor (advances it).
void draw_colormap_legend(GlResources& gl, const DisplaySettings& display, float width, const ViewDrawOptions& options);
// The same legend upright, for the right of a heatmap: title on top, bar
// below it reaching `height`, ticks to the right. Drawn at `top_left`; does
// not move the cursor. vertical_legend_width() is the room it needs.
void draw_colormap_legend_vertical(GlResources& gl, const DisplaySettings& display, ImVec2 top_left, float height,
                                   const ViewDrawOptions& options);
float vertical_legend_width();
// A diverging bar from -max_abs to +max_abs, for signed vectors.
void draw_diverging_legend(GlResources& gl, float max_abs, float width, const ViewDrawOptions& options);

// A line of text at the cursor (advances it), recorded for an SVG copy.
void figure_text(const std::string& text, ImU32 color, const ViewDrawOptions& options);
// The same, wrapped at the window's right edge.
void figure_wrapped_text(const std::string& text, ImU32 color, const ViewDrawOptions& options);
// A dim "(?)" on the current line whose tooltip explains the view's mouse use.
void help_marker(const char* text);

// Text drawn rotated 90 degrees counter-clockwise (reads bottom to top), with
// its baseline end at `bottom_left`. Dear ImGui 1.86 cannot rotate text, so the
// vertices the text added to the draw list are rotated afterwards.
// `record`: also record it there (figure export to SVG).
void add_text_vertical(ImDrawList* draw_list, ImVec2 bottom_left, ImU32 color, const char* text,
                       FigureRecord* record = nullptr);

}  // namespace attnscope
