#include "app/script.h"

#include <cstdio>
#include <limits>

#include "core/error.h"

#include "render/svg_figure.h"

namespace attnscope::app {

namespace {
constexpr double kScriptTimeoutSeconds = 300;

// Messages meant for the error modal hold paragraphs; a script's stderr gets one line.
std::string one_line(const std::string& message) {
  std::string line;
  for (char c : message) {
    if (c != '\n') line += c;
    else if (!line.empty() && line.back() != ' ') line += ' ';
  }
  return line;
}

}  // namespace

ScriptDriver::ScriptDriver(AppArgs args) : args_(std::move(args)) {}

std::optional<int> ScriptDriver::fail(const std::string& message) {
  std::fprintf(stderr, "attnscope: %s\n", one_line(message).c_str());
  return 2;
}

std::string ScriptDriver::apply_requested_state(App& app) {
  AppState& s = app.state;
  const SceneOverrides& o = args_.scene;
  if (o.colormap) s.display.colormap = *o.colormap;
  if (o.color_scale) s.display.scale = *o.color_scale;
  if (o.hide_special) s.display.hide_special = *o.hide_special;
  apply_head_roles_args(app);
  if (o.view) {
    view_visible(s.show, *o.view) = true;
    app.ui.focus_view = *o.view;
  }
  if (args_.export_view) view_visible(s.show, *args_.export_view) = true;
  if (args_.cost_panel || !args_.export_cost.empty()) app.cost.visible = true;
  if (!s.model) return {};
  Scene asked = s;
  // A session brings its own interventions; flags given with it replace them.
  if (!args_.session) asked.interventions = Interventions{};
  apply_overrides(o, &asked);
  try {
    validate_scene(asked, *s.model, std::numeric_limits<int>::max());  // tokens: checked after the run
  } catch (const Error& e) {
    return e.what();
  }
  if (args_.export_view == ViewId::Alignment && !s.encoder_decoder())
    return "the alignment view needs an encoder-decoder model (Marian, T5)";
  static_cast<Scene&>(s) = asked;
  s.request_run();
  return {};
}

namespace {

// A scripted run must not capture an empty or stale picture: "" when the run
// on screen is the one asked for and the scene fits its tokens.
std::string check_run(const App& app) {
  const AppState& s = app.state;
  if (!s.model) return {};  // nothing was asked to load: the empty state is the picture
  if (!s.snapshot || !s.run) return s.status.empty() ? "the model run produced nothing" : s.status;
  try {
    validate_scene(s, *s.model, s.run->n_tokens);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

void ScriptDriver::apply_head_roles_args(App& app) {
  const HeadRolesArgs& r = args_.head_roles;
  if (r.source) {
    app.head_roles.show = true;
    app.head_roles.source = *r.source;
  }
  if (r.sort) {
    app.head_roles.sort_column = *r.sort;
    app.head_roles.descending = r.descending;
    app.head_roles.push_sort_to_table = true;
  }
  if (r.role_borders) app.state.display.role_borders = true;
  if (r.one_based) app.state.display.one_based_heads = true;
}

std::optional<int> ScriptDriver::click_role_row(App& app) {
  role_row_clicked_ = true;
  const int row = *args_.head_roles.click_row;
  if (!select_role_row(app, row)) {
    const std::string why = app.head_roles.shown && !app.head_roles.shown->error.empty()
                                ? " (" + app.head_roles.shown->error + ")"
                                : "";
    return fail("--roles-click " + std::to_string(row) + ": the head roles table has " +
                std::to_string(app.head_roles.rows.size()) + " rows" + why);
  }
  settled_frames_ = 0;  // draw the new selection before capturing
  return std::nullopt;
}

std::optional<int> ScriptDriver::before_frame(App& app) {
  const bool scripted = args_.scripted() && !args_.bench_ui;
  if (scripted && std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() > kScriptTimeoutSeconds)
    return fail("timed out waiting for the model and the run to finish");

  switch (phase_) {
    case Phase::WaitFirstModel: {
      if (app.loader.busy()) return std::nullopt;
      // Asked for by --model or by the --session file: either way the picture would be empty.
      const bool load_failed = !app.state.model && !app.requests.last_load_error.empty();
      if ((args_.scene.model && !app.state.model) || load_failed) {
        if (scripted || args_.bench_ui) return fail("cannot load model: " + app.requests.last_load_error);
        phase_ = Phase::Interactive;  // the error modal tells the user
        return std::nullopt;
      }
      const std::string problem = apply_requested_state(app);
      if (!problem.empty()) {
        if (scripted) return fail(problem);
        app.state.error_popup = problem;
      }
      phase_ = scripted ? Phase::WaitSecondModel : Phase::Interactive;
      return std::nullopt;
    }
    case Phase::WaitSecondModel:
      if (args_.then_load && !second_model_requested_) {
        if (!app_idle(app)) return std::nullopt;  // the first model's run first, as a user would see it
        request_model(app, *args_.then_load);
        second_model_requested_ = true;
        return std::nullopt;
      }
      if (app.loader.busy()) return std::nullopt;
      // Whatever the second load did, the app must still answer an edit.
      if (args_.then_text) {
        app.state.text = *args_.then_text;
        app.state.request_run();
      }
      phase_ = Phase::Settle;
      return std::nullopt;
    case Phase::Settle: {
      if (!app_idle(app) || !cost_panel_settled(app)) {  // the cost window's plot waits for its measurements
        settled_frames_ = 0;
        return std::nullopt;
      }
      if (args_.head_roles.click_row && !role_row_clicked_) return click_role_row(app);
      if (++settled_frames_ < args_.frames) return std::nullopt;
      if (scripted) {
        const std::string problem = check_run(app);
        if (!problem.empty()) return fail(problem);
      }
      if (!args_.screenshot.empty()) {
        ScreenshotRequest shot;
        shot.out = args_.screenshot;
        shot.delay_frames = 0;
        shot.sidecar = true;
        app.requests.screenshot = shot;
      }
      for (DataExport kind : args_.export_data) {
        if (!export_data(app, kind)) return fail(app.state.error_popup);
        std::printf("%s\n", app.state.status.c_str());
      }
      const bool captures = !args_.screenshot.empty() || args_.export_view || !args_.export_cost.empty();
      if (!args_.export_data.empty() && args_.save_session.empty() && !captures) return 0;
      if (!args_.save_session.empty()) {
        std::filesystem::path written;
        if (!save_session(app, args_.save_session, &written)) return fail(app.state.error_popup);
        std::printf("saved %s\n", written.string().c_str());
        if (!captures) return 0;
      }
      if (args_.export_view) {
        ExportRequest request;
        request.view = *args_.export_view;
        request.scale = args_.scene.scale.value_or(1.0f);
        request.out = args_.export_out;
        if (args_.scene.size) std::tie(request.width, request.height) = *args_.scene.size;
        request.light = args_.scene.light.value_or(false);
        request.svg = is_svg_path(request.out);
        request.sidecar = true;
        app.requests.export_request = request;
      }
      if (!args_.export_cost.empty())
        app.cost.export_request = CostExportRequest{args_.export_cost, args_.scene.scale.value_or(1.0f),
                                                    args_.scene.light.value_or(false), is_svg_path(args_.export_cost), true};
      phase_ = Phase::Capturing;
      return std::nullopt;
    }
    case Phase::Capturing:
    case Phase::Interactive:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<int> ScriptDriver::after_captures(App& app, const CaptureOutcome& screenshot, const CaptureOutcome& figure) {
  (void)app;
  if (phase_ != Phase::Capturing) return std::nullopt;
  for (const CaptureOutcome* o : {&screenshot, &figure}) {
    if (!o->attempted) continue;
    if (!o->ok) return fail(o->error);
    std::printf("saved %s\n", o->path.string().c_str());
  }
  return 0;
}

}  // namespace attnscope::app
