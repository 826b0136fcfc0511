// The options of an attnscope-train command: --key value pairs and bare
// --flags, each read once; finish() refuses any that no one read.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "core/error.h"

namespace attnscope::train::cli {

// --key value pairs and bare --flags.
class Args {
 public:
  Args(int argc, char** argv, int first, const std::set<std::string>& flags) {
    for (int i = first; i < argc; ++i) {
      const std::string key = argv[i];
      if (!key.starts_with("--")) throw Error("unexpected argument '" + key + "'");
      if (flags.count(key)) {
        values_.insert_or_assign(key, std::string(1, '1'));  // not = "1": GCC 12 warns falsely of an overlapping copy
      } else {
        if (i + 1 >= argc) throw Error(key + " needs a value");
        values_[key] = argv[++i];
      }
    }
  }
  std::string str(const std::string& key, const std::string& fallback) { return take(key).value_or(fallback); }
  std::string required(const std::string& key) {
    auto v = take(key);
    if (!v) throw Error("missing " + key);
    return *v;
  }
  int integer(const std::string& key, int fallback) { return static_cast<int>(number(key, fallback)); }
  double number(const std::string& key, double fallback) {
    auto v = take(key);
    if (!v) return fallback;
    try {
      std::size_t used = 0;
      const double d = std::stod(*v, &used);
      if (used != v->size()) throw std::invalid_argument(*v);
      return d;
    } catch (const std::exception&) {
      throw Error(key + ": '" + *v + "' is not a number");
    }
  }
  bool flag(const std::string& key) { return take(key).has_value(); }
  void finish() const {
    for (const auto& [key, value] : values_)
      if (!used_.count(key)) throw Error("unknown option " + key);
  }

 private:
  std::optional<std::string> take(const std::string& key) {
    used_.insert(key);
    const auto it = values_.find(key);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::map<std::string, std::string> values_;
  std::set<std::string> used_;
};

}  // namespace attnscope::train::cli
