// An OpenGL 3.3 core context with no window, no X server and no DISPLAY:
// EGL on Mesa's surfaceless platform. Figures are drawn into framebuffer
// objects (figure_export.cpp), so the context needs no default framebuffer.
#pragma once

namespace attnscope {

class HeadlessGl {
 public:
  // Creates the context and makes it current on this thread. Throws Error
  // naming the EGL step that failed.
  HeadlessGl();
  ~HeadlessGl();
  HeadlessGl(const HeadlessGl&) = delete;
  HeadlessGl& operator=(const HeadlessGl&) = delete;

 private:
  void* display_ = nullptr;  // EGLDisplay
  void* context_ = nullptr;  // EGLContext
};

}  // namespace attnscope
