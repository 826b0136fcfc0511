// Vector figures for papers and for editing in Inkscape: the heatmap, the
// head view and the model view as SVG. Text stays <text>; every colour is the
// one the PNG figure has. Shapes sit where the PNG figure drew them (the
// heatmap's HeatmapLayout, the other views' FigureRecord), so the SVG
// rasterised at the same size lines up with the PNG. No GL here.
#pragma once
#include <filesystem>
#include <string>

#include "scene/view_state.h"
#include "render/figure_export.h"
#include "scene/view_state.h"

namespace attnscope {

struct FigureRecord;
struct HeatmapLayout;

// True for a ".svg" file name (any case): exports to it are SVG.
bool is_svg_path(const std::filesystem::path& path);

// state.snapshot must be set. `cells`: where the PNG figure of `spec` put the
// cells, in pixels of a width_px x height_px image; the SVG has that size.
// `record`: what that render recorded: header, outlines, axis labels, legend.
// The cells themselves are written here, one <rect> each with its weight as a tooltip.
std::string heatmap_svg(const AppState& state, const FigureSpec& spec, const HeatmapLayout& cells,
                        const FigureRecord& record, int width_px, int height_px);

// A head view or model view figure from everything its PNG render recorded.
std::string recorded_svg(const FigureSpec& spec, const FigureRecord& record, int width_px, int height_px);

}  // namespace attnscope
