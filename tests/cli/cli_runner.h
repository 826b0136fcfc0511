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

// Runs attnscope-cli with `args`, each passed as one argument (quoted, no
// shell expansion), with `stdin_path` as standard input. It runs under
// `timeout`, so an input that blocks fails the test with status 124 instead
// of hanging it.
CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null");

}  // namespace attnscope::testing
