// The cost panel: what attention costs on the model and text shown. Per
// layer, the H·T² attention weights and the measured time split into the
// T² mixing (q·k, softmax, weights·v), the projections and the MLP; the
// memory of the snapshot's tensors; and how both terms grow with T, measured
// on the loaded model (cost_scaling.h) and computed from the FLOP counts
// past the context, with the crossover marked.
//
// Drawn through the figure pen, so the window and its PNG / SVG export match.
#pragma once
#include <memory>

#include "core/snapshot.h"
#include "render/view_common.h"
#include "scene/cost_scaling.h"

namespace attnscope {

struct CostViewInput {
  std::shared_ptr<const AttentionSnapshot> run;  // the latest run, with its timing (AppState::run)
  ScalingProgress scaling;                       // the scaling job's progress; its model may differ while it restarts
};

void draw_cost_view(const CostViewInput& input, const ViewDrawOptions& options);

// "1,234,567"
std::string with_thousands(std::int64_t n);
// "980 B", "12.3 kB", "4.56 MB" (powers of 1000).
std::string format_bytes(std::int64_t bytes);

}  // namespace attnscope
