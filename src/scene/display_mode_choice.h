// Switching the views to a display mode without blocking the UI: a mode the
// current snapshot has no matrices for yet (flow takes seconds at 60 tokens)
// is computed on the inference worker, and the views switch when its result
// arrives with them.
#pragma once
#include "scene/view_state.h"

namespace attnscope {

// The user picked `mode`: switch now if its matrices are ready, else ask the
// worker for them and keep showing the current mode.
void choose_display_mode(AppState& state, DisplayMode mode);
// A run arrived whose snapshot has `ready`'s matrices: a pending switch to it happens.
void display_mode_delivered(AppState& state, DisplayMode ready);
// What the display-mode control shows: the pending choice, else the current mode.
DisplayMode chosen_display_mode(const AppState& state);

}  // namespace attnscope
