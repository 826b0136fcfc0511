#include "app/captures.h"

#include <GL/gl.h>
#include <GL/glext.h>

#include "render/figure_export.h"
#include "render/figure_output.h"
#include "render/figure_record.h"
#include "render/fonts.h"
#include "render/gl_heatmap.h"
#include "render/image_file.h"
#include "scene/attention_view.h"
#include "scene/output_path.h"
#include "render/svg_figure.h"
#include "render/view_common.h"
#include "render/views.h"
#include "core/decoder_capture.h"
#include "app/overwrite_question.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/export_data.h"

namespace attnscope::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json predictions_json(const AttentionSnapshot* snapshot, int position, const CompletedPredictions* completed) {
  json out = json::array();
  const std::vector<Prediction>* top = snapshot ? predictions_at(*snapshot, position, completed) : nullptr;
  if (!top) return out;
  for (const Prediction& p : *top)
    out.push_back({{"id", p.id}, {"text", p.text}, {"prob", p.prob}, {"logit", p.logit}});
  return out;
}

fs::path output_folder(const App& app) {
  return app.settings.export_dir.empty() ? fs::path(".") : fs::path(app.settings.export_dir);
}

// The JSON a scripted check reads beside a PNG; it follows the PNG's answer
// to an existing file, so a confirmed replace replaces both.
void write_sidecar(const fs::path& png, const json& data, Overwrite overwrite) {
  write_file_atomically(png.string() + ".json", data.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                        overwrite);
}

Overwrite overwrite_policy(bool agreed) { return agreed ? Overwrite::Allow : Overwrite::Refuse; }

void report(App& app, CaptureOutcome* outcome, const char* what) {
  if (outcome->ok) {
    app.state.status = std::string(what) + " saved to " + fs::absolute(outcome->path).lexically_normal().string();
  } else {
    app.state.error_popup = std::string(what) + " not saved: " + outcome->error;
    app.state.status = app.state.error_popup;
  }
}

void take_screenshot(App& app, int width, int height, CaptureOutcome* outcome) {
  ScreenshotRequest& request = *app.requests.screenshot;
  if (request.delay_frames > 0) {
    --request.delay_frames;
    return;
  }
  const ScreenshotRequest asked = request;
  app.requests.screenshot.reset();
  outcome->attempted = true;
  outcome->path = asked.out.empty() ? unique_path(output_folder(app) / "attnscope-screenshot.png") : asked.out;
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  try {
    write_png(outcome->path, read_framebuffer(width, height), overwrite_policy(asked.overwrite));
    if (asked.sidecar) {
      json data = describe_state(app);
      data["png"] = outcome->path.filename().string();
      data["width"] = width;
      data["height"] = height;
      write_sidecar(outcome->path, data, overwrite_policy(asked.overwrite));
    }
    outcome->ok = true;
  } catch (const std::exception& e) {
    outcome->error = e.what();
    // A later frame's picture is as good: asking again takes a fresh one,
    // once the question's modal has left the window.
    const auto replace = [asked, path = outcome->path](App& again) {
      ScreenshotRequest retry = asked;
      retry.out = path;
      retry.overwrite = true;
      retry.delay_frames = 2;
      again.requests.screenshot = retry;
    };
    if (!asked.overwrite && ask_to_replace(app, outcome->path, "Screenshot", replace)) return;
  }
  report(app, outcome, "Screenshot");
}

void export_figure(App& app, CaptureOutcome* outcome) {
  const ExportRequest request = *app.requests.export_request;
  app.requests.export_request.reset();
  outcome->attempted = true;
  AppState& s = app.state;
  if (!s.snapshot) {
    outcome->error = "nothing to export yet (no model run)";
    report(app, outcome, "Figure");
    return;
  }
  const ImVec2 on_screen = app.view_windows.sizes[static_cast<int>(request.view)];
  const FigureSpec spec = make_figure_spec(s, request.view,
                                           request.width > 0 ? request.width : (on_screen.x > 0 ? on_screen.x : 960.0f),
                                           request.height > 0 ? request.height : (on_screen.y > 0 ? on_screen.y : 720.0f),
                                           request.scale, request.light);
  fs::path name = default_export_name(s.selection, request.view);
  if (request.svg) name.replace_extension(".svg");
  outcome->path = request.out.empty() ? unique_path(output_folder(app) / name) : request.out;
  try {
    const DrawnFigure figure = write_figure(*app.views, s, request.view, spec, outcome->path, request.overwrite);
    if (request.sidecar) {
      json data = describe_state(app);
      data["png"] = outcome->path.filename().string();
      data["view"] = view_key(request.view);
      data["width"] = figure.image.width;
      data["height"] = figure.image.height;
      data["scale"] = request.scale;
      if (request.view == ViewId::Heatmap) {
        const HeatmapLayout& l = app.views->heatmap_layout();
        data["heatmap"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h},
                           {"rows", l.rows}, {"cols", l.cols}};
      }
      if (request.view == ViewId::Alignment) {
        const HeatmapLayout& l = app.views->alignment_layout();
        data["alignment"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h},
                             {"rows", l.rows}, {"cols", l.cols}};
      }
      if (request.view == ViewId::MinimalPair) {
        const HeatmapLayout& l = app.views->pair_diff_layout();
        data["diff"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h}, {"rows", l.rows}, {"cols", l.cols}};
      }
      write_sidecar(outcome->path, data, overwrite_policy(request.overwrite));
    }
    outcome->ok = true;
  } catch (const std::exception& e) {
    outcome->error = e.what();
    const auto replace = [request, path = outcome->path](App& again) {
      ExportRequest retry = request;
      retry.out = path;
      retry.overwrite = true;
      again.requests.export_request = retry;
    };
    if (!request.overwrite && ask_to_replace(app, outcome->path, "Figure", replace)) return;
  }
  report(app, outcome, "Figure");
}

// Encoder-decoder runs: the source and target the views show, and how.
void describe_translation(const AppState& s, json& data) {
  const DecoderCapture& dec = *s.run->decoder;
  data["source_text"] = s.run->text;
  data["target_text"] = dec.target_text;
  data["forced"] = s.forced;
  data["attention"] = attention_kind_name(s.attention);
  data["step"] = s.step;
  json tokens = json::array();
  for (const Token& t : dec.tokens) tokens.push_back(t.display);
  data["target_tokens"] = tokens;
  data["align"] = align_mode_key(s.alignment.mode);
  // What the Predictions view shows: the decoder's next token at the step (or
  // at the selected decoder position), and the run with every head on.
  if (!s.decoder_snapshot) return;
  const int rows = s.decoder_snapshot->n_tokens;
  const bool decoder_query = s.attention != AttentionKind::Self && s.selection.query >= 0 && s.selection.query < rows;
  const int position = decoder_query ? s.selection.query : rows - 1;
  data["decoder_position"] = position;
  data["decoder_predictions"] = predictions_json(s.decoder_snapshot.get(), position, nullptr);
  data["decoder_baseline_predictions"] =
      predictions_json(attention_view(s.baseline, AttentionKind::DecoderSelf, -1).get(), position, nullptr);
}

}  // namespace

json describe_state(const App& app) {
  const AppState& s = app.state;
  json data;
  data["model"] = s.model ? s.model->source.string() : "";
  data["last_load_error"] = app.requests.last_load_error;
  data["status"] = s.status;
  data["layer"] = s.selection.layer;
  data["head"] = s.selection.head;
  data["mode"] = head_mode_key(s.selection.mode);
  data["colormap"] = colormap_name(s.display.colormap);
  data["color_scale"] = color_scale_name(s.display.scale);
  data["text_cut_to_tokens"] = app.runs.cut_to_tokens;
  data["input_text"] = s.text;  // what the text box holds, with or without a model
  data["head_roles"] = describe_head_roles(app);
  const AttentionSnapshot* snap = s.snapshot.get();
  if (!snap) return data;
  data["text"] = snap->text;
  data["n_tokens"] = snap->n_tokens;
  json tokens = json::array();
  for (const Token& t : snap->tokens) tokens.push_back(t.display);
  data["tokens"] = tokens;
  data["query"] = s.effective_query();
  json ablated = json::array();
  for (const auto& [l, h] : snap->interventions.ablated_heads) ablated.push_back({l, h});
  data["ablated_heads"] = ablated;
  data["masked_keys"] = snap->interventions.masked_keys;
  data["causal"] = snap->causal;
  data["predictions"] = predictions_json(snap, s.effective_query(), s.completed_predictions.get());
  data["baseline_predictions"] = predictions_json(s.baseline.get(), s.effective_query(), s.completed_predictions.get());
  if (s.run && s.run->decoder) describe_translation(s, data);
  if (app.cost.visible) data["cost"] = describe_cost(app);
  return data;
}

void process_captures(App& app, int framebuffer_width, int framebuffer_height, CaptureOutcome* screenshot,
                      CaptureOutcome* figure) {
  *screenshot = CaptureOutcome{};
  *figure = CaptureOutcome{};
  if (app.requests.screenshot) take_screenshot(app, framebuffer_width, framebuffer_height, screenshot);
  if (app.requests.export_request) export_figure(app, figure);
  else if (app.cost.export_request) export_cost_figure(app, figure);
}

}  // namespace attnscope::app
