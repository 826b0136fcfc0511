// When the main loop may sleep instead of drawing another frame.
//
// A person's app draws a frame for each input and one more (ImGui settles
// popups and sizes on the second), then waits: for input, for a worker's
// result (scene/ui_wake.h), or for a timeout that keeps the text caret
// blinking. While a forward pass is in flight the extra frame is skipped:
// its result redraws anyway, and on a two-core machine a frame drawn in the
// meantime (tens of milliseconds of software GL) takes the cores the pass needs.
#pragma once

namespace attnscope::app {

class FramePacer {
 public:
  // Processes pending events; first waits for one when `may_sleep` and no
  // frame is owed. `work_in_flight`: a forward pass is running or queued.
  void next_frame(bool may_sleep, bool work_in_flight);

 private:
  static constexpr int kFramesAfterInput = 2;
  static constexpr double kIdleTimeoutSeconds = 0.5;
  static constexpr double kBusyTimeoutSeconds = 0.1;  // a slow pass still shows its progress
  int frames_owed_ = kFramesAfterInput;
};

}  // namespace attnscope::app
