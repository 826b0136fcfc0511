#include "interventions.h"

#include <charconv>
#include <sstream>

#include "error.h"

namespace attnscope {
namespace {

int parse_int(const std::string& item, const std::string& whole) {
  int value = 0;
  auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
  if (item.empty() || ec != std::errc() || end != item.data() + item.size() || value < 0)
    throw Error("'" + whole + "': '" + item + "' is not a non-negative integer");
  return value;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep) parts.emplace_back();
  return parts;
}

}  // namespace

std::set<std::pair<int, int>> parse_head_list(const std::string& text) {
  std::set<std::pair<int, int>> heads;
  if (text.empty()) return heads;
  for (const std::string& item : split(text, ',')) {
    auto colon = item.find(':');
    if (colon == std::string::npos) throw Error("'" + text + "': expected LAYER:HEAD pairs such as 0:1,2:3");
    heads.insert({parse_int(item.substr(0, colon), text), parse_int(item.substr(colon + 1), text)});
  }
  return heads;
}

std::set<int> parse_index_list(const std::string& text) {
  std::set<int> indices;
  if (text.empty()) return indices;
  for (const std::string& item : split(text, ',')) indices.insert(parse_int(item, text));
  return indices;
}

}  // namespace attnscope
