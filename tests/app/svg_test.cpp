// SVG figures: well-formed XML (xmllint), text kept as <text>, and once
// rasterised (rsvg-convert) every cell has the PNG figure's colour.
#include <algorithm>
#include <cstdlib>
#include <regex>

#include <gtest/gtest.h>

#include "core/colormap.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSentence = "The animal didn't cross the street because it was too tired";

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

int channel_distance(const std::uint8_t* a, const std::uint8_t* b) {
  int d = 0;
  for (int i = 0; i < 3; ++i) d = std::max(d, std::abs(int(a[i]) - int(b[i])));
  return d;
}

TEST(SvgExport, HeatmapSvgParsesKeepsTextAndMatchesThePng) {
  if (!have("xmllint") || !have("rsvg-convert")) GTEST_SKIP() << "apt-get install libxml2-utils librsvg2-bin";
  const fs::path dir = temp_dir("svg-heatmap");
  const std::vector<std::string> common = {"render", "--model", fixture("gpt2").string(), "--text", kSentence,
                                           "--view", "heatmap", "--layer", "1", "--head", "1", "--colormap", "viridis",
                                           "--scale", "2", "--size", "800x600"};
  std::vector<std::string> png_args = common, svg_args = common;
  png_args.insert(png_args.end(), {"--out", "heatmap.png", "--sidecar"});
  svg_args.insert(svg_args.end(), {"--out", "heatmap.svg"});
  const GuiRun png_run = run_headless_cli(png_args, dir);
  ASSERT_EQ(png_run.exit_code, 0) << png_run.output;
  const GuiRun svg_run = run_headless_cli(svg_args, dir);
  ASSERT_EQ(svg_run.exit_code, 0) << svg_run.output;

  const std::string svg_path = (dir / "heatmap.svg").string();
  EXPECT_EQ(std::system(("xmllint --noout '" + svg_path + "'").c_str()), 0) << "xmllint rejects the SVG";
  const std::string svg = read_file(dir / "heatmap.svg");
  EXPECT_NE(svg.find(">animal</text>"), std::string::npos) << "token labels must stay text";
  EXPECT_NE(svg.find("<g id=\"legend\">"), std::string::npos);
  // Every fill is an exact colormap entry: no colour the PNG could not have.
  const auto& lut = colormap_lut(Colormap::Viridis);
  const std::regex fill("<rect x=\"[^\"]*\" y=\"[^\"]*\" width=\"[^\"]*\" height=\"[^\"]*\" fill=\"#([0-9a-f]{6})\"");
  int cells = 0, foreign = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), fill); it != std::sregex_iterator(); ++it) {
    const unsigned v = static_cast<unsigned>(std::stoul((*it)[1].str(), nullptr, 16));
    const Rgb8 c{static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    ++cells;
    if (std::find(lut.begin(), lut.end(), c) == lut.end()) ++foreign;
  }
  EXPECT_GT(cells, 256);
  EXPECT_EQ(foreign, 0);

  const std::string raster = (dir / "heatmap-svg.png").string();
  ASSERT_EQ(std::system(("rsvg-convert -o '" + raster + "' '" + svg_path + "'").c_str()), 0);
  const Png png = read_png(dir / "heatmap.png"), from_svg = read_png(raster);
  ASSERT_EQ(png.width, from_svg.width);
  ASSERT_EQ(png.height, from_svg.height);
  const nlohmann::json h = read_json(dir / "heatmap.png.json").at("heatmap");
  const float x = h.at("x"), y = h.at("y"), cw = h.at("cell_w"), ch = h.at("cell_h");
  const int rows = h.at("rows"), cols = h.at("cols");
  // Inside each cell (a margin off its edges, where anti-aliasing of either
  // renderer may differ) the two images agree within one step.
  int worst = 0, checked = 0;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      for (float fy : {0.3f, 0.5f, 0.7f})
        for (float fx : {0.3f, 0.5f, 0.7f}) {
          const int px = static_cast<int>(x + (c + fx) * cw), py = static_cast<int>(y + (r + fy) * ch);
          worst = std::max(worst, channel_distance(png.at(px, py), from_svg.at(px, py)));
          ++checked;
        }
  EXPECT_EQ(checked, rows * cols * 9);
  EXPECT_LE(worst, 1) << "largest channel difference between the PNG and the rasterised SVG inside the cells";
}

TEST(SvgExport, ViewsWithoutSvgAreRefusedWithOneLine) {
  const fs::path dir = temp_dir("svg-refused");
  for (const std::string view : {"qkv", "predictions"}) {
    const GuiRun run =
        run_headless_cli({"render", "--model", fixture("gpt2").string(), "--view", view, "--out", view + ".svg"}, dir);
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("SVG export supports the heatmap, head, model and alignment views, not " + view + " (export it as PNG)"),
              std::string::npos)
        << run.output;
    EXPECT_FALSE(fs::exists(dir / (view + ".svg")));
  }
}

}  // namespace
}  // namespace attnscope::testing
