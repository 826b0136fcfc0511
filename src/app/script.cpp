#include "app/script.h"

#include <cstdio>

#include "app/svg_figure.h"

namespace attnscope::app {

namespace {
constexpr double kScriptTimeoutSeconds = 300;
}

ScriptDriver::ScriptDriver(AppArgs args) : args_(std::move(args)) {}

std::optional<int> ScriptDriver::fail(const std::string& message) {
  std::fprintf(stderr, "attnscope: %s\n", message.c_str());
  return 2;
}

std::string ScriptDriver::apply_requested_state(App& app) {
  AppState& s = app.state;
  if (args_.colormap) s.display.colormap = *args_.colormap;
  if (args_.view) {
    view_visible(s, *args_.view) = true;
    app.focus_view = *args_.view;
  }
  if (args_.export_view) view_visible(s, *args_.export_view) = true;
  if (!s.model) return {};
  const int n_layers = s.model->config.n_layers, n_heads = s.model->config.n_heads;
  const auto out_of_range = [&](int layer, int head) { return layer >= n_layers || head >= n_heads; };
  const std::string shape = " (the model has " + std::to_string(n_layers) + " layers x " + std::to_string(n_heads) + " heads)";
  if (args_.layer && *args_.layer >= n_layers) return "--layer " + std::to_string(*args_.layer) + " is out of range" + shape;
  if (args_.head && *args_.head >= n_heads) return "--head " + std::to_string(*args_.head) + " is out of range" + shape;
  for (const auto& [l, h] : args_.ablate)
    if (out_of_range(l, h)) return "--ablate " + std::to_string(l) + ":" + std::to_string(h) + " is out of range" + shape;
  if (args_.layer) s.selection.layer = *args_.layer;
  if (args_.head) s.selection.head = *args_.head;
  if (args_.head_mode) s.selection.mode = *args_.head_mode;
  if (args_.query) s.selection.query = *args_.query;
  // A session brings its own interventions; flags given with it replace them.
  if (!args_.session || !args_.ablate.empty()) s.interventions.ablated_heads = args_.ablate;
  if (!args_.session || !args_.mask_keys.empty()) s.interventions.masked_keys = args_.mask_keys;
  if (!args_.session || args_.causal) s.interventions.causal = args_.causal;
  s.request_run();
  return {};
}

std::optional<int> ScriptDriver::before_frame(App& app) {
  const bool scripted = args_.scripted() && !args_.bench_ui;
  if (scripted && std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() > kScriptTimeoutSeconds)
    return fail("timed out waiting for the model and the run to finish");

  switch (phase_) {
    case Phase::WaitFirstModel: {
      if (app.loader.busy()) return std::nullopt;
      if (args_.model && !app.state.model) {
        if (scripted || args_.bench_ui) return fail("cannot load model: " + app.last_load_error);
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
      if (!app_idle(app)) {
        settled_frames_ = 0;
        return std::nullopt;
      }
      if (++settled_frames_ < args_.frames) return std::nullopt;
      if (!args_.screenshot.empty()) {
        ScreenshotRequest shot;
        shot.out = args_.screenshot;
        shot.delay_frames = 0;
        shot.sidecar = true;
        app.screenshot = shot;
      }
      for (DataExport kind : args_.export_data) {
        if (!export_data(app, kind)) return fail(app.state.error_popup);
        std::printf("%s\n", app.state.status.c_str());
      }
      const bool captures = !args_.screenshot.empty() || args_.export_view;
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
        request.scale = args_.export_scale;
        request.out = args_.export_out;
        request.width = args_.export_width;
        request.height = args_.export_height;
        request.light = args_.export_light;
        request.svg = is_svg_path(request.out);
        request.sidecar = true;
        app.export_request = request;
      }
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
    if (!o->ok) {
      std::fprintf(stderr, "attnscope: %s\n", o->error.c_str());
      return 1;
    }
    std::printf("saved %s\n", o->path.string().c_str());
  }
  return 0;
}

}  // namespace attnscope::app
