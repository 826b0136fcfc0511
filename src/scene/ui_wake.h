// Lets a worker thread wake a UI that sleeps until something happens. The
// app's loop waits for input when nothing moves; a worker that has a result
// calls notify_ui() so the result is drawn at once instead of at the next
// input. The app installs the hook (glfwPostEmptyEvent, which any thread may
// call); without one, notify_ui() does nothing.
#pragma once

namespace attnscope {

void set_ui_wake_hook(void (*hook)());
void notify_ui();

}  // namespace attnscope
