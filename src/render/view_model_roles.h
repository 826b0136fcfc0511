// The model view's role borders: each thumbnail framed in the colour of its
// head's strongest role (scene/head_role_kind.h), with a legend saying what
// "strongest" means. Drawn through the FigurePen, so PNG and SVG agree.
#pragma once
#include <imgui.h>

#include "render/figure_record.h"
#include "render/view_common.h"
#include "scene/head_role_kind.h"

namespace attnscope {

// The role to frame layer/head with, or None: borders off, no scores yet,
// scores of another shape, or a kind of attention the scores are not about.
HeadRole shown_role(const AppState& state, int layer, int head);

// An inner frame of the role's colour, inside the thumbnail p0..p1.
void draw_role_border(FigurePen& pen, HeadRole role, ImVec2 p0, ImVec2 p1, float line);

// "Border: strongest role" with a swatch per role, at the cursor (advances
// it); or why there are no borders yet. Nothing when borders are off.
void draw_role_legend(const AppState& state, const ViewDrawOptions& options);

}  // namespace attnscope
