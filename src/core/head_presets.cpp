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

HeadPreset read_preset(const nlohmann::json& entry, const std::string& where, const HeadGrids& grids) {
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
  return p;
}

}  // namespace

std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, const HeadGrids& grids) {
  const std::filesystem::path path = folder / "attnscope.json";
  if (!entry_exists(path)) return {};
  const std::string file = path.string();
  const nlohmann::json root = parse_json_strict(read_text_file(path), file, "presets");
  if (!root.is_object() || !root.contains("presets") || !root["presets"].is_array())
    throw Error(file + ": expected {\"presets\": [...]}");
  std::vector<HeadPreset> presets;
  for (const nlohmann::json& entry : root["presets"])
    presets.push_back(read_preset(entry, file + ": preset " + std::to_string(presets.size() + 1), grids));
  return presets;
}

std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, int n_layers, int n_heads) {
  return read_head_presets(folder, HeadGrids{{{n_layers, n_heads}, {0, 0}, {0, 0}}});
}

}  // namespace attnscope
