// The shipped default model: the app and the CLI open it with nothing on the
// command line but a file name, on the seed sentence, showing its first named
// head (the pronoun head of assets/models/attnscope-tiny-bert/attnscope.json).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/default_model.h"
#include "core/head_presets.h"
#include "core/model.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path default_bert() { return fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert"; }

TEST(DefaultModelGui, AppOpensOnTheSeedSentenceAndThePronounHead) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const auto model = load_model(default_bert());
  ASSERT_FALSE(model->presets.empty()) << model->presets_problem;
  const HeadPreset& pronoun = model->presets.front();
  EXPECT_EQ(pronoun.name, "pronoun \u2192 antecedent");

  const fs::path dir = temp_dir("default-gui");
  const GuiRun run = run_app({"--model", default_bert().string(), "--screenshot", "shot.png", "--frames", "3"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  EXPECT_EQ(side.at("layer").get<int>(), pronoun.layer);
  EXPECT_EQ(side.at("head").get<int>(), pronoun.head);
  EXPECT_EQ(side.at("mode").get<std::string>(), "single");
  EXPECT_EQ(side.at("text").get<std::string>(), "The animal didn't cross the street because it was too tired");
}

TEST(DefaultModelGui, CliRendersThePronounHeadWhenNoHeadIsGiven) {
  const auto model = load_model(default_bert());
  ASSERT_FALSE(model->presets.empty());
  const HeadPreset& pronoun = model->presets.front();
  const fs::path dir = temp_dir("default-cli");
  // No --model: the CLI finds the default model itself.
  const GuiRun implicit = run_headless_cli({"render", "--view", "heatmap", "--out", "implicit.png"}, dir);
  ASSERT_EQ(implicit.exit_code, 0) << implicit.output;
  const GuiRun chosen = run_headless_cli({"render", "--model", default_bert().string(), "--view", "heatmap", "--layer",
                                          std::to_string(pronoun.layer), "--head", std::to_string(pronoun.head), "--out",
                                          "chosen.png"},
                                         dir);
  ASSERT_EQ(chosen.exit_code, 0) << chosen.output;
  const GuiRun other = run_headless_cli({"render", "--model", default_bert().string(), "--view", "heatmap", "--layer",
                                         std::to_string((pronoun.layer + 1) % model->config.n_layers), "--head",
                                         std::to_string(pronoun.head), "--out", "other.png"},
                                        dir);
  ASSERT_EQ(other.exit_code, 0) << other.output;
  EXPECT_EQ(read_file(dir / "implicit.png"), read_file(dir / "chosen.png"));
  EXPECT_NE(read_file(dir / "implicit.png"), read_file(dir / "other.png"));
}

}  // namespace
}  // namespace attnscope::testing
