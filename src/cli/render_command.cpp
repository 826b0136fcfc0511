// attnscope-cli render: figures with no window and no display, drawn by the
// views of the render library into an offscreen framebuffer of an EGL
// surfaceless context. One figure from options, or many from a JSONL file (one
// object per line, with the options' names as keys) in one process, sharing
// the GL context and the loaded models.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/default_model.h"
#include "core/error.h"
#include "core/export_data.h"
#include "core/regular_file.h"
#include "render/gl_heatmap.h"
#include "render/headless_figures.h"
#include "scene/figure_batch.h"
#include "scene/scene_options.h"

namespace attnscope::cli {

namespace {

using Fields = FigureFields;  // option name without "--" -> value ("" for a switch)

Fields fields_from_args(const std::vector<std::string>& argv, std::optional<std::string>* batch) {
  // The render command's own options (figure_batch.h), then the scene's.
  std::set<std::string> valued = {"--batch", "--out"}, flags = {"--force", "--sidecar"};
  for (const auto& name : scene_valued_options()) valued.insert("--" + name);
  for (const auto& name : scene_switch_options()) flags.insert("--" + name);
  Args args(argv, valued, flags);
  *batch = args.get("--batch");
  Fields fields;
  for (const auto& name : valued)
    if (auto v = args.get(name); v && name != "--batch") fields[name.substr(2)] = *v;
  for (const auto& name : flags)
    if (args.has(name)) fields[name.substr(2)] = "";
  return fields;
}

// out + ".json": where the heatmap's cells are, as the app's scripted export writes it.
void write_sidecar(const FigureJob& job, const HeadlessFigures& figures) {
  const ViewId view = job.scene.figure.view;
  nlohmann::json data = {{"png", job.out.filename().string()}, {"view", view_key(view)}};
  if (view == ViewId::Heatmap) {
    const HeatmapLayout& l = figures.heatmap_layout();
    data["heatmap"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h}, {"rows", l.rows}, {"cols", l.cols}};
  }
  if (view == ViewId::MinimalPair) {
    const HeatmapLayout& l = figures.pair_diff_layout();
    data["diff"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h}, {"rows", l.rows}, {"cols", l.cols}};
  }
  write_export(job.out.string() + ".json", data.dump(2) + "\n", job.overwrite);
}

std::vector<FigureJob> read_batch(const std::string& path, const Fields& defaults) {
  std::string text;
  try {
    text = read_regular_file(path);  // a FIFO named like a batch fails instead of blocking
  } catch (const Error& e) {
    rethrow_with_context("batch file", e);
  }
  return parse_figure_batch(text, path, defaults);
}

// Every output is checked before any figure is drawn: a batch never writes
// half its figures and then stops on a name that was taken from the start.
void check_batch_outputs(const std::string& path, const std::vector<FigureJob>& jobs) {
  std::map<std::string, size_t> first_use;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const std::string out = std::filesystem::absolute(jobs[i].out).lexically_normal().string();
    const std::string where = path + ": figure " + std::to_string(i + 1) + " (" + jobs[i].out.string() + ")";
    if (auto [it, fresh] = first_use.emplace(out, i); !fresh)
      throw Error(ErrorKind::Usage, where + ": figure " + std::to_string(it->second + 1) + " writes the same file");
    std::error_code ec;
    if (!jobs[i].overwrite && std::filesystem::exists(jobs[i].out, ec))
      throw Error(ErrorKind::Io, where + ": already exists (not overwritten; --force replaces it)");
  }
}

int run_batch(const std::string& path, const Fields& defaults) {
  const std::vector<FigureJob> jobs = read_batch(path, defaults);
  check_batch_outputs(path, jobs);
  const auto start = std::chrono::steady_clock::now();
  HeadlessFigures figures;
  for (size_t i = 0; i < jobs.size(); ++i) {
    try {
      figures.render_to_file(jobs[i]);
    } catch (const Error& e) {
      throw Error(e.kind(), path + ": figure " + std::to_string(i + 1) + " (" + jobs[i].out.string() + "): " + e.what());
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "rendered %zu figures in %.2f s (%.1f figures/s)\n", jobs.size(), seconds,
               seconds > 0 ? static_cast<double>(jobs.size()) / seconds : 0.0);
  return 0;
}

}  // namespace

int render_command(const std::vector<std::string>& argv) {
  std::optional<std::string> batch;
  const Fields fields = fields_from_args(argv, &batch);
  if (batch) return run_batch(*batch, fields);
  const FigureJob job = figure_job_from_fields(fields);
  HeadlessFigures figures;
  figures.render_to_file(job);
  if (fields.count("sidecar")) write_sidecar(job, figures);
  std::cerr << "wrote " << job.out.string() << "\n";
  return 0;
}

}  // namespace attnscope::cli
