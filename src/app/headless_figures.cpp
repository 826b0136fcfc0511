#include "app/headless_figures.h"

#include <system_error>

#include "app/captures.h"
#include "app/figure_export.h"
#include "app/svg_figure.h"
#include "app/view_common.h"
#include "app/view_windows.h"
#include "core/error.h"
#include "core/export_data.h"
#include "core/forward.h"

namespace attnscope::app {

namespace {

constexpr int kTopK = 10;  // as the app's runs, so the predictions view matches

void check_job(const FigureJob& job, const ModelConfig& c, int n_tokens) {
  const std::string shape = " (the model has " + std::to_string(c.n_layers) + " layers x " + std::to_string(c.n_heads) + " heads)";
  const Selection& sel = job.selection;
  if (sel.layer < 0 || sel.layer >= c.n_layers) throw Error("layer " + std::to_string(sel.layer) + " is out of range" + shape);
  if (sel.head < 0 || sel.head >= c.n_heads) throw Error("head " + std::to_string(sel.head) + " is out of range" + shape);
  for (const auto& [l, h] : job.interventions.ablated_heads)
    if (l < 0 || l >= c.n_layers || h < 0 || h >= c.n_heads)
      throw Error("ablated head " + std::to_string(l) + ":" + std::to_string(h) + " is out of range" + shape);
  if (sel.query >= n_tokens)
    throw Error("query " + std::to_string(sel.query) + " is out of range (the text has " + std::to_string(n_tokens) + " tokens)");
  if (job.scale != 1 && job.scale != 2 && job.scale != 4) throw Error("scale must be 1, 2 or 4");
}

}  // namespace

HeadlessFigures::HeadlessFigures() : views_(std::make_unique<ViewWindows>()) {}
HeadlessFigures::~HeadlessFigures() = default;

const HeatmapLayout& HeadlessFigures::heatmap_layout() const { return views_->heatmap_layout(); }

std::shared_ptr<const Model> HeadlessFigures::model(const std::string& path) {
  auto it = models_.find(path);
  if (it != models_.end()) return it->second;
  auto loaded = load_model(path);
  models_[path] = loaded;
  return loaded;
}

HeadlessFigures::Rendered HeadlessFigures::render_full(const FigureJob& asked, bool record) {
  if (asked.model.empty()) throw Error("no model given");
  Rendered r;
  AppState& state = r.state;
  state.model = model(asked.model);
  FigureJob job = asked;
  if (job.preset_head && !state.model->presets.empty()) {
    job.selection.layer = state.model->presets.front().layer;
    job.selection.head = state.model->presets.front().head;
  }
  state.text = job.text;
  state.selection = job.selection;
  state.selection.hovered_token = -1;
  state.interventions = job.interventions;
  state.display = job.display;
  view_visible(state, job.view) = true;

  RunOptions options;
  options.interventions = job.interventions;
  options.top_k = kTopK;
  options.predict = RunOptions::Predict::All;
  check_job(job, state.model->config, 1 << 30);
  state.snapshot = run_text(state.model, job.text, options, &state.truncated);
  check_job(job, state.model->config, state.snapshot->n_tokens);
  if (!job.interventions.ablated_heads.empty()) {
    // The predictions view shows the change from the unablated run, as in the app.
    options.interventions.ablated_heads.clear();
    state.baseline = run_text(state.model, state.snapshot->text, options);
  }
  r.spec = make_figure_spec(state, job.view, job.width, job.height, job.scale, job.light);
  ViewDrawOptions draw_options;
  draw_options.exporting = true;
  draw_options.scale = job.scale;
  if (record) draw_options.record = &r.record;
  r.image = render_figure(r.spec, [&] { views_->draw_content(job.view, state, draw_options); }, draw_options.record);
  return r;
}

RgbaImage HeadlessFigures::render(const FigureJob& job) { return render_full(job, false).image; }

void HeadlessFigures::render_to_file(const FigureJob& job) {
  if (job.out.empty()) throw Error("no output file given");
  std::error_code ec;
  if (!job.overwrite && std::filesystem::exists(job.out, ec))
    throw Error(job.out.string() + ": already exists (not overwritten; --force replaces it)");
  if (is_svg_path(job.out)) {
    check_svg_supported(job.view);
    // The SVG is made from what the PNG render drew: shapes land on the same pixels.
    const Rendered r = render_full(job, true);
    write_export(job.out,
                 job.view == ViewId::Heatmap
                     ? heatmap_svg(r.state, r.spec, views_->heatmap_layout(), r.record, r.image.width, r.image.height)
                     : recorded_svg(r.spec, r.record, r.image.width, r.image.height),
                 job.overwrite);
    return;
  }
  const RgbaImage image = render(job);
  std::string error;
  if (!write_png(job.out, image, &error)) throw Error(error);
}

}  // namespace attnscope::app
