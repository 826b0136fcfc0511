// The pieces every SVG figure is made of: escaping, colours, numbers, the
// document frame (size, background, the window's clip) and the shapes of a
// FigureRecord, each where and in the colour the PNG figure drew it.
//
// Text is <text> in DejaVu Sans, the app's font. ImGui sizes a font by its
// pixel height (ascent - descent) where SVG sizes it by its em, so sizes are
// converted; baselines come from the record.
#pragma once
#include <functional>
#include <string>

#include <imgui.h>

#include "render/figure_export.h"
#include "render/figure_record.h"
#include "core/colormap.h"

namespace attnscope::svg {

std::string hex(Rgb8 c);
std::string num(float v);
// "#rrggbb" plus, below full opacity, ` <which>-opacity="a"` (which: fill or stroke).
std::string paint(ImU32 color, const char* which);
// SVG font-size (em) of text that ImGui draws at `font_px` pixel height.
float em_size(float font_px);

// <text> with its baseline's anchor point at (x, y).
std::string text(float x, float y, float font_px, ImU32 color, const std::string& content,
                 TextAnchor anchor = TextAnchor::Start, const std::string& extra = {});

// XML declaration, <svg> root of width_px x height_px, <title>, the background
// and the opening of the group clipped to the figure window; end() closes both.
std::string begin(const FigureSpec& spec, const FigureRecord& record, int width_px, int height_px);
std::string end();

// The record's groups whose id passes `keep`, each as <g id="...">, shapes in order.
std::string groups(const FigureRecord& record, const std::function<bool(const std::string&)>& keep);

// One recorded heatmap: a <rect> per run of equal cells in a row while the
// matrix is small, else one embedded PNG <image> of the pixels the PNG figure
// has there (finer when the rectangle has fewer pixels than cells).
std::string cells(const FigureCells& cells, ImVec2 min, ImVec2 max);
constexpr int kMaxCellRects = 32 * 32;  // cells per heatmap drawn as rects

}  // namespace attnscope::svg
