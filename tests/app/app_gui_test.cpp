// Drives the real app under xvfb-run: screenshots, view exports, ablation and
// a failed model load, checked against snapshots computed here with the core.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

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

#define SKIP_WITHOUT_XVFB() \
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)"

std::shared_ptr<const AttentionSnapshot> core_run(const std::string& text, const Interventions& interventions) {
  RunOptions options;
  options.interventions = interventions;
  options.top_k = 10;
  return run_text(load_model(fixture("gpt2")), text, options);
}

// Exports the heatmap of (layer, head) at 2x and checks that the centre pixel
// of every cell has the colour its weight maps to through viridis.
void check_heatmap_export(const std::string& name, int layer, int head, std::vector<std::string> extra_args,
                          const Interventions& interventions) {
  const fs::path dir = temp_dir(name);
  std::vector<std::string> args = {"--model", fixture("gpt2").string(), "--text", kSentence,
                                   "--layer", std::to_string(layer), "--head", std::to_string(head),
                                   "--export-view", "heatmap", "--export-scale", "2",
                                   "--export-size", "800x600", "--export-out", "heatmap.png"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const GuiRun run = run_app(args, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  const Png png = read_png(dir / "heatmap.png");
  EXPECT_EQ(png.width, 1600);
  EXPECT_EQ(png.height, 1200);
  const json side = read_json(dir / "heatmap.png.json");
  const auto snapshot = core_run(kSentence, interventions);
  const int T = snapshot->n_tokens;
  ASSERT_EQ(side.at("n_tokens").get<int>(), T);
  for (int i = 0; i < T; ++i) EXPECT_EQ(side.at("tokens").at(i).get<std::string>(), snapshot->tokens[static_cast<size_t>(i)].display);

  const json& h = side.at("heatmap");
  ASSERT_EQ(h.at("rows").get<int>(), T);
  ASSERT_EQ(h.at("cols").get<int>(), T);
  const float x = h.at("x"), y = h.at("y"), cw = h.at("cell_w"), ch = h.at("cell_h");
  ASSERT_GT(cw, 4.0f);
  ASSERT_GT(ch, 4.0f);
  const MatrixRM& probs = snapshot->head(layer, head).probs;  // [T, T]
  auto pixel_of = [&](int row, int col) {
    const int px = static_cast<int>(x + (static_cast<float>(col) + 0.5f) * cw);
    const int py = static_cast<int>(y + (static_cast<float>(row) + 0.5f) * ch);
    EXPECT_TRUE(px >= 0 && px < png.width && py >= 0 && py < png.height) << "cell " << row << "," << col;
    const std::uint8_t* p = png.at(std::clamp(px, 0, png.width - 1), std::clamp(py, 0, png.height - 1));
    return Rgb8{p[0], p[1], p[2]};
  };

  const int it = token_index(snapshot->tokens, "it"), animal = token_index(snapshot->tokens, "animal");
  ASSERT_GE(it, 0);
  ASSERT_GE(animal, 0);
  const Rgb8 want = colormap_color(Colormap::Viridis, probs(it, animal));
  const Rgb8 got = pixel_of(it, animal);
  EXPECT_EQ(got, want) << "cell (query 'it', key 'animal'), weight " << probs(it, animal) << ": got " << int(got.r)
                       << "," << int(got.g) << "," << int(got.b) << " want " << int(want.r) << "," << int(want.g)
                       << "," << int(want.b);
  int mismatches = 0;
  for (int i = 0; i < T; ++i)
    for (int j = 0; j < T; ++j)
      if (!(pixel_of(i, j) == colormap_color(Colormap::Viridis, probs(i, j)))) ++mismatches;
  EXPECT_EQ(mismatches, 0) << "cells whose colour is not their weight's";
}

TEST(AppGui, ScreenshotOfGpt2ShowsTheWindow) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-screenshot");
  const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--text", kSentence, "--window", "1280x800",
                              "--screenshot", "shot.png", "--frames", "3"},
                             dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Png png = read_png(dir / "shot.png");
  EXPECT_EQ(png.width, 1280);
  EXPECT_EQ(png.height, 800);
  std::set<std::uint32_t> colours;
  for (size_t i = 0; i < png.rgba.size(); i += 4)
    colours.insert(png.rgba[i] | (png.rgba[i + 1] << 8) | (png.rgba[i + 2] << 16));
  EXPECT_GT(colours.size(), 100u) << "the window looks blank";
  // The heatmap's brightest colour is somewhere on screen.
  const auto snapshot = core_run(kSentence, {});
  const json side = read_json(dir / "shot.png.json");
  EXPECT_EQ(side.at("n_tokens").get<int>(), snapshot->n_tokens);
  EXPECT_EQ(side.at("model").get<std::string>(), fixture("gpt2").string());
}

TEST(AppGui, HeatmapExportCellsHaveTheSnapshotColours) {
  SKIP_WITHOUT_XVFB();
  check_heatmap_export("gui-heatmap", 1, 2, {}, {});
}

TEST(AppGui, HeatmapExportWithoutCausalMaskShowsFutureKeys) {
  SKIP_WITHOUT_XVFB();
  Interventions no_causal;
  no_causal.causal = false;
  check_heatmap_export("gui-heatmap-bidirectional", 0, 1, {"--causal", "off"}, no_causal);
}

TEST(AppGui, AblatingAHeadChangesThePredictions) {
  SKIP_WITHOUT_XVFB();
  auto export_predictions = [](const std::string& name, std::vector<std::string> extra) {
    const fs::path dir = temp_dir(name);
    std::vector<std::string> args = {"--model", fixture("gpt2").string(), "--text", kSentence, "--export-view",
                                     "predictions", "--export-out", "predictions.png"};
    args.insert(args.end(), extra.begin(), extra.end());
    const GuiRun run = run_app(args, dir);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NO_THROW(read_png(dir / "predictions.png"));
    return read_json(dir / "predictions.png.json");
  };
  const json plain = export_predictions("gui-predictions", {});
  const json ablated = export_predictions("gui-predictions-ablated", {"--ablate", "1:2,1:3"});

  Interventions off;
  off.ablated_heads = {{1, 2}, {1, 3}};
  const auto want_plain = core_run(kSentence, {});
  const auto want_ablated = core_run(kSentence, off);
  const int last = want_plain->n_tokens - 1;
  auto expect_matches = [](const json& got, const std::vector<Prediction>& want, const char* what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (size_t k = 0; k < want.size(); ++k) {
      EXPECT_EQ(got[k].at("id").get<int>(), want[k].id) << what << " rank " << k;
      EXPECT_NEAR(got[k].at("prob").get<float>(), want[k].prob, 1e-6) << what << " rank " << k;
    }
  };
  expect_matches(plain.at("predictions"), want_plain->top[static_cast<size_t>(last)], "unablated");
  expect_matches(ablated.at("predictions"), want_ablated->top[static_cast<size_t>(last)], "ablated");
  // The deltas shown next to the ablated predictions come from the unablated run.
  expect_matches(ablated.at("baseline_predictions"), want_plain->top[static_cast<size_t>(last)], "baseline");
  EXPECT_EQ(ablated.at("ablated_heads"), json::parse("[[1,2],[1,3]]"));
  EXPECT_NE(plain.at("predictions"), ablated.at("predictions")) << "switching two heads off changed nothing";
}

TEST(AppGui, FailedModelLoadKeepsThePreviousModelWorking) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-failed-load");
  const std::string second_text = "The cat sat on the mat";
  const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--text", kSentence, "--then-load",
                              "/nonexistent/attnscope-model", "--then-text", second_text, "--screenshot", "shot.png"},
                             dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  EXPECT_EQ(side.at("model").get<std::string>(), fixture("gpt2").string());
  EXPECT_NE(side.at("last_load_error").get<std::string>().find("/nonexistent/attnscope-model"), std::string::npos)
      << side.at("last_load_error");
  // The edit made after the failure ran on the old model.
  const auto want = core_run(second_text, {});
  EXPECT_EQ(side.at("text").get<std::string>(), second_text);
  EXPECT_EQ(side.at("n_tokens").get<int>(), want->n_tokens);
  ASSERT_FALSE(side.at("predictions").empty());
  EXPECT_EQ(side.at("predictions")[0].at("id").get<int>(), want->top.back()[0].id);
}

TEST(AppGui, UnloadableModelOnTheCommandLineExitsWithOneLine) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-bad-model");
  const GuiRun run = run_app({"--model", "/nonexistent/attnscope-model", "--screenshot", "shot.png"}, dir);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("attnscope: cannot load model: /nonexistent/attnscope-model"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir / "shot.png"));
}

TEST(AppGui, UnwritableExportPathIsReported) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-unwritable");
  const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--export-view", "heatmap", "--export-out",
                              "/nonexistent-folder/heatmap.png"},
                             dir);
  EXPECT_EQ(run.exit_code, 2);  // like every failure of a scripted run
  EXPECT_NE(run.output.find("/nonexistent-folder/heatmap.png: cannot write: folder /nonexistent-folder does not exist"),
            std::string::npos)
      << run.output;
}

TEST(AppGui, BadArgumentsExitWithTwo) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-bad-args");
  EXPECT_EQ(run_app({"--layer", "x"}, dir).exit_code, 2);
  EXPECT_EQ(run_app({"--view", "nonsense"}, dir).exit_code, 2);
  const GuiRun out_of_range = run_app({"--model", fixture("gpt2").string(), "--layer", "7", "--screenshot", "s.png"}, dir);
  EXPECT_EQ(out_of_range.exit_code, 2);
  EXPECT_NE(out_of_range.output.find("layer 7 is out of range"), std::string::npos) << out_of_range.output;
}

}  // namespace
}  // namespace attnscope::testing
