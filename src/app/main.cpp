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
#include "app/memory.h"
#include "render/fonts.h"
#include "app/script.h"
#include "app/soak.h"
#include "scene/settings.h"
#include "app/ui.h"
#include "render/views.h"
#include "core/default_model.h"
#include "core/error.h"

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
  app.state.status = "Ready";
}

}  // namespace

int main(int argc, char** argv) {
  keep_large_buffers_returnable();
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
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) return fail("cannot initialise GLFW (is there a display? try xvfb-run -a)");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  GLFWwindow* window = glfwCreateWindow(args.window_width, args.window_height, "attnscope", nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    return fail("cannot create a window with an OpenGL 3.3 core context");
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(args.bench_ui ? 0 : 1);  // the benchmark measures frames, not the display's refresh

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();

  auto app = std::make_unique<App>();
  app->persist = !args.scripted();
  open_settings(*app);
  // imgui.ini lives next to settings.json; scripted runs leave both alone.
  const std::string ini_path = (config_dir() / "imgui.ini").string();
  if (app->persist) {
    std::error_code ec;
    std::filesystem::create_directories(config_dir(), ec);
    io.IniFilename = ini_path.c_str();
  } else {
    io.IniFilename = nullptr;
  }

  ImGui::StyleColorsDark();
  // Opaque windows: a window placed over another must not show it through.
  ImGui::GetStyle().Colors[ImGuiCol_WindowBg].w = 1.0f;
  ImGui::GetStyle().Colors[ImGuiCol_PopupBg].w = 1.0f;
  const ImGuiStyle base_style = ImGui::GetStyle();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  int exit_code = 0;
  try {
    app->views = std::make_unique<Views>();
  } catch (const std::exception& e) {
    exit_code = fail(std::string("cannot set up the views: ") + e.what());
  }

  if (args.scene.text) app->state.text = *args.scene.text;
  else if (app->persist && !app->settings.last_text.empty()) app->state.text = app->settings.last_text;
  std::unique_ptr<BenchUi> bench;
  if (args.bench_ui && exit_code == 0) {
    try {
      bench = std::make_unique<BenchUi>(args.scene.model);
    } catch (const std::exception& e) {
      exit_code = fail(std::string("benchmark set-up failed: ") + e.what());
    }
  }
  if (bench) request_model(*app, bench->model_path());
  else if (args.session) {
    // Interactive: the error modal tells the user. Scripted: nothing to capture.
    if (!open_session(*app, *args.session) && args.scripted()) exit_code = fail(app->state.status);
  }
  else if (auto model = startup_model(args, *app)) request_model(*app, *model);
  if (args.browse) app->browser.open(*args.browse);
  ScriptDriver script(args);
  std::unique_ptr<SoakDriver> soak;
  if (args.soak_steps > 0) soak = std::make_unique<SoakDriver>(args.soak_steps, args.soak_seed);

  // ---------------------------------------------------------------- loop
  while (exit_code == 0 && !glfwWindowShouldClose(window) && !app->ui.quit) {
    glfwPollEvents();
    if (app->ui.fonts_dirty) rebuild_fonts(*app, base_style);
    update_workers(*app);
    if (auto code = soak ? soak->before_frame(*app) : script.before_frame(*app)) {
      exit_code = *code;
      break;
    }
    if (bench) bench->before_frame(*app);

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // A scripted run's picture must not depend on where the (virtual) pointer happens to rest.
    if (args.scripted() && !args.bench_ui) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    if (soak) soak->drive_mouse(ImGui::GetIO());
    ImGui::NewFrame();
    draw_app(*app);
    submit_run_if_requested(*app);
    ImGui::Render();

    int width = 0, height = 0;
    glfwGetFramebufferSize(window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.08f, 0.08f, 0.10f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    CaptureOutcome screenshot, figure;
    process_captures(*app, width, height, &screenshot, &figure);
    if (auto code = soak ? soak->after_captures(screenshot, figure) : script.after_captures(*app, screenshot, figure)) {
      exit_code = *code;
      break;
    }
    glfwSwapBuffers(window);
    if (bench && bench->after_swap(*app)) break;
  }

  // ---------------------------------------------------------------- shut down
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
