// Sessions in the real app: a saved session reopened with --session shows the
// same picture; a session whose model is gone still opens its text; a corrupt
// one is refused.
#include <algorithm>

#include <gtest/gtest.h>

#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;

#define SKIP_WITHOUT_XVFB() \
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)"

// Pixels that differ between two images of the same size, ignoring the
// bottom `skip_bottom` rows (the status bar names the session file and timings).
int differing_pixels(const Png& a, const Png& b, int skip_bottom) {
  int differ = 0;
  for (int y = 0; y < a.height - skip_bottom; ++y)
    for (int x = 0; x < a.width; ++x)
      if (!std::equal(a.at(x, y), a.at(x, y) + 4, b.at(x, y))) ++differ;
  return differ;
}

TEST(AppSession, ReopenedSessionShowsTheSamePicture) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-session");
  const std::vector<std::string> common = {"--window", "1280x800", "--export-view", "heatmap", "--export-size", "640x480"};
  std::vector<std::string> first = {"--model", fixture("gpt2").string(), "--text", "The cat sat on the mat because it was tired",
                                    "--layer", "1", "--head", "0", "--query", "6", "--ablate", "0:1", "--mask-keys", "2",
                                    "--colormap", "magma", "--view", "qkv", "--save-session", "saved.json",
                                    "--screenshot", "first.png", "--export-out", "first-heatmap.png"};
  first.insert(first.end(), common.begin(), common.end());
  const GuiRun saved = run_app(first, dir);
  ASSERT_EQ(saved.exit_code, 0) << saved.output;
  const nlohmann::json session = read_json(dir / "saved.json");
  EXPECT_EQ(session.at("model").get<std::string>(), fixture("gpt2").string());
  EXPECT_EQ(session.at("display").at("colormap").get<std::string>(), "magma");
  EXPECT_EQ(session.at("interventions").at("ablated_heads"), nlohmann::json::parse("[[0,1]]"));
  EXPECT_TRUE(session.at("views").at("qkv").get<bool>());

  std::vector<std::string> second = {"--session", "saved.json", "--screenshot", "second.png", "--export-out",
                                     "second-heatmap.png"};
  second.insert(second.end(), common.begin(), common.end());
  const GuiRun reopened = run_app(second, dir);
  ASSERT_EQ(reopened.exit_code, 0) << reopened.output;

  const nlohmann::json a = read_json(dir / "first.png.json"), b = read_json(dir / "second.png.json");
  for (const char* key : {"model", "text", "tokens", "layer", "head", "mode", "query", "ablated_heads", "masked_keys",
                          "causal", "colormap"})
    EXPECT_EQ(a.at(key), b.at(key)) << key;
  // The vocabulary softmax is summed across threads, so two runs may differ
  // in the last bit of a probability; the ranking and tokens may not.
  ASSERT_EQ(a.at("predictions").size(), b.at("predictions").size());
  for (size_t i = 0; i < a.at("predictions").size(); ++i) {
    const auto &pa = a["predictions"][i], &pb = b["predictions"][i];
    EXPECT_EQ(pa.at("id"), pb.at("id"));
    EXPECT_EQ(pa.at("logit"), pb.at("logit"));
    EXPECT_NEAR(pa.at("prob").get<double>(), pb.at("prob").get<double>(), 1e-7);
  }
  const Png shot_a = read_png(dir / "first.png"), shot_b = read_png(dir / "second.png");
  ASSERT_EQ(shot_a.width, shot_b.width);
  ASSERT_EQ(shot_a.height, shot_b.height);
  EXPECT_EQ(differing_pixels(shot_a, shot_b, 40), 0) << "the reopened window differs above the status bar";
  EXPECT_EQ(read_file(dir / "first-heatmap.png"), read_file(dir / "second-heatmap.png"))
      << "the heatmap figure of the reopened session is not the same file";
}

TEST(AppSession, MissingModelStillRestoresTheTextAndSaysSo) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-session-missing");
  nlohmann::json session = {
      {"attnscope_session", 1},
      {"model", "/nonexistent/attnscope-model"},
      {"text", "A sentence kept without its model"},
      {"selection", {{"layer", 1}, {"head", 2}, {"head_mode", "single"}, {"query", -1}}},
      {"interventions", {{"ablated_heads", nlohmann::json::array()}, {"masked_keys", nlohmann::json::array()}, {"causal", nullptr}}},
      {"views", {{"heatmap", true}, {"head", false}, {"model", true}, {"qkv", false}, {"predictions", true}}},
      {"display", {{"colormap", "blues"}, {"scale", "log"}, {"hide_special", true}, {"head_view_top_k", 3},
                   {"head_view_threshold", 0.1}}}};
  write_file(dir / "s.json", session.dump());
  const GuiRun run = run_app({"--session", "s.json", "--screenshot", "shot.png"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const nlohmann::json side = read_json(dir / "shot.png.json");
  EXPECT_EQ(side.at("model").get<std::string>(), "");
  EXPECT_EQ(side.at("input_text").get<std::string>(), "A sentence kept without its model");
  EXPECT_EQ(side.at("colormap").get<std::string>(), "blues");
  EXPECT_EQ(side.at("layer").get<int>(), 1);
  EXPECT_NE(side.at("status").get<std::string>().find("model is missing"), std::string::npos) << side.dump();
}

TEST(AppSession, CorruptSessionIsRefusedWithOneLine) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-session-corrupt");
  write_file(dir / "s.json", "{\"attnscope_session\": 1, \"model\": ");
  const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--session", "s.json", "--screenshot", "shot.png"}, dir);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("s.json: not a session file"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir / "shot.png"));
}

}  // namespace
}  // namespace attnscope::testing
