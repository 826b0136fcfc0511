// attnscope: the desktop app. A straight-line main loop in the manner of Dear
// ImGui's example_glfw_opengl3: set up, loop, shut down in reverse order.
#include <cfloat>
#include <cstdio>
#include <memory>
#include <string>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include "app/app.h"
#include "app/app_args.h"
#include "app/bench_ui.h"
#include "app/captures.h"
#include "app/frame_pacer.h"
#include "app/memory.h"
#include "render/fonts.h"
#include "app/script.h"
#include "app/soak.h"
#include "scene/settings.h"
#include "scene/ui_wake.h"
#include "app/ui.h"
#include "render/views.h"
#include "core/blas_kernels.h"
#include "core/default_model.h"
#include "core/error.h"
#include "core/pass_memory.h"

using namespace attnscope;
using namespace attnscope::app;

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "attnscope: %s\n", message.c_str());
  return 2;
}

void glfw_error(int code, const char* description) { std::fprintf(stderr, "attnscope: GLFW error %d: %s\n", code, description); }

// Rebuilds the font atlas at the current font scale (presenter mode makes it
// larger) and scales the style's spacing to match. Runs between frames.
void rebuild_fonts(App& app, const ImGuiStyle& base_style) {
  const float scale = ui_scale(app.state.display);
  const FontSet fonts = add_app_fonts(ImGui::GetIO().Fonts, kBaseFontSize * scale);
  app.ui.have_symbols = fonts.dejavu;
  app.ui.title_font = fonts.title;
  // The next ImGui_ImplOpenGL3_NewFrame() recreates them with the new atlas
  // (also on the first frame, when none exist yet).
  ImGui_ImplOpenGL3_DestroyDeviceObjects();
  ImGui::GetStyle() = base_style;
  ImGui::GetStyle().ScaleAllSizes(scale);
  app.ui.fonts_dirty = false;
}

// Which model to open at start: the one asked for, else the last one used,
// else the default model shipped with the app; none gives the empty state.
std::optional<std::filesystem::path> startup_model(const AppArgs& args, const App& app) {
  if (args.scene.model) return std::filesystem::path(*args.scene.model);
  if (args.scripted() && !args.bench_ui && args.soak_steps == 0) return std::nullopt;
  std::error_code ec;
  if (app.persist && !app.settings.last_model.empty() && std::filesystem::exists(app.settings.last_model, ec))
    return std::filesystem::path(app.settings.last_model);
  return default_model_path();
}

// Interactive: a settings file that is not JSON is set aside and the notice
// stays on screen until dismissed. Scripted: read only, never moved or written.
void open_settings(App& app) {
  app.settings_file = settings_path();
  std::string notice;
  if (app.persist) {
    OpenedSettings opened = open_app_settings(app.settings_file);
    app.settings = std::move(opened.settings);
    notice = std::move(opened.notice);
    if (!opened.may_save) app.settings_file.clear();  // save_app_settings then leaves the file alone
  } else {
    app.settings = load_settings(app.settings_file, &notice);
  }
  if (!notice.empty()) show_notice(app, notice);
  app.state.display.colormap = app.settings.colormap;
  app.state.display.font_scale = app.settings.font_scale;
  app.state.display.presenter = app.settings.presenter;
  app.state.display.one_based_heads = app.settings.one_based_heads;
  app.state.status = "Ready";
}

GLFWwindow* open_window(const AppArgs& args, std::string* error) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    *error = "cannot initialise GLFW (is there a display? try xvfb-run -a)";
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  GLFWwindow* window = glfwCreateWindow(args.window_width, args.window_height, "attnscope", nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    *error = "cannot create a window with an OpenGL 3.3 core context";
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(args.bench_ui ? 0 : 1);  // the benchmark measures frames, not the display's refresh
  return window;
}

// The dark theme with opaque windows, the backends, and imgui.ini next to
// settings.json (scripted runs leave both alone). Returns the unscaled style.
ImGuiStyle set_up_imgui(const App& app, GLFWwindow* window, const std::string& ini_path) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  if (app.persist) {
    std::error_code ec;
    std::filesystem::create_directories(config_dir(), ec);
    io.IniFilename = ini_path.c_str();
  }
  ImGui::StyleColorsDark();
  // Opaque windows: a window placed over another must not show it through.
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w = 1.0f;
  ImGui::GetStyle().Colors[ImGuiCol_PopupBg].w = 1.0f;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  return ImGui::GetStyle();
}

// The automation a run may have: the benchmark, a soak, or the script hooks.
struct Automation {
  std::unique_ptr<BenchUi> bench;
  std::unique_ptr<SoakDriver> soak;
  std::unique_ptr<ScriptDriver> script;

  std::optional<int> before_frame(App& app) {
    auto code = soak ? soak->before_frame(app) : script->before_frame(app);
    if (!code && bench) bench->before_frame(app);
    return code;
  }
  std::optional<int> after_captures(App& app, const CaptureOutcome& screenshot, const CaptureOutcome& figure) {
    return soak ? soak->after_captures(screenshot, figure) : script->after_captures(app, screenshot, figure);
  }
};

// The text, then the model: the benchmark's, a session's, or the start-up
// model. Returns a non-zero exit status when a scripted start cannot go on.
int start(App& app, const AppArgs& args, Automation& automation) {
  if (args.scene.text) app.state.text = *args.scene.text;
  else if (app.persist && !app.settings.last_text.empty()) app.state.text = app.settings.last_text;
  if (args.bench_ui) {
    try {
      automation.bench = std::make_unique<BenchUi>(args.scene.model);
    } catch (const std::exception& e) {
      return fail(std::string("benchmark set-up failed: ") + e.what());
    }
    request_model(app, automation.bench->model_path());
  } else if (args.session) {
    // Interactive: the error modal tells the user. Scripted: nothing to capture.
    if (!open_session(app, *args.session) && args.scripted()) return fail(app.state.status);
  } else if (auto model = startup_model(args, app)) {
    request_model(app, *model);
  }
  if (args.browse) app.browser.open(*args.browse);
  automation.script = std::make_unique<ScriptDriver>(args);
  if (args.soak_steps > 0) automation.soak = std::make_unique<SoakDriver>(args.soak_steps, args.soak_seed);
  return 0;
}

// Draws one frame into the back buffer; returns its size in pixels.
ImVec2 draw_frame(App& app, GLFWwindow* window, const AppArgs& args, SoakDriver* soak) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  // A scripted run's picture must not depend on where the (virtual) pointer happens to rest.
  if (args.scripted() && !args.bench_ui) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  if (soak) soak->drive_mouse(ImGui::GetIO());
  ImGui::NewFrame();
  draw_app(app);
  submit_run_if_requested(app);
  ImGui::Render();
  int width = 0, height = 0;
  glfwGetFramebufferSize(window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  return ImVec2(static_cast<float>(width), static_cast<float>(height));
}

}  // namespace

int main(int argc, char** argv) {
  use_blas_kernels_for_this_cpu(argv);
  reuse_freed_pass_memory();
  AppArgs args;
  try {
    args = parse_app_args(argc, argv);
  } catch (const Error& e) {
    std::fputs(app_usage(), stderr);
    return fail(e.what());
  }
  if (args.help) {
    std::fputs(app_usage(), stdout);
    return 0;
  }
  // Before a window opens: a refused output or an unreadable text file costs nothing.
  try {
    read_text_file_argument(args);
    if (args.scripted()) check_script_outputs(args);
  } catch (const Error& e) {
    return fail(e.what());
  }

  // ---------------------------------------------------------------- set up
  std::string error;
  GLFWwindow* window = open_window(args, &error);
  if (!window) return fail(error);
  auto app = std::make_unique<App>();
  app->persist = !args.scripted();
  open_settings(*app);
  const std::string ini_path = (config_dir() / "imgui.ini").string();
  const ImGuiStyle base_style = set_up_imgui(*app, window, ini_path);
  int exit_code = 0;
  try {
    app->views = std::make_unique<Views>();
  } catch (const std::exception& e) {
    exit_code = fail(std::string("cannot set up the views: ") + e.what());
  }
  Automation automation;
  if (exit_code == 0) exit_code = start(*app, args, automation);

  // ---------------------------------------------------------------- loop
  set_ui_wake_hook(glfwPostEmptyEvent);
  FramePacer pacer;
  IdleTrimmer trimmer;
  while (exit_code == 0 && !glfwWindowShouldClose(window) && !app->ui.quit) {
    // Scripts need every frame; the benchmark waits like a person for a keystroke's result.
    const bool bench_waits = automation.bench && automation.bench->waiting_for_result();
    pacer.next_frame(!args.scripted() || bench_waits, app->inference.busy());
    if (app->ui.fonts_dirty) rebuild_fonts(*app, base_style);
    update_workers(*app);
    if (auto code = automation.before_frame(*app)) {
      exit_code = *code;
      break;
    }
    const ImVec2 size = draw_frame(*app, window, args, automation.soak.get());
    CaptureOutcome screenshot, figure;
    process_captures(*app, static_cast<int>(size.x), static_cast<int>(size.y), &screenshot, &figure);
    if (auto code = automation.after_captures(*app, screenshot, figure)) {
      exit_code = *code;
      break;
    }
    glfwSwapBuffers(window);
    trimmer.after_frame(app_idle(*app));
    if (automation.bench && automation.bench->after_swap(*app)) break;
  }

  // ---------------------------------------------------------------- shut down
  set_ui_wake_hook(nullptr);  // workers finishing from here on have no loop to wake
  save_app_settings(*app);
  app->views.reset();  // GL objects go before the context does
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  app.reset();  // joins the worker threads
  return exit_code;
}
