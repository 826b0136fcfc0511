// The minimal-pair view drawn for real: `attnscope-cli render --view diff`
// with no display, checked cell by cell against two runs of the core on the
// seed pair; its bad input; the app's Export PNG of the same view; and the
// session keeping sentence B.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/colormap.h"
#include "core/forward.h"
#include "core/model.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;

const std::string kTired = "The animal didn't cross the street because it was too tired.";
const std::string kWide = "The animal didn't cross the street because it was too wide.";

fs::path tiny_bert() { return fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert"; }

Rgb8 pixel(const Png& png, float x, float y) {
  const std::uint8_t* p = png.at(std::clamp(static_cast<int>(x), 0, png.width - 1), std::clamp(static_cast<int>(y), 0, png.height - 1));
  return Rgb8{p[0], p[1], p[2]};
}

// ColorBrewer's 9-class RdBu from blue to red, the published key colours:
// a signed value in [-1, 1] is the nearest of 256 colours spaced evenly along
// the keys, each linear between its two keys.
Rgb8 rdbu(float value) {
  const unsigned keys[] = {0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b};
  const long entry = std::lround((std::clamp(value, -1.0f, 1.0f) + 1.0f) * 0.5f * 255.0f);
  const double at = static_cast<double>(entry) / 255.0 * 8.0;
  const int k = std::min(static_cast<int>(at), 7);
  auto channel = [&](int shift) {
    const double lo = (keys[k] >> shift) & 0xff, hi = (keys[k + 1] >> shift) & 0xff;
    return static_cast<std::uint8_t>(std::lround(lo + (hi - lo) * (at - k)));
  };
  return {channel(16), channel(8), channel(0)};
}

// The grid slot of each token when the sentences differ in exactly one
// token at `k`: A's token k, then B's token k, then the shared rest.
int slot_of_a(int i, int k) { return i <= k ? i : i + 1; }
int slot_of_b(int i, int k) { return i < k ? i : i + 1; }

TEST(MinimalPairRender, DifferenceCellsAreTheDivergingColourOfBMinusA) {
  const fs::path dir = temp_dir("render-diff");
  const auto model = load_model(tiny_bert());
  const HeadPreset& pronoun = model->presets.front();
  const GuiRun run = run_headless_cli({"render", "--model", tiny_bert().string(), "--view", "diff", "--text", kTired,
                                       "--text-b", kWide, "--layer", std::to_string(pronoun.layer), "--head",
                                       std::to_string(pronoun.head), "--query", "10", "--scale", "2",
                                       "--out", "diff.png", "--sidecar"},
                                      dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const Png png = read_png(dir / "diff.png");

  // Two runs of the core, then B - A by hand on the grid.
  const auto a = run_text(model, kTired, {}), b = run_text(model, kWide, {});
  ASSERT_EQ(a->n_tokens, b->n_tokens);
  const int t = a->n_tokens, n = t + 1;
  int k = 0;
  while (k < t && a->tokens[static_cast<size_t>(k)].id == b->tokens[static_cast<size_t>(k)].id) ++k;
  ASSERT_EQ(a->tokens[static_cast<size_t>(k)].display, "tired");
  const MatrixRM &pa = a->head(pronoun.layer, pronoun.head).probs, &pb = b->head(pronoun.layer, pronoun.head).probs;  // [T, T]
  MatrixRM diff = MatrixRM::Zero(n, n);  // [N, N], rows of shared queries only
  for (int q = 0; q < t; ++q) {
    if (q == k) continue;
    const int row = slot_of_a(q, k);
    for (int key = 0; key < t; ++key) {
      diff(row, slot_of_a(key, k)) -= pa(q, key);
      diff(row, slot_of_b(key, k)) += pb(q, key);
    }
  }
  const float range = std::ceil(diff.cwiseAbs().maxCoeff() / 0.05f - 1e-4f) * 0.05f;
  EXPECT_NEAR(range, 0.5f, 1e-6f) << "the seed pair's largest change, it -> animal, is -0.48";

  const nlohmann::json d = read_json(dir / "diff.png.json").at("diff");
  ASSERT_EQ(d.at("rows").get<int>(), n);
  const float x = d.at("x"), y = d.at("y"), cw = d.at("cell_w"), ch = d.at("cell_h");
  ASSERT_GT(cw, 8.0f);
  auto cell = [&](int row, int col) { return pixel(png, x + (col + 0.5f) * cw, y + (row + 0.5f) * ch); };
  const int it = slot_of_a(token_index(a->tokens, "it"), k), animal = slot_of_a(token_index(a->tokens, "animal"), k);
  EXPECT_EQ(cell(it, animal), rdbu(diff(it, animal) / range)) << "B - A = " << diff(it, animal);
  EXPECT_LT(diff(it, animal), -0.4f);
  int mismatches = 0;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      // The two middle rows have no counterpart: they are left blank, the figure's background.
      const Rgb8 expected = r == k || r == k + 1 ? pixel(png, 1, 1) : rdbu(diff(r, c) / range);
      if (!(cell(r, c) == expected)) ++mismatches;
    }
  EXPECT_EQ(mismatches, 0);
}

TEST(MinimalPairRender, BadInputIsOneLineWithExitTwo) {
  const fs::path dir = temp_dir("render-diff-errors");
  const std::string model = tiny_bert().string();
  const std::string translate = (fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-translate").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"render", "--model", model, "--view", "diff", "--text", kTired, "--out", "x.png"}, "--text-b"},
      {{"render", "--model", model, "--view", "diff", "--text", kTired, "--text-b", "", "--out", "x.png"}, "--text-b"},
      {{"render", "--model", model, "--view", "diff", "--text", kTired, "--text-b", kWide, "--head", "9", "--out", "x.png"},
       "head 9 is out of range"},
      {{"render", "--model", model, "--view", "diff", "--text", kTired, "--text-b", kWide, "--query", "99", "--out", "x.png"},
       "query 99 is out of range"},
      {{"render", "--model", translate, "--view", "diff", "--text", kTired, "--text-b", kWide, "--out", "x.png"},
       "self-attention"},
      {{"render", "--model", model, "--view", "diff", "--text", kTired, "--text-b", kWide, "--out", "x.gif"}, "x.gif"},
  };
  for (const auto& [args, needle] : cases) {
    const GuiRun run = run_headless_cli(args, dir);
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find(needle), std::string::npos) << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  }
  EXPECT_FALSE(fs::exists(dir / "x.png"));
}

TEST(MinimalPairApp, ExportPngIsTheHeadlessFigureAndTheSessionKeepsSentenceB) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  const fs::path dir = temp_dir("gui-diff");
  const GuiRun app = run_app({"--model", tiny_bert().string(), "--text", kTired, "--text-b", kWide, "--view", "diff",
                              "--layer", "3", "--head", "2", "--query", "10", "--export-view", "diff", "--export-scale", "1",
                              "--export-size", "900x640", "--export-out", "app-diff.png", "--save-session", "pair.json"},
                             dir);
  ASSERT_EQ(app.exit_code, 0) << app.output;
  const GuiRun cli = run_headless_cli({"render", "--model", tiny_bert().string(), "--text", kTired, "--text-b", kWide,
                                       "--view", "diff", "--layer", "3", "--head", "2", "--query", "10", "--size",
                                       "900x640", "--out", "cli-diff.png"},
                                      dir);
  ASSERT_EQ(cli.exit_code, 0) << cli.output;
  const Png from_app = read_png(dir / "app-diff.png"), from_cli = read_png(dir / "cli-diff.png");
  ASSERT_EQ(from_app.width, from_cli.width);
  ASSERT_EQ(from_app.height, from_cli.height);
  EXPECT_TRUE(from_app.rgba == from_cli.rgba) << "the app's Export PNG of the minimal-pair view differs from the headless one";

  const nlohmann::json session = read_json(dir / "pair.json");
  EXPECT_EQ(session.at("text").get<std::string>(), kTired);
  EXPECT_EQ(session.at("text_b").get<std::string>(), kWide);
  EXPECT_TRUE(session.at("views").at("minimal_pair").get<bool>());
}

}  // namespace
}  // namespace attnscope::testing
