// One view of a state as a finished picture file, PNG or SVG: the one path
// that the app's Export and the headless renderer both take, so the same
// state gives the same figure.
#pragma once
#include <filesystem>

#include "render/figure_export.h"
#include "render/figure_record.h"
#include "render/image_file.h"
#include "scene/view_state.h"

namespace attnscope {

class Views;

struct DrawnFigure {
  FigureSpec spec;
  RgbaImage image;
  FigureRecord record;  // filled when drawn for SVG: what the vector copy is made from
};

// The header and size of a view's figure: title, sentence, head caption and
// model. Needs state.snapshot and state.model.
FigureSpec make_figure_spec(const AppState& state, ViewId view, float width, float height, float scale, bool light);

// Draws `view` of `state` offscreen (needs a current GL context).
DrawnFigure draw_figure(Views& views, AppState& state, ViewId view, const FigureSpec& spec, bool for_svg);

// Draws and writes `out`: SVG for a ".svg" name, PNG otherwise. Refuses an
// existing file unless `overwrite`, and any other extension. Throws Error.
DrawnFigure write_figure(Views& views, AppState& state, ViewId view, const FigureSpec& spec,
                         const std::filesystem::path& out, bool overwrite);

}  // namespace attnscope
