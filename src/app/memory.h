// Giving memory back to the system over a long session. The forward passes
// keep freed heap for the next pass (core/pass_memory.h), which makes typing
// fast; once the app has been idle for a while, or a model is replaced, the
// free heap pages go back to the system.
#pragma once

#include <chrono>

namespace attnscope::app {

// Hands free heap pages back; worth it after a model is replaced.
void return_free_memory();

// Returns free memory once per idle spell, after kIdleSeconds without work:
// typing never waits on it, and an app left open does not hold a long
// text's buffers.
class IdleTrimmer {
 public:
  void after_frame(bool idle);

 private:
  static constexpr double kIdleSeconds = 5;
  bool idle_ = false, trimmed_ = false;
  std::chrono::steady_clock::time_point idle_since_;
};

}  // namespace attnscope::app
