#include "strict_json.h"

#include <set>
#include <vector>

#include "error.h"

namespace attnscope {

using nlohmann::json;

namespace {

// Real documents nest a handful of levels; the cap only stops pathological
// input from building deep trees.
constexpr int kMaxJsonDepth = 64;

}  // namespace

std::string json_for_error(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

json parse_json_strict(std::string_view text, const std::string& source, const char* what) {
  // A parser callback sees every key, so each open object tracks the keys it has seen.
  std::vector<std::set<std::string, std::less<>>> keys_of_open_objects;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth)
          throw Error(source + ": " + what + " JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
        if (event == json::parse_event_t::object_start) keys_of_open_objects.emplace_back();
        break;
      case json::parse_event_t::object_end:
        keys_of_open_objects.pop_back();
        break;
      case json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!keys_of_open_objects.back().insert(key).second)
          throw Error(source + ": duplicate key " + json_for_error(parsed) + " in " + what + " JSON");
        break;
      }
      default:
        break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const json::exception& e) {
    throw Error(source + ": " + what + " is not valid JSON: " + e.what());
  }
}

}  // namespace attnscope
