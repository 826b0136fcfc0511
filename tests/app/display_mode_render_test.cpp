// attnscope-cli render --display-mode: the heatmap's cells are the rollout
// (and value-weighted attention), computed here from a core run.
#include <algorithm>

#include <gtest/gtest.h>

#include "core/colormap.h"
#include "core/forward.h"
#include "core/model.h"
#include "gui_runner.h"
#include "scene/display_modes.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSentence = "The animal didn't cross the street because it was too tired";

// Renders layer 1 head 2 of the GPT-2 fixture in `mode` and counts the cells
// whose colour is not viridis of `expected` [T, T].
int mismatched_cells(const std::string& mode, const MatrixRM& expected) {
  const fs::path dir = temp_dir("render-" + mode);
  const GuiRun run = run_headless_cli({"render", "--model", fixture("gpt2").string(), "--text", kSentence, "--view", "heatmap",
                                       "--layer", "1", "--head", "2", "--display-mode", mode, "--size", "800x600", "--out",
                                       "heatmap.png", "--sidecar"},
                                      dir);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const Png png = read_png(dir / "heatmap.png");
  const json h = read_json(dir / "heatmap.png.json").at("heatmap");
  EXPECT_EQ(h.at("rows").get<int>(), expected.rows());
  const float x = h.at("x"), y = h.at("y"), cw = h.at("cell_w"), ch = h.at("cell_h");
  int mismatches = 0;
  for (int i = 0; i < expected.rows(); ++i)
    for (int j = 0; j < expected.cols(); ++j) {
      const std::uint8_t* p = png.at(std::clamp(static_cast<int>(x + (j + 0.5f) * cw), 0, png.width - 1),
                                     std::clamp(static_cast<int>(y + (i + 0.5f) * ch), 0, png.height - 1));
      if (!(Rgb8{p[0], p[1], p[2]} == colormap_color(Colormap::Viridis, expected(i, j)))) ++mismatches;
    }
  return mismatches;
}

TEST(HeadlessRender, RolloutAndValueModesDrawTheirMatrices) {
  const auto snapshot = run_text(load_model(fixture("gpt2")), kSentence, {});
  std::vector<MatrixRM> means;  // [2] each [T, T] the head mean of layers 0 and 1
  for (int l = 0; l < 2; ++l) {
    MatrixRM sum = MatrixRM::Zero(snapshot->n_tokens, snapshot->n_tokens);  // [T, T]
    for (int h = 0; h < snapshot->n_heads; ++h) sum += snapshot->head(l, h).probs;
    means.push_back(sum / static_cast<float>(snapshot->n_heads));
  }
  EXPECT_EQ(mismatched_cells("rollout", attention_rollout(means)), 0);
  EXPECT_EQ(mismatched_cells("value", value_weighted(snapshot->head(1, 2).probs, snapshot->value_contribution(1, 2))), 0);
}

}  // namespace
}  // namespace attnscope::testing
