// Runs the built attnscope-cli from a test (CLI tests: they know its path).
#pragma once
#include <string>
#include <vector>

namespace attnscope::testing {

struct CliResult {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs attnscope-cli with `args`, each passed as one argument (quoted, no shell expansion).
CliResult run_cli(const std::vector<std::string>& args);

}  // namespace attnscope::testing
