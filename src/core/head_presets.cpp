#include "head_presets.h"

#include <system_error>

#include "attention_kind.h"
#include "error.h"
#include "regular_file.h"
#include "tokenizer_specs.h"
#include "strict_json.h"

namespace attnscope {

namespace {

AttentionKind preset_kind(const nlohmann::json& entry, const std::string& where) {
  if (!entry.contains("kind")) return AttentionKind::Self;
  AttentionKind kind{};
  if (!entry["kind"].is_string() || !attention_kind_from_name(entry["kind"].get<std::string>(), &kind))
    throw Error(where + ": \"kind\" must be \"self\", \"decoder\" or \"cross\"");
  return kind;
}

// The optional measured accuracy: kept only when it is a number in [0, 1].
void read_probe_result(const nlohmann::json& entry, const std::string& where, HeadPreset* p,
                       std::vector<std::string>* warnings) {
  const auto warn = [&](const std::string& text) {
    if (warnings) warnings->push_back(where + " (" + p->name + "): " + text);
  };
  if (entry.contains("heldout_accuracy")) {
    const nlohmann::json& value = entry["heldout_accuracy"];
    const bool usable = value.is_number() && value.get<double>() >= 0.0 && value.get<double>() <= 1.0;
    if (usable) p->heldout_accuracy = value.get<double>();
    else warn("\"heldout_accuracy\" must be a number from 0 to 1 (a fraction, not a percentage); it is ignored");
  }
  if (entry.contains("probe")) {
    if (entry["probe"].is_string()) p->probe = entry["probe"].get<std::string>();
    else warn("\"probe\" must be a string naming the probe set; it is ignored");
  }
}

HeadPreset read_preset(const nlohmann::json& entry, const std::string& where, const HeadGrids& grids,
                       std::vector<std::string>* warnings) {
  if (!entry.is_object()) throw Error(where + " is not an object");
  const auto field = [&](const char* key) -> const nlohmann::json& {
    if (!entry.contains(key)) throw Error(where + " has no \"" + key + "\"");
    return entry[key];
  };
  HeadPreset p;
  if (!field("name").is_string() || field("name").get<std::string>().empty()) throw Error(where + ": \"name\" must be a non-empty string");
  p.name = field("name").get<std::string>();
  if (!field("layer").is_number_integer() || !field("head").is_number_integer())
    throw Error(where + " (" + p.name + "): \"layer\" and \"head\" must be integers");
  p.kind = preset_kind(entry, where + " (" + p.name + ")");
  const auto [n_layers, n_heads] = grids[static_cast<std::size_t>(p.kind)];
  if (n_layers == 0) throw Error(where + " (" + p.name + "): the model has no " + attention_kind_name(p.kind) + " attention");
  const auto layer = field("layer").get<long long>(), head = field("head").get<long long>();
  if (layer < 0 || layer >= n_layers || head < 0 || head >= n_heads)
    throw Error(where + " (" + p.name + "): layer " + std::to_string(layer) + ", head " + std::to_string(head) +
                " is outside the model's " + std::to_string(n_layers) + " layers x " + std::to_string(n_heads) + " heads");
  p.layer = static_cast<int>(layer);
  p.head = static_cast<int>(head);
  read_probe_result(entry, where, &p, warnings);
  return p;
}

}  // namespace

std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, const HeadGrids& grids,
                                          std::vector<std::string>* warnings) {
  const std::filesystem::path path = folder / "attnscope.json";
  if (!entry_exists(path)) return {};
  const std::string file = path.string();
  const nlohmann::json root = parse_json_strict(read_text_file(path), file, "presets");
  if (!root.is_object() || !root.contains("presets") || !root["presets"].is_array())
    throw Error(file + ": expected {\"presets\": [...]}");
  std::vector<HeadPreset> presets;
  for (const nlohmann::json& entry : root["presets"])
    presets.push_back(read_preset(entry, file + ": preset " + std::to_string(presets.size() + 1), grids, warnings));
  return presets;
}

std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, int n_layers, int n_heads,
                                          std::vector<std::string>* warnings) {
  return read_head_presets(folder, HeadGrids{{{n_layers, n_heads}, {0, 0}, {0, 0}}}, warnings);
}

}  // namespace attnscope
