#include "app/cost_window.h"

#include <cmath>
#include <string>

#include "app/app.h"
#include "app/captures.h"
#include "app/ui.h"
#include "core/atomic_file.h"
#include "core/attention_cost.h"
#include "core/error.h"
#include "core/export_data.h"
#include "render/figure_export.h"
#include "render/figure_record.h"
#include "render/fonts.h"
#include "render/image_file.h"
#include "render/svg_figure.h"
#include "render/view_cost.h"
#include "render/view_cost_scaling.h"
#include "scene/output_path.h"

namespace attnscope::app {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kTitle = "Cost of attention";

void keep_scaling_in_step(App& app) {
  CostPanel& cost = app.cost;
  // The user's own run goes first: the job starts no forward pass meanwhile.
  cost.scaling.set_foreground_busy(app.inference.busy() || app.loader.busy());
  if (!cost.visible || !app.state.model) {
    if (cost.measuring) cost.scaling.cancel();
    cost.measuring.reset();
    return;
  }
  if (cost.measuring == app.state.model) return;
  cost.measuring = app.state.model;
  cost.scaling.start(app.state.model);
}

CostViewInput view_input(const App& app) { return CostViewInput{app.state.run, app.cost.scaling.progress()}; }

void draw_menu(App& app) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Export", app.state.run != nullptr)) {
    for (bool svg : {false, true})
      for (float scale : {1.0f, 2.0f}) {
        const std::string label = std::string(svg ? "SVG" : "PNG") + " at " + std::to_string(static_cast<int>(scale)) + "x";
        if (ImGui::MenuItem(label.c_str())) app.cost.export_request = CostExportRequest{{}, scale, app.cost.light_export, svg, false};
      }
    ImGui::Separator();
    ImGui::MenuItem("Light background", nullptr, &app.cost.light_export);
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Measure again", nullptr, false, app.state.model != nullptr)) app.cost.scaling.start(app.state.model);
  ImGui::EndMenuBar();
}

json timing_json(const std::vector<LayerTiming>& layers) {
  json out = json::array();
  for (const LayerTiming& l : layers)
    out.push_back({{"mixing_ms", l.mixing_ms}, {"projections_ms", l.projections_ms}, {"mlp_ms", l.mlp_ms},
                   {"total_ms", l.total_ms}, {"cross_mixing_ms", l.cross_mixing_ms}});
  return out;
}

json scaling_json(const ScalingProgress& p) {
  json points = json::array();
  for (const ScalingPoint& pt : p.points)
    points.push_back({{"tokens", pt.tokens}, {"entries", pt.entries}, {"mixing_ms", pt.mixing_ms},
                      {"projections_ms", pt.projections_ms}, {"mlp_ms", pt.mlp_ms}, {"total_ms", pt.total_ms}});
  return {{"state", scaling_state_name(p.state)}, {"planned", p.planned}, {"points", points}, {"note", p.note},
          {"measured_crossover", measured_crossover(p.points)}};
}

}  // namespace

void draw_cost_window(App& app) {
  keep_scaling_in_step(app);
  CostPanel& cost = app.cost;
  if (!cost.visible || !app.state.model) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float top = ImGui::GetFrameHeight();
  const ImGuiCond cond = app.ui.reset_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  // Over the middle column, where the heatmap and head view are: it is read on its own.
  ImGui::SetNextWindowPos(ImVec2(std::round(display.x * 0.27f), top), cond);
  ImGui::SetNextWindowSize(ImVec2(std::round(display.x * 0.5f), display.y - top - status_bar_height()), cond);
  if (ImGui::Begin(kTitle, &cost.visible, ImGuiWindowFlags_MenuBar)) {
    cost.size = ImGui::GetWindowSize();
    draw_menu(app);
    ViewDrawOptions options;
    options.scale = ui_scale(app.state.display);
    draw_cost_view(view_input(app), options);
  }
  ImGui::End();
}

bool cost_panel_settled(const App& app) {
  if (!app.cost.visible || !app.state.model) return true;
  const ScalingProgress p = app.cost.scaling.progress();
  return p.model == app.state.model && (p.done() || p.state == ScalingState::Cancelled);
}

void export_cost_figure(App& app, CaptureOutcome* outcome) {
  const CostExportRequest request = *app.cost.export_request;
  app.cost.export_request.reset();
  outcome->attempted = true;
  const AppState& s = app.state;
  const fs::path folder = app.settings.export_dir.empty() ? fs::path(".") : fs::path(app.settings.export_dir);
  outcome->path = request.out.empty() ? unique_path(folder / (request.svg ? "attnscope-cost.svg" : "attnscope-cost.png")) : request.out;
  try {
    if (!s.run) throw Error("nothing to export yet (no model run)");
    check_output_path(outcome->path, Overwrite::Refuse);
    FigureSpec spec;
    spec.title = kTitle;
    spec.sentence = s.run->text;
    spec.detail = s.model->source.filename().string() + "   \u00B7   T = " + std::to_string(s.run->n_tokens) + " tokens";
    spec.width = app.cost.size.x > 0 ? app.cost.size.x : 900.0f;
    spec.height = app.cost.size.y > 0 ? app.cost.size.y : 900.0f;
    spec.scale = request.scale;
    spec.font_size = kBaseFontSize;
    spec.light = request.light;
    FigureRecord record;
    ViewDrawOptions options;
    options.exporting = true;
    options.scale = spec.scale;
    if (request.svg) options.record = &record;
    const CostViewInput input = view_input(app);
    const RgbaImage image = render_figure(spec, [&] { draw_cost_view(input, options); }, options.record);
    if (request.svg) write_export(outcome->path, recorded_svg(spec, record, image.width, image.height), false);
    else write_png(outcome->path, image, Overwrite::Refuse);
    if (request.sidecar) {
      json data = describe_state(app);
      data["cost"] = describe_cost(app);
      data["png"] = outcome->path.filename().string();
      data["width"] = image.width;
      data["height"] = image.height;
      write_file_atomically(outcome->path.string() + ".json", data.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                            Overwrite::Refuse);
    }
    outcome->ok = true;
    app.state.status = "Cost figure saved to " + fs::absolute(outcome->path).lexically_normal().string();
  } catch (const std::exception& e) {
    outcome->error = e.what();
    app.state.error_popup = "Cost figure not saved: " + outcome->error;
    app.state.status = app.state.error_popup;
  }
}

json describe_cost(const App& app) {
  json data;
  data["visible"] = app.cost.visible;
  const AttentionSnapshot* run = app.state.run.get();
  if (!run || !app.state.model) return data;
  data["tokens"] = run->n_tokens;
  data["heads"] = run->n_heads;
  data["layers"] = run->n_layers;
  data["entries_per_layer"] = attention_entries(run->n_heads, run->n_tokens, run->n_tokens);
  json tensors = json::array();
  const std::vector<TensorBytes> list = snapshot_tensors(*run);
  for (const TensorBytes& t : list) tensors.push_back({{"what", t.what}, {"shape", t.shape}, {"floats", t.floats}, {"bytes", t.bytes()}});
  data["tensors"] = tensors;
  data["memory_bytes"] = total_bytes(list);
  data["timing"] = {{"layers", timing_json(run->timing.layers)}, {"decoder_layers", timing_json(run->timing.decoder_layers)},
                    {"rows", run->timing.rows}, {"total_ms", run->timing.total_ms}};
  data["computed_crossover"] = crossover_tokens(*app.state.model);
  data["scaling"] = scaling_json(app.cost.scaling.progress());
  return data;
}

}  // namespace attnscope::app
