// The cost panel's "as T doubles" part: the scaling job's measurements and
// the FLOP counts past the context, as two log-log plots (view_cost.h).
#pragma once
#include "render/view_cost.h"

namespace attnscope {

void draw_cost_scaling(const CostViewInput& input, const ViewDrawOptions& options);

// The first measured T at which attention's mixing took at least as long as
// the projections and the MLP together; 0 when it never did.
int measured_crossover(const std::vector<ScalingPoint>& points);

}  // namespace attnscope
