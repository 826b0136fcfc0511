// Vector figures: the heatmap view as SVG, for papers and for editing in
// Inkscape. Text stays <text>; every cell and legend colour is the exact
// colormap_color() of the PNG. The cells sit where the PNG figure drew them
// (its HeatmapLayout), so the SVG rasterised at the same size lines up with
// the PNG cell for cell. No GL here.
#pragma once
#include <filesystem>
#include <string>

#include "app/app_state.h"
#include "app/figure_export.h"

namespace attnscope::app {

struct HeatmapLayout;

// True for a ".svg" file name (any case): exports to it are SVG.
bool is_svg_path(const std::filesystem::path& path);

// state.snapshot must be set. `cells`: where the PNG figure of `spec` put the
// cells, in pixels of a width_px x height_px image; the SVG has that size.
std::string heatmap_svg(const AppState& state, const FigureSpec& spec, const HeatmapLayout& cells, int width_px,
                        int height_px);

}  // namespace attnscope::app
