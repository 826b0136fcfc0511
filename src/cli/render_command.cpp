// attnscope-cli render: figures with no window and no display, drawn by the
// views of the render library into an offscreen framebuffer of an EGL
// surfaceless context. One figure from options, or many from a JSONL file (one
// object per line, with the options' names as keys) in one process, sharing
// the GL context and the loaded models.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/default_model.h"
#include "core/error.h"
#include "core/export_data.h"
#include "render/gl_heatmap.h"
#include "render/headless_figures.h"
#include "scene/scene_options.h"

namespace attnscope::cli {

namespace {

using Fields = std::map<std::string, std::string>;  // option name without "--" -> value ("" for a switch)

// The render command's own options; everything else is a scene option.
const std::set<std::string> kOwnValued = {"out"};
const std::set<std::string> kOwnSwitches = {"force", "sidecar"};
bool is_switch(const std::string& name) { return kOwnSwitches.count(name) || scene_switch_options().count(name); }
bool is_valued(const std::string& name) { return kOwnValued.count(name) || scene_valued_options().count(name); }

FigureJob job_from_fields(const Fields& fields) {
  SceneOverrides overrides;
  for (const auto& [name, value] : fields)
    if (is_scene_option(name)) take_scene_option(name, value, &overrides);
  FigureJob job;
  job.scene.figure.view = ViewId::Heatmap;
  apply_overrides(overrides, &job.scene);
  if (job.scene.model_path.empty()) {
    auto fallback = default_model_path();
    if (!fallback) throw Error(ErrorKind::NotFound, "no --model given and no default model is installed");
    job.scene.model_path = fallback->string();
  }
  job.preset_head = !overrides.selects_head();
  job.overwrite = fields.count("force") > 0;
  auto out = fields.find("out");
  if (out == fields.end()) throw Error(ErrorKind::Usage, "missing required option --out");
  job.out = out->second;
  return job;
}

Fields fields_from_args(const std::vector<std::string>& argv, std::optional<std::string>* batch) {
  std::set<std::string> valued = {"--batch"}, flags;
  for (const auto& name : kOwnValued) valued.insert("--" + name);
  for (const auto& name : scene_valued_options()) valued.insert("--" + name);
  for (const auto& name : kOwnSwitches) flags.insert("--" + name);
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

// One JSONL line on top of the command line's options: strings and numbers
// are values, true turns a switch on, false turns it off.
Fields fields_from_json(const std::string& line, Fields fields) {
  const auto data = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) throw Error("not a JSON object");
  for (const auto& [key, value] : data.items()) {
    std::string name = key;
    for (char& c : name)
      if (c == '_') c = '-';
    if (is_switch(name)) {
      if (!value.is_boolean()) throw Error("'" + key + "' must be true or false");
      if (value.get<bool>()) fields[name] = "";
      else fields.erase(name);
    } else if (is_valued(name)) {
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
void write_sidecar(const FigureJob& job, const HeadlessFigures& figures) {
  const ViewId view = job.scene.figure.view;
  nlohmann::json data = {{"png", job.out.filename().string()}, {"view", view_key(view)}};
  if (view == ViewId::Heatmap) {
    const HeatmapLayout& l = figures.heatmap_layout();
    data["heatmap"] = {{"x", l.x}, {"y", l.y}, {"cell_w", l.cell_w}, {"cell_h", l.cell_h}, {"rows", l.rows}, {"cols", l.cols}};
  }
  write_export(job.out.string() + ".json", data.dump(2) + "\n", job.overwrite);
}

std::vector<FigureJob> read_batch(const std::string& path, const Fields& defaults) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw Error(ErrorKind::NotFound, path + ": no such batch file");
  if (!S_ISREG(info.st_mode)) throw Error(ErrorKind::BadFormat, path + ": not a regular file (a batch is a JSONL file)");
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot open the batch file");
  std::vector<FigureJob> jobs;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      jobs.push_back(job_from_fields(fields_from_json(line, defaults)));
    } catch (const Error& e) {
      throw Error(e.kind(), path + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  if (jobs.empty()) throw Error(ErrorKind::BadFormat, path + ": the batch holds no figure");
  return jobs;
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
  const FigureJob job = job_from_fields(fields);
  HeadlessFigures figures;
  figures.render_to_file(job);
  if (fields.count("sidecar")) write_sidecar(job, figures);
  std::cerr << "wrote " << job.out.string() << "\n";
  return 0;
}

}  // namespace attnscope::cli
