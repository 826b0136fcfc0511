#include "args.h"

#include <charconv>
#include <cstdlib>

#include "core/error.h"

namespace attnscope::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (valued.count(a)) {
      if (i + 1 >= argv.size()) throw Error("option " + a + " needs a value");
      values_[a] = argv[++i];
    } else if (flags.count(a)) {
      flags_.insert(a);
    } else {
      throw Error("unknown argument '" + a + "'");
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const { return get(name).value_or(fallback); }

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw Error(ErrorKind::Usage, "missing required option " + name);
  return *v;
}

int Args::get_int(const std::string& name, int fallback, int min, int max) const {
  auto v = get(name);
  if (!v) return fallback;
  int value = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), value);
  if (ec != std::errc() || end != v->data() + v->size() || value < min || value > max)
    throw Error(name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" + *v + "'");
  return value;
}

double Args::get_double(const std::string& name, double fallback, double min, double max) const {
  auto v = get(name);
  if (!v) return fallback;
  char* end = nullptr;
  double value = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size() || !(value >= min && value <= max))
    throw Error(name + " must be a number from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" + *v + "'");
  return value;
}

bool Args::has(const std::string& name) const { return flags_.count(name) > 0; }

}  // namespace attnscope::cli
