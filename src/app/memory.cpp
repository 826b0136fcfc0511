#include "app/memory.h"

#include <malloc.h>

namespace attnscope::app {

void return_free_memory() { malloc_trim(0); }

void IdleTrimmer::after_frame(bool idle) {
  const auto now = std::chrono::steady_clock::now();
  if (!idle) {
    idle_ = trimmed_ = false;
    return;
  }
  if (!idle_) {
    idle_ = true;
    idle_since_ = now;
  }
  if (trimmed_ || std::chrono::duration<double>(now - idle_since_).count() < kIdleSeconds) return;
  return_free_memory();
  trimmed_ = true;
}

}  // namespace attnscope::app
