// A small command-line parser: "--name value" options and "--flag" switches
// after a subcommand. Unknown options are errors, so typos never pass silently.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace attnscope::cli {

class Args {
 public:
  // `valued` options take the next argument; `flags` take none. Throws Error.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags);

  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  std::string require(const std::string& name) const;
  int get_int(const std::string& name, int fallback, int min, int max) const;
  double get_double(const std::string& name, double fallback, double min, double max) const;
  bool has(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

}  // namespace attnscope::cli
