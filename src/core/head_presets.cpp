#include "head_presets.h"

#include <system_error>

#include "error.h"
#include "regular_file.h"
#include "tokenizer_specs.h"
#include "strict_json.h"

namespace attnscope {

std::vector<HeadPreset> read_head_presets(const std::filesystem::path& folder, int n_layers, int n_heads) {
  const std::filesystem::path path = folder / "attnscope.json";
  if (!entry_exists(path)) return {};
  const std::string file = path.string();
  const nlohmann::json root = parse_json_strict(read_text_file(path), file, "presets");
  if (!root.is_object() || !root.contains("presets") || !root["presets"].is_array())
    throw Error(file + ": expected {\"presets\": [...]}");
  std::vector<HeadPreset> presets;
  for (const nlohmann::json& entry : root["presets"]) {
    const std::string where = file + ": preset " + std::to_string(presets.size() + 1);
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
    const auto layer = field("layer").get<long long>(), head = field("head").get<long long>();
    if (layer < 0 || layer >= n_layers || head < 0 || head >= n_heads)
      throw Error(where + " (" + p.name + "): layer " + std::to_string(layer) + ", head " + std::to_string(head) +
                  " is outside the model's " + std::to_string(n_layers) + " layers x " + std::to_string(n_heads) + " heads");
    p.layer = static_cast<int>(layer);
    p.head = static_cast<int>(head);
    presets.push_back(std::move(p));
  }
  return presets;
}

}  // namespace attnscope
