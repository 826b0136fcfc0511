#include "render/headless_gl.h"

#include <cstdio>
#include <cstring>
#include <string>

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include "core/error.h"

namespace attnscope {

namespace {

[[noreturn]] void fail(const std::string& step) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(eglGetError()));
  throw Error("headless OpenGL: " + step + " failed (EGL error " + code +
              "; needs Mesa's EGL: apt-get install libegl-mesa0)");
}

bool has_extension(const char* list, const char* name) {
  if (!list) return false;
  const size_t n = std::strlen(name);
  for (const char* p = list; (p = std::strstr(p, name)) != nullptr; p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
  return false;
}

}  // namespace

HeadlessGl::HeadlessGl() {
  const char* client_extensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  if (!has_extension(client_extensions, "EGL_MESA_platform_surfaceless"))
    throw Error("headless OpenGL: this EGL has no EGL_MESA_platform_surfaceless (needs Mesa: apt-get install libegl-mesa0)");
  auto get_platform_display =
      reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
  if (!get_platform_display) fail("eglGetProcAddress(eglGetPlatformDisplayEXT)");
  EGLDisplay display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) fail("eglGetPlatformDisplayEXT(surfaceless)");
  EGLint major = 0, minor = 0;
  if (!eglInitialize(display, &major, &minor)) fail("eglInitialize");
  display_ = display;
  if (!eglBindAPI(EGL_OPENGL_API)) {
    eglTerminate(display);
    fail("eglBindAPI(OpenGL)");
  }
  const EGLint config_attributes[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
  EGLConfig config = nullptr;
  EGLint n_configs = 0;
  // Surfaceless: any config will do, the context never draws to a surface.
  if (!eglChooseConfig(display, config_attributes, &config, 1, &n_configs) || n_configs < 1) config = EGL_NO_CONFIG_KHR;
  const EGLint context_attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                       EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
  EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, context_attributes);
  if (context == EGL_NO_CONTEXT) {
    eglTerminate(display);
    fail("eglCreateContext(OpenGL 3.3 core)");
  }
  context_ = context;
  if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
    eglDestroyContext(display, context);
    eglTerminate(display);
    fail("eglMakeCurrent(surfaceless)");
  }
}

HeadlessGl::~HeadlessGl() {
  EGLDisplay display = display_;
  eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  eglDestroyContext(display, context_);
  eglTerminate(display);
}

}  // namespace attnscope
