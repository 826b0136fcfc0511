#include "app/frame_pacer.h"

#include <chrono>

#include <GLFW/glfw3.h>

namespace attnscope::app {

void FramePacer::next_frame(bool may_sleep, bool work_in_flight) {
  if (frames_owed_ > 0) --frames_owed_;
  if (!may_sleep || (frames_owed_ > 0 && !work_in_flight)) {
    glfwPollEvents();
    return;
  }
  using Clock = std::chrono::steady_clock;
  const double timeout = work_in_flight ? kBusyTimeoutSeconds : kIdleTimeoutSeconds;
  const Clock::time_point start = Clock::now();
  glfwWaitEventsTimeout(timeout);
  // Back before the timeout: input, or a worker's result (glfwPostEmptyEvent).
  if (std::chrono::duration<double>(Clock::now() - start).count() < timeout) frames_owed_ = kFramesAfterInput;
}

}  // namespace attnscope::app
