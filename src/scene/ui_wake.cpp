#include "scene/ui_wake.h"

#include <atomic>

namespace attnscope {
namespace {

std::atomic<void (*)()> g_hook{nullptr};

}  // namespace

void set_ui_wake_hook(void (*hook)()) { g_hook.store(hook); }

void notify_ui() {
  if (auto hook = g_hook.load()) hook();
}

}  // namespace attnscope
