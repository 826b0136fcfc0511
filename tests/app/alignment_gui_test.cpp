// The app on an encoder-decoder model (the Marian fixture), under xvfb-run:
// the alignment view draws the cross-attention the core computes, exports as
// PNG and as an SVG that rasterises to the same picture, a new source gives a
// new translation, a forced target is what the decoder reads, and render
// --view alignment works without a display.
//
// Tolerances are those of svg_views_test.cpp: cells agree within 1 level per
// channel; over the whole figure at least 98% of pixels agree within 8 levels
// and the mean difference stays under 2 levels (glyph edges differ between
// stb_truetype and FreeType).
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <gtest/gtest.h>

#include "core/colormap.h"
#include "core/decoder_capture.h"
#include "core/forward.h"
#include "core/model.h"
#include "core/seq2seq.h"
#include "gui_runner.h"
#include "scene/alignment.h"
#include "scene/scene_run.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSource = "The black cat sat on the mat.";
const std::string kOtherSource = "I am a student in Paris.";

#define SKIP_WITHOUT_XVFB() \
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)"

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

std::shared_ptr<const AttentionSnapshot> core_translation(const std::string& source,
                                                          const std::optional<std::string>& target = std::nullopt) {
  RunOptions options;
  options.top_k = 10;
  options.predict = RunOptions::Predict::All;
  return run_translation(load_model(fixture("marian")), source, target, options);
}

int distance(const std::uint8_t* a, Rgb8 b) {
  return std::max({std::abs(a[0] - b.r), std::abs(a[1] - b.g), std::abs(a[2] - b.b)});
}

int distance(const std::uint8_t* a, const std::uint8_t* b) { return distance(a, Rgb8{b[0], b[1], b[2]}); }

// Every cell's centre has the colour of its weight (mean of layer 0's heads, words merged).
void expect_cells_match(const Png& png, const json& layout, const Alignment& want) {
  const float x = layout.at("x"), y = layout.at("y"), cw = layout.at("cell_w"), ch = layout.at("cell_h");
  ASSERT_EQ(layout.at("rows").get<int>(), want.weights.rows());
  ASSERT_EQ(layout.at("cols").get<int>(), want.weights.cols());
  ASSERT_GT(cw, 4.0f);
  int worst = 0;
  for (Eigen::Index r = 0; r < want.weights.rows(); ++r)
    for (Eigen::Index c = 0; c < want.weights.cols(); ++c) {
      const int px = static_cast<int>(x + (c + 0.5f) * cw), py = static_cast<int>(y + (r + 0.5f) * ch);
      ASSERT_TRUE(px >= 0 && px < png.width && py >= 0 && py < png.height);
      worst = std::max(worst, distance(png.at(px, py), colormap_color(Colormap::Viridis, want.weights(r, c))));
    }
  EXPECT_LE(worst, 1) << "largest channel difference between a cell and its weight's colour";
}

void expect_same_picture(const Png& png, const Png& raster) {
  ASSERT_EQ(png.width, raster.width);
  ASSERT_EQ(png.height, raster.height);
  double sum = 0;
  long close = 0;
  for (int y = 0; y < png.height; ++y)
    for (int x = 0; x < png.width; ++x) {
      const int d = distance(png.at(x, y), raster.at(x, y));
      sum += d;
      close += d <= 8;
    }
  const double pixels = static_cast<double>(png.width) * png.height;
  EXPECT_GE(close / pixels, 0.98) << "share of pixels within 8 levels of the PNG";
  EXPECT_LE(sum / pixels, 2.0) << "mean difference from the PNG";
}

std::vector<std::string> export_args(const std::string& out) {
  return {"--model", fixture("marian").string(), "--text", kSource, "--layer", "0", "--align", "mean",
          "--export-view", "alignment", "--scale", "2", "--size", "800x600", "--export-out", out};
}

TEST(AlignmentGui, AlignmentViewDrawsTheCrossAttentionAndExportsPngAndSvg) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("alignment-gui");
  const GuiRun png_run = run_app(export_args("alignment.png"), dir);
  ASSERT_EQ(png_run.exit_code, 0) << png_run.output;
  const Png png = read_png(dir / "alignment.png");
  EXPECT_EQ(png.width, 1600);
  const json side = read_json(dir / "alignment.png.json");
  const auto run = core_translation(kSource);
  EXPECT_EQ(side.at("target_text").get<std::string>(), run->decoder->target_text);
  AlignmentSettings settings;  // mean of heads, words merged
  expect_cells_match(png, side.at("alignment"), build_alignment(*run, settings, 0, 0, -1));

  if (!have("xmllint") || !have("rsvg-convert")) GTEST_SKIP() << "apt-get install libxml2-utils librsvg2-bin";
  const GuiRun svg_run = run_app(export_args("alignment.svg"), dir);
  ASSERT_EQ(svg_run.exit_code, 0) << svg_run.output;
  const std::string svg_path = (dir / "alignment.svg").string();
  EXPECT_EQ(std::system(("xmllint --noout '" + svg_path + "'").c_str()), 0) << "xmllint rejects " << svg_path;
  const std::string svg = read_file(dir / "alignment.svg");
  EXPECT_NE(svg.find(">cat</text>"), std::string::npos) << "source words must stay text";
  EXPECT_NE(svg.find("<g id=\"legend\">"), std::string::npos);
  ASSERT_EQ(std::system(("rsvg-convert -o '" + (dir / "raster.png").string() + "' '" + svg_path + "'").c_str()), 0);
  expect_same_picture(png, read_png(dir / "raster.png"));
}

TEST(AlignmentGui, TypingANewSourceRetranslates) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("alignment-typing");
  const GuiRun run = run_app({"--model", fixture("marian").string(), "--text", kSource, "--then-text", kOtherSource,
                              "--view", "alignment", "--screenshot", "shot.png"},
                             dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  const auto first = core_translation(kSource), second = core_translation(kOtherSource);
  ASSERT_NE(first->decoder->target_text, second->decoder->target_text) << "pick sources the fixture translates differently";
  EXPECT_EQ(side.at("source_text").get<std::string>(), kOtherSource);
  EXPECT_EQ(side.at("target_text").get<std::string>(), second->decoder->target_text);
  EXPECT_FALSE(side.at("forced").get<bool>());
}

TEST(AlignmentGui, ForcedTargetIsWhatTheDecoderReads) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("alignment-forced");
  const std::string target = "Le chat noir est assis.";
  const GuiRun run = run_app({"--model", fixture("marian").string(), "--text", kSource, "--target", target,
                              "--attention", "decoder", "--step", "2", "--screenshot", "shot.png"},
                             dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  const auto forced = core_translation(kSource, target);
  EXPECT_EQ(side.at("target_text").get<std::string>(), target);
  EXPECT_TRUE(side.at("forced").get<bool>());
  EXPECT_EQ(side.at("attention").get<std::string>(), "decoder");
  // Decoder self-attention at step 2: the views see decoder tokens 0..2.
  EXPECT_EQ(side.at("n_tokens").get<int>(), 3);
  ASSERT_EQ(side.at("target_tokens").size(), static_cast<size_t>(forced->decoder->n_tokens));
}

TEST(AlignmentGui, BadTargetOptionsEndWithOneLine) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("alignment-bad");
  // A target needs a decoder: the GPT-2 fixture has none.
  const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--target", "Bonjour", "--screenshot", "shot.png"}, dir);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("encoder-decoder"), std::string::npos) << run.output;
  const GuiRun layer = run_app({"--model", fixture("marian").string(), "--attention", "cross", "--layer", "7",
                                "--screenshot", "shot.png"},
                               dir);
  EXPECT_EQ(layer.exit_code, 2) << layer.output;
  EXPECT_NE(layer.output.find("decoder layer 7"), std::string::npos) << layer.output;
  const GuiRun no_decoder = run_app({"--model", fixture("gpt2").string(), "--export-view", "alignment", "--export-out",
                                     "a.png"},
                                    dir);
  EXPECT_EQ(no_decoder.exit_code, 2) << no_decoder.output;
  EXPECT_FALSE(fs::exists(dir / "a.png"));
}

TEST(AlignmentRender, HeadlessRenderDrawsTheAlignmentViewAsPngAndSvg) {
  const fs::path dir = temp_dir("alignment-render");
  const std::vector<std::string> common = {"render", "--model", fixture("marian").string(), "--text", kSource,
                                           "--view", "alignment", "--align", "layers", "--align-tokens"};
  std::vector<std::string> png_args = common, svg_args = common;
  png_args.insert(png_args.end(), {"--out", "a.png"});
  svg_args.insert(svg_args.end(), {"--out", "a.svg"});
  const GuiRun png = run_headless_cli(png_args, dir);
  ASSERT_EQ(png.exit_code, 0) << png.output;
  EXPECT_GT(read_png(dir / "a.png").width, 0);
  const GuiRun svg = run_headless_cli(svg_args, dir);
  ASSERT_EQ(svg.exit_code, 0) << svg.output;
  EXPECT_NE(read_file(dir / "a.svg").find("Cross-attention, mean of 2 layers x 4 heads"), std::string::npos);
  // The alignment of a model without a decoder is refused in one line.
  const GuiRun refused = run_headless_cli({"render", "--model", fixture("gpt2").string(), "--view", "alignment",
                                           "--out", "b.png"},
                                          dir);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("encoder-decoder"), std::string::npos) << refused.output;
}

// The shipped translation model opens its alignment on its named
// cross-attention head, and with a head switched off the Predictions view
// compares the decoder's next token with the same target read with every head on.
TEST(AlignmentGui, TranslationModelOpensOnItsAlignmentHeadAndComparesPredictions) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("alignment-preset");
  const std::string model = std::string(ATTNSCOPE_SOURCE_DIR) + "/assets/models/attnscope-tiny-translate";
  // Every cross-attention head off: the decoder no longer sees the source.
  const std::string all_cross = "0:0,0:1,0:2,0:3,1:0,1:1,1:2,1:3";
  const GuiRun run = run_app({"--model", model, "--ablate-cross", all_cross, "--step", "1", "--view", "alignment",
                              "--screenshot", "shot.png"},
                             dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  EXPECT_EQ(side.at("align").get<std::string>(), "head");
  EXPECT_EQ(side.at("attention").get<std::string>(), "cross");
  EXPECT_EQ(side.at("layer").get<int>(), 1);
  EXPECT_EQ(side.at("head").get<int>(), 1);

  Interventions off;
  off.ablated_cross_heads = parse_head_list(all_cross);
  const SceneRun core = run_scene(load_model(model), kSource, off);
  ASSERT_TRUE(core.baseline);
  EXPECT_EQ(side.at("target_text").get<std::string>(), core.snapshot->decoder->target_text);
  const size_t last = 1;  // the step: decoder rows 0 and 1
  EXPECT_EQ(side.at("decoder_position").get<size_t>(), last);
  const std::pair<const char*, const std::vector<Prediction>*> sides[] = {
      {"decoder_predictions", &core.snapshot->decoder->top[last]},
      {"decoder_baseline_predictions", &core.baseline->decoder->top[last]}};
  for (const auto& [key, want] : sides) {
    const json& got = side.at(key);
    ASSERT_EQ(got.size(), want->size()) << key;
    for (size_t r = 0; r < want->size(); ++r) {
      EXPECT_EQ(got[r].at("id").get<int>(), (*want)[r].id) << key << " " << r;
      EXPECT_NEAR(got[r].at("prob").get<float>(), (*want)[r].prob, 1e-6f) << key << " " << r;
    }
  }
  // Without cross-attention the next-token probabilities move.
  float moved = 0;
  for (size_t r = 0; r < side.at("decoder_predictions").size(); ++r)
    moved = std::max(moved, std::fabs(side["decoder_predictions"][r]["prob"].get<float>() -
                                      side["decoder_baseline_predictions"][r]["prob"].get<float>()));
  EXPECT_GT(moved, 1e-3f);
}

}  // namespace
}  // namespace attnscope::testing
