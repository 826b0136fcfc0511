#include "cli_runner.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "test_support.h"

namespace attnscope::testing {

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

CliResult run_cli(const std::vector<std::string>& args, const std::string& stdin_path) {
  const ScopedTempDir dir("cli-run");
  std::string command = "timeout 60 " + shell_quote(ATTNSCOPE_CLI);
  for (const auto& a : args) command += " " + shell_quote(a);
  command += " <" + shell_quote(stdin_path) + " 2>" + shell_quote((dir / "stderr.txt").string());
  CliResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.err = read_file(dir / "stderr.txt");
  return r;
}

}  // namespace attnscope::testing
