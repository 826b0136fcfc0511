#include "scene/display_mode_choice.h"

#include "scene/display_modes.h"

namespace attnscope {

void choose_display_mode(AppState& state, DisplayMode mode) {
  if (!state.snapshot || display_mode_ready(*state.snapshot, mode)) {
    state.display.mode = mode;
    state.pending_display_mode.reset();
    return;
  }
  state.pending_display_mode = mode;
  state.request_run();
}

void display_mode_delivered(AppState& state, DisplayMode ready) {
  if (state.pending_display_mode != ready) return;
  state.display.mode = ready;
  state.pending_display_mode.reset();
}

DisplayMode chosen_display_mode(const AppState& state) { return state.pending_display_mode.value_or(state.display.mode); }

}  // namespace attnscope
