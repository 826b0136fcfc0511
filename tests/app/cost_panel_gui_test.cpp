// The "Cost of attention" window: opened from the command line, it shows the
// run's H·T² weights per layer, the snapshot's memory and per-layer times,
// and waits for its scaling measurements before a scripted capture. The
// numbers are checked against counts computed here from the model's sizes.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/model.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kText = "The cat sat on the mat because it was warm";

int token_count(const fs::path& model_dir, const std::string& text) {
  return static_cast<int>(load_model(model_dir)->tokenizer->encode(text).size());
}

TEST(CostPanelGui, ShowsEntriesMemoryTimesAndTheScalingRuns) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const fs::path model = fixture("gpt2");  // L = 2, H = 4, Dh = 16, D = 64, context 64
  const long long T = token_count(model, kText);
  const fs::path dir = temp_dir("cost-gui");
  const GuiRun run =
      run_app({"--model", model.string(), "--text", kText, "--cost-panel", "--screenshot", "shot.png", "--frames", "3"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json cost = read_json(dir / "shot.png.json").at("cost");
  EXPECT_TRUE(cost.at("visible").get<bool>());
  EXPECT_EQ(cost.at("tokens").get<long long>(), T);
  EXPECT_EQ(cost.at("entries_per_layer").get<long long>(), 4 * T * T);
  // probs L·H·T², q, k, v and head outputs L·H·4·T·Dh, residual (L+1)·T·D, final hidden T·D; 4 bytes each
  EXPECT_EQ(cost.at("memory_bytes").get<long long>(), 4 * (2 * 4 * (T * T + 4 * T * 16) + 4 * T * 64));
  const json& layers = cost.at("timing").at("layers");
  ASSERT_EQ(layers.size(), 2u);
  for (const json& l : layers) {
    EXPECT_GE(l.at("mixing_ms").get<double>(), 0);
    EXPECT_LE(l.at("mixing_ms").get<double>() + l.at("projections_ms").get<double>() + l.at("mlp_ms").get<double>(),
              l.at("total_ms").get<double>());
  }
  EXPECT_DOUBLE_EQ(cost.at("computed_crossover").get<double>(), 384.0);  // 2D + F = 2·64 + 256
  const json& scaling = cost.at("scaling");
  EXPECT_EQ(scaling.at("state").get<std::string>(), "finished");
  EXPECT_EQ(scaling.at("planned").get<std::vector<int>>(), (std::vector<int>{16, 32, 64}));
  ASSERT_EQ(scaling.at("points").size(), 3u);
  EXPECT_EQ(scaling.at("points")[2].at("entries").get<long long>(), 4 * 64 * 64);
}

TEST(CostPanelGui, SvgExportHasTheNumbersAndTheCrossover) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const fs::path model = fixture("gpt2");
  const long long T = token_count(model, kText);
  const fs::path dir = temp_dir("cost-svg");
  const GuiRun run = run_app({"--model", model.string(), "--text", kText, "--export-cost", "cost.svg"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string svg = read_file(dir / "cost.svg");
  EXPECT_NE(svg.find("Cost of attention"), std::string::npos);
  const std::string per_layer = std::to_string(4 * T * T);  // under 1,000 for this sentence: no separator
  ASSERT_LT(4 * T * T, 1000);
  EXPECT_NE(svg.find("= " + per_layer + " attention weights per layer"), std::string::npos);
  EXPECT_NE(svg.find("crossover T \u2248 384"), std::string::npos);
  EXPECT_NE(svg.find("context 64"), std::string::npos);
  // One row per layer, and the measured plot's curves.
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1</text>"), std::string::npos);
  EXPECT_NE(svg.find("id=\"measured-curves\""), std::string::npos);
  EXPECT_NE(svg.find("id=\"computed-curves\""), std::string::npos);
  const json side = read_json(dir / "cost.svg.json");
  EXPECT_EQ(side.at("cost").at("scaling").at("points").size(), 3u);
}

TEST(CostPanelGui, PngExportIsWritten) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const fs::path dir = temp_dir("cost-png");
  const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--text", kText, "--export-cost", "cost.png"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Png png = read_png(dir / "cost.png");
  EXPECT_GT(png.width, 400);
  EXPECT_GT(png.height, 400);
}

}  // namespace
}  // namespace attnscope::testing
