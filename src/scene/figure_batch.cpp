#include "scene/figure_batch.h"

#include <set>

#include <nlohmann/json.hpp>

#include "core/default_model.h"
#include "core/error.h"
#include "scene/scene_options.h"

namespace attnscope {

namespace {

const std::set<std::string> kOwnValued = {"out"};
const std::set<std::string> kOwnSwitches = {"force", "sidecar"};

}  // namespace

bool is_figure_switch(const std::string& name) { return kOwnSwitches.count(name) || scene_switch_options().count(name); }
bool is_figure_valued(const std::string& name) { return kOwnValued.count(name) || scene_valued_options().count(name); }

FigureJob figure_job_from_fields(const FigureFields& fields) {
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
  if (job.scene.figure.view == ViewId::MinimalPair && job.scene.text_b.empty())
    throw Error(ErrorKind::Usage, "the diff view compares two sentences: give the second with --text-b TEXT");
  job.preset_head = !overrides.selects_head();
  job.preset_alignment = job.preset_head && !overrides.align;
  job.overwrite = fields.count("force") > 0;
  auto out = fields.find("out");
  if (out == fields.end()) throw Error(ErrorKind::Usage, "missing required option --out");
  job.out = out->second;
  return job;
}

FigureFields figure_fields_from_json(std::string_view line, FigureFields fields) {
  const auto data = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!data.is_object()) throw Error("not a JSON object");
  for (const auto& [key, value] : data.items()) {
    std::string name = key;
    for (char& c : name)
      if (c == '_') c = '-';
    if (is_figure_switch(name)) {
      if (!value.is_boolean()) throw Error("'" + key + "' must be true or false");
      if (value.get<bool>()) fields[name] = "";
      else fields.erase(name);
    } else if (is_figure_valued(name)) {
      if (value.is_string()) fields[name] = value.get<std::string>();
      else if (value.is_number_integer()) fields[name] = std::to_string(value.get<long long>());
      else throw Error("'" + key + "' must be a string or an integer");
    } else {
      throw Error("unknown field '" + key + "'");
    }
  }
  return fields;
}

std::vector<FigureJob> parse_figure_batch(std::string_view text, const std::string& source, const FigureFields& defaults) {
  std::vector<FigureJob> jobs;
  int number = 0;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      jobs.push_back(figure_job_from_fields(figure_fields_from_json(line, defaults)));
    } catch (const Error& e) {
      throw Error(e.kind(), source + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  if (jobs.empty()) throw Error(ErrorKind::BadFormat, source + ": the batch holds no figure");
  return jobs;
}

}  // namespace attnscope
