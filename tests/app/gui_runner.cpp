#include "gui_runner.h"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <sys/wait.h>

#include <stb_image.h>

#include "test_support.h"

namespace attnscope::testing {

namespace fs = std::filesystem;

namespace {

// Single quotes for sh, with embedded quotes closed and reopened.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

bool have_xvfb() { return std::system("command -v xvfb-run >/dev/null 2>&1") == 0; }

GuiRun run_app(const std::vector<std::string>& args, const fs::path& work_dir) {
  const fs::path config = work_dir / "config";
  const fs::path log = work_dir / "app.log";
  fs::create_directories(config);
  // The app's own exit status goes to a file: xvfb-run replaces it with 5
  // when its cleanup races another xvfb-run, which says nothing about the app.
  const fs::path status_file = work_dir / "app.status";
  fs::remove(status_file);
  std::ostringstream cmd;
  cmd << "cd " << shell_quote(work_dir.string()) << " && XDG_CONFIG_HOME=" << shell_quote(config.string())
      << " ATTNSCOPE_TEST_STATUS=" << shell_quote(status_file.string())
      << " xvfb-run -a -s '-screen 0 1920x1080x24' sh -c '\"$0\" \"$@\"; echo $? > \"$ATTNSCOPE_TEST_STATUS\"' "
      << shell_quote(ATTNSCOPE_APP);
  for (const auto& a : args) cmd << " " << shell_quote(a);
  cmd << " > " << shell_quote(log.string()) << " 2>&1";
  const int status = std::system(cmd.str().c_str());
  GuiRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (fs::exists(status_file)) run.exit_code = std::stoi(read_file(status_file));
  run.output = fs::exists(log) ? read_file(log) : "";
  return run;
}

GuiRun run_headless_cli(const std::vector<std::string>& args, const fs::path& work_dir) {
  const fs::path log = work_dir / "cli.log";
  fs::create_directories(work_dir);
  std::ostringstream cmd;
  cmd << "cd " << shell_quote(work_dir.string()) << " && env -u DISPLAY -u WAYLAND_DISPLAY " << shell_quote(ATTNSCOPE_CLI);
  for (const auto& a : args) cmd << " " << shell_quote(a);
  cmd << " > " << shell_quote(log.string()) << " 2>&1";
  const int status = std::system(cmd.str().c_str());
  GuiRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.output = fs::exists(log) ? read_file(log) : "";
  return run;
}

Png read_png(const fs::path& path) {
  int w = 0, h = 0, channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!data) throw std::runtime_error("cannot read image " + path.string());
  Png png;
  png.width = w;
  png.height = h;
  png.rgba.assign(data, data + static_cast<size_t>(w) * h * 4);
  stbi_image_free(data);
  return png;
}

}  // namespace attnscope::testing
