// attnscope-cli render: figures drawn with no display through EGL, checked
// against snapshots computed here and against the app's own Export PNG.
#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "core/colormap.h"
#include "core/forward.h"
#include "core/model.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSentence = "The animal didn't cross the street because it was too tired";

Rgb8 pixel(const Png& png, float x, float y) {
  const std::uint8_t* p = png.at(std::clamp(static_cast<int>(x), 0, png.width - 1), std::clamp(static_cast<int>(y), 0, png.height - 1));
  return Rgb8{p[0], p[1], p[2]};
}

TEST(HeadlessRender, HeatmapCellsHaveTheSnapshotColours) {
  const fs::path dir = temp_dir("render-heatmap");
  const GuiRun run = run_headless_cli({"render", "--model", fixture("gpt2").string(), "--text", kSentence, "--view", "heatmap",
                                       "--layer", "1", "--head", "2", "--ablate", "0:0", "--colormap", "magma", "--scale", "2",
                                       "--size", "800x600", "--out", "heatmap.png", "--sidecar"},
                                      dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Png png = read_png(dir / "heatmap.png");
  EXPECT_EQ(png.width, 1600);
  EXPECT_EQ(png.height, 1200);

  Interventions interventions;
  interventions.ablated_heads = {{0, 0}};
  RunOptions options;
  options.interventions = interventions;
  const auto snapshot = run_text(load_model(fixture("gpt2")), kSentence, options);
  const MatrixRM& probs = snapshot->head(1, 2).probs;  // [T, T]
  const int T = snapshot->n_tokens;
  const json h = read_json(dir / "heatmap.png.json").at("heatmap");
  ASSERT_EQ(h.at("rows").get<int>(), T);
  ASSERT_EQ(h.at("cols").get<int>(), T);
  const float x = h.at("x"), y = h.at("y"), cw = h.at("cell_w"), ch = h.at("cell_h");
  ASSERT_GT(cw, 4.0f);
  auto cell = [&](int row, int col) { return pixel(png, x + (col + 0.5f) * cw, y + (row + 0.5f) * ch); };

  const int it = token_index(snapshot->tokens, "it"), animal = token_index(snapshot->tokens, "animal");
  ASSERT_GE(it, 0);
  ASSERT_GE(animal, 0);
  EXPECT_EQ(cell(it, animal), colormap_color(Colormap::Magma, probs(it, animal))) << "weight " << probs(it, animal);
  int mismatches = 0;
  for (int i = 0; i < T; ++i)
    for (int j = 0; j < T; ++j)
      if (!(cell(i, j) == colormap_color(Colormap::Magma, probs(i, j)))) ++mismatches;
  EXPECT_EQ(mismatches, 0);
}

TEST(HeadlessRender, SameFigureAsTheAppsExportPng) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const fs::path dir = temp_dir("render-vs-app");
  for (const char* view : {"heatmap", "head", "model", "qkv"}) {
    const std::string name = view;
    const GuiRun app = run_app({"--model", fixture("gpt2").string(), "--text", kSentence, "--layer", "1", "--head", "3",
                                "--query", "8", "--export-view", view, "--export-scale", "1", "--export-size", "900x640",
                                "--export-out", "app-" + name + ".png"},
                               dir);
    ASSERT_EQ(app.exit_code, 0) << app.output;
    const GuiRun cli = run_headless_cli({"render", "--model", fixture("gpt2").string(), "--text", kSentence, "--view", view,
                                         "--layer", "1", "--head", "3", "--query", "8", "--size", "900x640", "--out",
                                         "cli-" + name + ".png"},
                                        dir);
    ASSERT_EQ(cli.exit_code, 0) << cli.output;
    const Png a = read_png(dir / ("app-" + name + ".png")), b = read_png(dir / ("cli-" + name + ".png"));
    ASSERT_EQ(a.width, b.width) << view;
    ASSERT_EQ(a.height, b.height) << view;
    EXPECT_TRUE(a.rgba == b.rgba) << view << ": the headless figure's pixels differ from the app's Export PNG";
  }
}

TEST(HeadlessRender, BatchRendersEveryLine) {
  const fs::path dir = temp_dir("render-batch");
  std::ofstream batch(dir / "jobs.jsonl");
  batch << R"({"view": "heatmap", "layer": 0, "head": 1, "out": "a.png"})" << "\n"
        << "\n"
        << R"({"view": "model", "text": "The cat sat on the mat", "out": "b.png"})" << "\n"
        << R"({"view": "head", "query": 3, "ablate": "1:1", "scale": 2, "out": "c.png"})" << "\n";
  batch.close();
  const GuiRun run = run_headless_cli({"render", "--model", fixture("gpt2").string(), "--batch", "jobs.jsonl"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("rendered 3 figures"), std::string::npos) << run.output;
  EXPECT_EQ(read_png(dir / "a.png").width, 960);
  EXPECT_EQ(read_png(dir / "b.png").width, 960);
  EXPECT_EQ(read_png(dir / "c.png").width, 1920);
}

TEST(HeadlessRender, ErrorsAreOneLineWithExitTwo) {
  const fs::path dir = temp_dir("render-errors");
  const std::string model = fixture("gpt2").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"render", "--model", "/nonexistent/attnscope-model", "--out", "x.png"}, "/nonexistent/attnscope-model"},
      {{"render", "--model", model, "--layer", "9", "--out", "x.png"}, "layer 9 is out of range"},
      {{"render", "--model", model, "--view", "pie", "--out", "x.png"}, "unknown view 'pie'"},
      {{"render", "--model", model, "--out", "/nonexistent-dir/x.png"}, "/nonexistent-dir/x.png"},
  };
  for (const auto& [args, needle] : cases) {
    const GuiRun run = run_headless_cli(args, dir);
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find(needle), std::string::npos) << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  }
  std::ofstream(dir / "bad.jsonl") << R"({"view": "heatmap", "out": "ok.png"})" << "\n" << "{not json\n";
  const GuiRun bad = run_headless_cli({"render", "--model", model, "--batch", "bad.jsonl"}, dir);
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("bad.jsonl:2:"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace attnscope::testing
