// Predictions view: the model's top-k guesses at one position. For a causal
// model, the next token after the selected (or last) token; for a masked-LM
// model, the fills of [MASK] (or of the selected position). With heads
// switched off, each guess also shows its probability in the run without
// ablations (AppState::baseline).
#pragma once

#include "render/view_common.h"

namespace attnscope {

struct PredictionsViewState {};

// The position whose predictions are shown: the selected query; else, for a
// masked-LM model, the first [MASK]; else the last token. -1 when there is none.
int prediction_position(const AppState& state);

void draw_predictions_view(AppState& state, PredictionsViewState& view, GlResources& gl,
                           const ViewDrawOptions& options);

}  // namespace attnscope
