// What a scripted app run does with bad outputs and inputs: every failure is
// one line and exit status 2, and no existing file is replaced. Uses the
// shipped default model, so it needs nothing from ../shared.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

#define SKIP_WITHOUT_XVFB() \
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)"

fs::path default_bert() { return fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert"; }

// Exit 2 and a line "attnscope: ..." holding every one of `parts`.
void expect_refused(const GuiRun& run, const std::vector<std::string>& parts) {
  EXPECT_EQ(run.exit_code, 2) << run.output;
  const size_t at = run.output.find("attnscope: ");
  ASSERT_NE(at, std::string::npos) << run.output;
  const std::string line = run.output.substr(at, run.output.find('\n', at) - at);
  for (const std::string& part : parts) EXPECT_NE(line.find(part), std::string::npos) << "'" << part << "' not in: " << line;
}

// Nothing but the files a test put there and the runner's own (log, status, config).
void expect_no_stray_files(const fs::path& dir, const std::vector<std::string>& expected) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name == "app.log" || name == "app.status" || name == "config") continue;
    EXPECT_NE(std::find(expected.begin(), expected.end(), name), expected.end()) << "unexpected file " << name;
  }
}

TEST(AppReliability, ScreenshotIntoAMissingFolderExitsTwo) {
  SKIP_WITHOUT_XVFB();
  ScopedTempDir dir("gui-rel-missing-folder");
  expect_refused(run_app({"--screenshot", "missing/shot.png"}, dir), {"missing/shot.png", "does not exist"});
}

TEST(AppReliability, ExistingOutputsAreNeverReplaced) {
  SKIP_WITHOUT_XVFB();
  ScopedTempDir dir("gui-rel-existing");
  write_file(dir / "shot.png", "keep me");
  write_file(dir / "fig.svg.json", "keep me too");
  write_file(dir / "s.json", "{\"mine\": true}");
  const std::string model = default_bert().string();
  expect_refused(run_app({"--model", model, "--screenshot", "shot.png"}, dir), {"shot.png", "already exists"});
  // The sidecar beside the figure is an output too.
  expect_refused(run_app({"--model", model, "--export-view", "heatmap", "--export-out", "fig.svg"}, dir),
                 {"fig.svg.json", "already exists"});
  expect_refused(run_app({"--model", model, "--save-session", "s.json"}, dir), {"s.json", "already exists"});
  EXPECT_EQ(read_file(dir / "shot.png"), "keep me");
  EXPECT_EQ(read_file(dir / "fig.svg.json"), "keep me too");
  EXPECT_EQ(read_file(dir / "s.json"), "{\"mine\": true}");
  expect_no_stray_files(dir, {"shot.png", "fig.svg.json", "s.json"});  // no figure, no temporary file
}

TEST(AppReliability, OutputNamesMustMatchTheirFormat) {
  SKIP_WITHOUT_XVFB();
  ScopedTempDir dir("gui-rel-extension");
  expect_refused(run_app({"--export-view", "heatmap", "--export-out", "fig.jpg"}, dir), {"fig.jpg", ".png or .svg"});
  expect_refused(run_app({"--screenshot", "shot.svg"}, dir), {"shot.svg", ".png"});
  expect_refused(run_app({"--save-session", "session.txt"}, dir), {"session.txt", ".json"});
  expect_no_stray_files(dir, {});
}

TEST(AppReliability, SessionNamingABrokenModelExitsTwo) {
  SKIP_WITHOUT_XVFB();
  ScopedTempDir dir("gui-rel-session-broken-model");
  fs::create_directories(dir / "broken");
  write_file(dir / "broken" / "config.json", "{\"model_type\": ");
  ASSERT_EQ(run_app({"--model", default_bert().string(), "--save-session", "s.json"}, dir).exit_code, 0);
  json session = read_json(dir / "s.json");
  session["model"] = (dir / "broken").string();
  write_file(dir / "s2.json", session.dump());
  expect_refused(run_app({"--session", "s2.json", "--screenshot", "shot.png"}, dir), {"cannot load model", "broken"});
  EXPECT_FALSE(fs::exists(dir / "shot.png"));
}

TEST(AppReliability, TextFileReachesTheModelAndIsCutToItsContext) {
  SKIP_WITHOUT_XVFB();
  ScopedTempDir dir("gui-rel-text-file");
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "the cat sat on the mat. ";  // ~72 KB, far past the context
  write_file(dir / "long.txt", text);
  const GuiRun run = run_app({"--model", default_bert().string(), "--text-file", "long.txt", "--screenshot", "shot.png"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  EXPECT_EQ(side.at("input_text").get<std::string>(), text);
  EXPECT_GT(side.at("text_cut_to_tokens").get<int>(), 0) << "the cut went unreported";
  EXPECT_EQ(side.at("n_tokens"), side.at("text_cut_to_tokens"));
}

TEST(AppReliability, BadTextFileArgumentsExitTwo) {
  SKIP_WITHOUT_XVFB();
  ScopedTempDir dir("gui-rel-text-file-bad");
  expect_refused(run_app({"--text-file", "nowhere.txt", "--screenshot", "shot.png"}, dir), {"--text-file", "nowhere.txt"});
  fs::create_directories(dir / "folder.txt");
  expect_refused(run_app({"--text-file", "folder.txt", "--screenshot", "shot.png"}, dir), {"folder.txt"});
  write_file(dir / "t.txt", "hi");
  expect_refused(run_app({"--text", "a", "--text-file", "t.txt", "--screenshot", "shot.png"}, dir), {"not both"});
  EXPECT_FALSE(fs::exists(dir / "shot.png"));
}

}  // namespace
}  // namespace attnscope::testing
