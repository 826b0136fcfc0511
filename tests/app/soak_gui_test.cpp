// The soak run: the app on its default models through random edits, clicks,
// head and mask toggles, saves and model reloads (attnscope --soak). It must
// end on its own with exit 0, its memory within 1.5x of the warm-up, and every
// file it saved whole. CI runs a short soak; ATTNSCOPE_SOAK_STEPS=2000 runs
// the long one.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kCiSteps = 150;

int soak_steps() {
  const char* steps = std::getenv("ATTNSCOPE_SOAK_STEPS");
  return steps && *steps ? std::atoi(steps) : kCiSteps;
}

// The "soak {...}" line the app prints at the end.
json soak_report(const std::string& output) {
  const size_t at = output.find("soak {");
  if (at == std::string::npos) return json();
  return json::parse(output.substr(at + 5, output.find('\n', at) - at - 5), nullptr, false);
}

// Whole files: each kind read back by what would read it.
void expect_intact(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::string bytes = read_file(file);
  SCOPED_TRACE(name);
  ASSERT_FALSE(bytes.empty());
  EXPECT_NE(name[0], '.') << "a temporary file was left behind";
  const std::string ext = file.extension().string();
  if (ext == ".png") {
    const Png png = read_png(file);
    EXPECT_GT(png.width, 0);
  } else if (ext == ".json") {
    EXPECT_FALSE(json::parse(bytes, nullptr, false).is_discarded());
  } else if (ext == ".svg") {
    EXPECT_NE(bytes.find("<svg"), std::string::npos);
    EXPECT_NE(bytes.rfind("</svg>"), std::string::npos);
  } else if (ext == ".npy") {
    EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  } else if (ext == ".csv") {
    EXPECT_EQ(bytes.back(), '\n');
  } else {
    ADD_FAILURE() << "unexpected file";
  }
}

TEST(AppSoak, RandomSessionEndsCleanWithBoundedMemoryAndWholeFiles) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  ScopedTempDir dir("gui-soak");
  const int steps = soak_steps();
  const GuiRun run = run_app({"--soak", std::to_string(steps), "--seed", "12"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json report = soak_report(run.output);
  ASSERT_TRUE(report.is_object()) << run.output;
  std::printf("%s\n", report.dump().c_str());  // the numbers, for the log of a long run
  EXPECT_EQ(report.at("steps").get<int>(), steps);
  const double warm = report.at("warm_rss_kib").get<double>(), end = report.at("end_rss_kib").get<double>();
  EXPECT_GT(warm, 0);
  EXPECT_LE(end, 1.5 * warm);
  EXPECT_GT(report.at("saves").get<int>(), 0);

  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name == "app.log" || name == "app.status" || name == "config") continue;
    expect_intact(entry.path());
    ++files;
  }
  EXPECT_GT(files, 0) << "the tour saves four times, yet no file was found";
}

}  // namespace
}  // namespace attnscope::testing
