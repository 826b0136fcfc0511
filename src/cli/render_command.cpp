// attnscope-cli render: figures with no window and no display, drawn by the
// app's own views into an offscreen framebuffer of an EGL surfaceless context.
// One figure from options, or many from a JSONL file (one object per line,
// with the options' names as keys) in one process, sharing the GL context and
// the loaded models. Built only with the app (ATTNSCOPE_BUILD_APP).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "app/headless_figures.h"
#include "app/svg_figure.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "core/default_model.h"
#include "app/gl_heatmap.h"
#include "core/error.h"
#include "core/export_data.h"

namespace attnscope::cli {

namespace {

using app::FigureJob;
using Fields = std::map<std::string, std::string>;  // option name without "--" -> value ("" for a switch)

const std::set<std::string> kValued = {"model", "text", "view", "layer", "head", "head-mode", "query", "ablate",
                                       "mask-key", "colormap", "color-scale", "scale", "size", "out"};
const std::set<std::string> kSwitches = {"causal", "no-causal", "hide-special", "light", "force", "sidecar"};

int to_int(const std::string& name, const std::string& text, int lo, int hi) {
  try {
    size_t used = 0;
    const long value = std::stol(text, &used);
    if (used == text.size() && value >= lo && value <= hi) return static_cast<int>(value);
  } catch (const std::exception&) {
  }
  throw Error("--" + name + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + text + "'");
}

FigureJob job_from_fields(const Fields& f) {
  const auto get = [&](const std::string& name) -> std::optional<std::string> {
    auto it = f.find(name);
    if (it == f.end()) return std::nullopt;
    return it->second;
  };
  FigureJob job;
  if (auto m = get("model")) job.model = *m;
  else if (auto fallback = default_model_path()) job.model = fallback->string();
  else throw Error("no --model given and no default model is installed");
  if (auto t = get("text")) job.text = *t;
  const std::string view = get("view").value_or("heatmap");
  if (!app::view_from_key(view, &job.view))
    throw Error("--view: unknown view '" + view + "' (expected heatmap, head, model, qkv or predictions)");
  job.preset_head = !get("layer") && !get("head");
  if (auto v = get("layer")) job.selection.layer = to_int("layer", *v, 0, 1 << 20);
  if (auto v = get("head")) job.selection.head = to_int("head", *v, 0, 1 << 20);
  if (auto v = get("query")) job.selection.query = to_int("query", *v, 0, 1 << 20);
  if (auto v = get("head-mode")) {
    if (*v == "single") job.selection.mode = app::HeadMode::Single;
    else if (*v == "mean") job.selection.mode = app::HeadMode::Mean;
    else if (*v == "max") job.selection.mode = app::HeadMode::Max;
    else throw Error("--head-mode: expected single, mean or max, got '" + *v + "'");
  }
  if (auto v = get("ablate")) job.interventions.ablated_heads = parse_head_list(*v);
  if (auto v = get("mask-key")) job.interventions.masked_keys = parse_index_list(*v);
  if (f.count("causal") && f.count("no-causal")) throw Error("--causal and --no-causal together");
  if (f.count("causal")) job.interventions.causal = true;
  if (f.count("no-causal")) job.interventions.causal = false;
  if (auto v = get("colormap"); v && !colormap_from_name(*v, &job.display.colormap))
    throw Error("--colormap: unknown colormap '" + *v + "'");
  if (auto v = get("color-scale")) {
    if (*v == "linear") job.display.scale = app::ColorScale::Linear;
    else if (*v == "log") job.display.scale = app::ColorScale::Log;
    else if (*v == "per-row") job.display.scale = app::ColorScale::PerRow;
    else throw Error("--color-scale: expected linear, log or per-row, got '" + *v + "'");
  }
  job.display.hide_special = f.count("hide-special") > 0;
  if (auto v = get("scale")) {
    const int s = to_int("scale", *v, 1, 4);
    if (s == 3) throw Error("--scale: expected 1, 2 or 4, got 3");
    job.scale = static_cast<float>(s);
  }
  if (auto v = get("size")) {
    const auto x = v->find('x');
    if (x == std::string::npos) throw Error("--size: expected WIDTHxHEIGHT, got '" + *v + "'");
    job.width = static_cast<float>(to_int("size", v->substr(0, x), 64, 16384));
    job.height = static_cast<float>(to_int("size", v->substr(x + 1), 64, 16384));
  }
  job.light = f.count("light") > 0;
  job.overwrite = f.count("force") > 0;
  if (auto v = get("out")) job.out = *v;
  else throw Error(ErrorKind::Usage, "missing required option --out");
  return job;
}

Fields fields_from_args(const std::vector<std::string>& argv, std::optional<std::string>* batch) {
  std::set<std::string> valued = {"--batch"}, flags;
  for (const auto& name : kValued) valued.insert("--" + name);
  for (const auto& name : kSwitches) flags.insert("--" + name);
  Args args(argv, valued, flags);
  *batch = args.get("--batch");
  Fields fields;
  for (const auto& name : kValued)
    if (auto v = args.get("--" + name)) fields[name] = *v;
  for (const auto& name : kSwitches)
    if (args.has("--" + name)) fields[name] = "";
  return fields;
}

// One JSONL line on top of the command line's options: strings and numbers
// are values, true turns a switch on, false turns it off.
Fields fields_from_json(const std::string& line, Fields fields) {
  const auto data = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) throw Error("not a JSON object");
  for (const auto& [key, value] : data.items()) {
    std::string name = key;
    for (char& c : name)
      if (c == '_') c = '-';
    if (kSwitches.count(name)) {
      if (!value.is_boolean()) throw Error("'" + key + "' must be true or false");
      if (value.get<bool>()) fields[name] = "";
      else fields.erase(name);
    } else if (kValued.count(name)) {
      if (value.is_string()) fields[name] = value.get<std::string>();
      else if (value.is_number_integer()) fields[name] = std::to_string(value.get<long long>());
      else throw Error("'" + key + "' must be a string or an integer");
    } else {
      throw Error("unknown field '" + key + "'");
    }
  }
  return fields;
}

// out + ".json": where the heatmap's cells are, as the app's scripted export writes it.
void write_sidecar(const FigureJob& job, const app::HeadlessFigures& figures) {
  nlohmann::json data = {{"png", job.out.filename().string()}, {"view", app::view_key(job.view)}};
  if (job.view == app::ViewId::Heatmap) {
    const app::HeatmapLayout& l = figures.heatmap_layout();
    data["heatmap"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h}, {"rows", l.rows}, {"cols", l.cols}};
  }
  write_export(job.out.string() + ".json", data.dump(2) + "\n", /*overwrite=*/true);
}

int run_batch(const std::string& path, const Fields& defaults) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open the batch file");
  std::vector<FigureJob> jobs;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      jobs.push_back(job_from_fields(fields_from_json(line, defaults)));
    } catch (const std::exception& e) {
      throw Error(path + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  const auto start = std::chrono::steady_clock::now();
  app::HeadlessFigures figures;
  // Encoding a PNG takes longer than drawing it, so each figure is encoded
  // on a second thread while the GL thread draws the next one.
  const auto failed = [&](size_t i, const std::exception& e) {
    return Error(path + ": figure " + std::to_string(i + 1) + " (" + jobs[i].out.string() + "): " + e.what());
  };
  std::future<void> encoding;  // after `failed`: an unwinding exit waits for it while `failed` still exists
  for (size_t i = 0; i < jobs.size(); ++i) {
    const FigureJob& job = jobs[i];
    try {
      if (app::is_svg_path(job.out)) {
        figures.render_to_file(job);
        continue;
      }
      std::error_code ec;
      if (!job.overwrite && std::filesystem::exists(job.out, ec))
        throw Error(job.out.string() + ": already exists (not overwritten; --force replaces it)");
      app::RgbaImage image = figures.render(job);
      if (encoding.valid()) encoding.get();
      encoding = std::async(std::launch::async, [i, &failed, out = job.out, image = std::move(image)] {
        std::string error;
        if (!app::write_png(out, image, &error)) throw failed(i, Error(error));
      });
    } catch (const Error& e) {
      if (std::string(e.what()).rfind(path + ": figure ", 0) == 0) throw;  // already says which figure
      throw failed(i, e);
    }
  }
  if (encoding.valid()) encoding.get();
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
  const FigureJob job = job_from_fields(fields);
  app::HeadlessFigures figures;
  figures.render_to_file(job);
  if (fields.count("sidecar")) write_sidecar(job, figures);
  std::cerr << "wrote " << job.out.string() << "\n";
  return 0;
}

}  // namespace attnscope::cli
