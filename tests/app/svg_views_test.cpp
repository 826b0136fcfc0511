// SVG figures of the head, model, Q/K/V and predictions views: well-formed XML (xmllint),
// token labels kept as <text>, colours and positions taken from the model's
// own weights, and once rasterised (rsvg-convert) the same picture as the
// PNG figure.
//
// Tolerances. Shapes both renderers fill completely (thumbnail cells, colour
// swatches) must agree within 1 level per channel: the colours are the same
// 8-bit values, and only the shader's float fade of a switched-off head may
// round the other way. Semi-transparent lines are blended in float by GL and
// in premultiplied 8-bit by cairo, which moves the result by up to 2 levels.
// Text cannot agree pixel for pixel (stb_truetype in the app, FreeType with
// hinting in librsvg): over the whole figure at least 98% of the pixels must
// agree within 8 levels and the mean difference must stay under 2 levels, so
// a shape out of place or a wrong colour fails while glyph edges pass.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

#include <gtest/gtest.h>

#include "core/colormap.h"
#include "core/forward.h"
#include "core/model.h"
#include "core/seq2seq.h"
#include "scene/attention_view.h"
#include "scene/display_matrix.h"
#include "scene/scene_run.h"
#include "gui_runner.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSentence = "The animal didn't cross the street because it was too tired";

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

#define SKIP_WITHOUT_SVG_TOOLS() \
  if (!have("xmllint") || !have("rsvg-convert")) GTEST_SKIP() << "apt-get install libxml2-utils librsvg2-bin"

// One element of an SVG written by the app, with the id of the innermost
// <g id> around it and whether it lies in a <g class="cells">.
struct Element {
  std::string tag, group, text;
  std::map<std::string, std::string> attrs;
  bool in_cells = false;
  float num(const std::string& name) const { return std::stof(attrs.at(name)); }
};

std::string unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  }
  return s;
}

std::vector<Element> parse_svg(const std::string& svg) {
  struct Open {
    std::string id;
    bool cells;
  };
  std::vector<Open> stack;
  std::vector<Element> out;
  const std::regex attribute("([\\w:-]+)=\"([^\"]*)\"");
  for (size_t i = svg.find('<'); i != std::string::npos; i = svg.find('<', i + 1)) {
    const size_t close = svg.find('>', i);
    if (close == std::string::npos) break;
    const std::string tag = svg.substr(i + 1, close - i - 1);
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      if (tag == "/g" && !stack.empty()) stack.pop_back();
      continue;
    }
    Element e;
    e.tag = tag.substr(0, tag.find_first_of(" /"));
    for (auto it = std::sregex_iterator(tag.begin(), tag.end(), attribute); it != std::sregex_iterator(); ++it)
      e.attrs[(*it)[1].str()] = (*it)[2].str();
    e.group = stack.empty() ? "" : stack.back().id;
    e.in_cells = !stack.empty() && stack.back().cells;
    if (e.tag == "g" && tag.back() != '/') {
      const auto id = e.attrs.find("id");
      const auto cls = e.attrs.find("class");
      stack.push_back({id != e.attrs.end() ? id->second : e.group,
                       e.in_cells || (cls != e.attrs.end() && cls->second == "cells")});
    }
    if (e.tag == "text") {
      const size_t end = svg.find("</text>", close);
      e.text = unescape(svg.substr(close + 1, end - close - 1));
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<const Element*> select(const std::vector<Element>& all, const std::string& tag, const std::string& group) {
  std::vector<const Element*> out;
  for (const Element& e : all)
    if (e.tag == tag && (group.empty() || e.group == group)) out.push_back(&e);
  return out;
}

bool has_group(const std::vector<Element>& all, const std::string& id) {
  return std::any_of(all.begin(), all.end(), [&](const Element& e) { return e.tag == "g" && e.attrs.count("id") && e.attrs.at("id") == id; });
}

bool has_text(const std::vector<Element>& all, const std::string& text) {
  return std::any_of(all.begin(), all.end(), [&](const Element& e) { return e.tag == "text" && e.text == text; });
}

Rgb8 parse_hex(const std::string& hex) {
  const unsigned v = static_cast<unsigned>(std::stoul(hex.substr(1), nullptr, 16));
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

Rgb8 pixel(const Png& png, float x, float y) {
  const std::uint8_t* p = png.at(std::clamp(static_cast<int>(x), 0, png.width - 1), std::clamp(static_cast<int>(y), 0, png.height - 1));
  return Rgb8{p[0], p[1], p[2]};
}

int distance(Rgb8 a, Rgb8 b) {
  return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// Renders the same figure as PNG and SVG, checks the SVG with xmllint and
// rasterises it; returns the parsed SVG.
struct Figures {
  Png png, raster;
  std::string svg;
  std::vector<Element> elements;
};

Figures render_both(const std::string& name, std::vector<std::string> args) {
  const fs::path dir = temp_dir(name);
  std::vector<std::string> png_args = args, svg_args = args;
  png_args.insert(png_args.end(), {"--out", "figure.png"});
  svg_args.insert(svg_args.end(), {"--out", "figure.svg"});
  Figures f;
  const GuiRun png_run = run_headless_cli(png_args, dir);
  EXPECT_EQ(png_run.exit_code, 0) << png_run.output;
  const GuiRun svg_run = run_headless_cli(svg_args, dir);
  EXPECT_EQ(svg_run.exit_code, 0) << svg_run.output;
  if (png_run.exit_code != 0 || svg_run.exit_code != 0) return f;
  const std::string svg_path = (dir / "figure.svg").string();
  EXPECT_EQ(std::system(("xmllint --noout '" + svg_path + "'").c_str()), 0) << "xmllint rejects " << svg_path;
  EXPECT_EQ(std::system(("rsvg-convert -o '" + (dir / "raster.png").string() + "' '" + svg_path + "'").c_str()), 0);
  f.png = read_png(dir / "figure.png");
  f.raster = read_png(dir / "raster.png");
  f.svg = read_file(dir / "figure.svg");
  f.elements = parse_svg(f.svg);
  return f;
}

// The whole-figure agreement described at the top of this file.
void expect_same_picture(const Png& png, const Png& raster) {
  ASSERT_EQ(png.width, raster.width);
  ASSERT_EQ(png.height, raster.height);
  double sum = 0;
  long close = 0;
  for (int y = 0; y < png.height; ++y)
    for (int x = 0; x < png.width; ++x) {
      const int d = distance(pixel(png, x, y), pixel(raster, x, y));
      sum += d;
      close += d <= 8;
    }
  const double pixels = static_cast<double>(png.width) * png.height;
  EXPECT_GE(close / pixels, 0.98) << "share of pixels within 8 levels of the PNG";
  EXPECT_LE(sum / pixels, 2.0) << "mean difference from the PNG";
}

std::string stripped(const Token& token) {
  std::string d = token.display;
  d.erase(0, d.find_first_not_of(' '));
  return d;
}

std::shared_ptr<const AttentionSnapshot> core_run(const std::string& text, const Interventions& interventions = {}) {
  RunOptions options;
  options.interventions = interventions;
  return run_text(load_model(fixture("gpt2")), text, options);
}

TEST(SvgViews, HeadViewAllHeadsKeepsLabelsAndLegendAndMatchesThePng) {
  SKIP_WITHOUT_SVG_TOOLS();
  const Figures f = render_both("svg-head-all", {"render", "--model", fixture("gpt2").string(), "--text", kSentence,
                                                 "--view", "head", "--layer", "1", "--head-mode", "mean", "--scale",
                                                 "2", "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());
  // Every token, as text, once among the queries and once among the keys.
  const auto snapshot = core_run(kSentence);
  for (const Token& token : snapshot->tokens) {
    const auto labels = select(f.elements, "text", "tokens");
    const auto n = std::count_if(labels.begin(), labels.end(), [&](const Element* e) { return e->text == stripped(token); });
    EXPECT_GE(n, 2) << "token label '" << stripped(token) << "'";
  }
  EXPECT_TRUE(has_text(f.elements, "Head view"));
  EXPECT_TRUE(has_text(f.elements, "\u201C" + kSentence + "\u201D"));
  EXPECT_TRUE(has_text(f.elements, "Layer 1, all heads"));
  EXPECT_TRUE(has_text(f.elements, "Line opacity = attention weight:"));
  EXPECT_FALSE(select(f.elements, "line", "lines").empty());

  // Legend swatches: one per head in the Okabe-Ito colours, filled alike in both images.
  const std::vector<std::string> palette = {"#e69f00", "#56b4e9", "#009e73", "#f0e442"};
  const auto swatches = select(f.elements, "rect", "legend");
  ASSERT_EQ(swatches.size(), palette.size());
  for (size_t h = 0; h < swatches.size(); ++h) {
    const Element& s = *swatches[h];
    EXPECT_EQ(s.attrs.at("fill"), palette[h]);
    const float cx = s.num("x") + s.num("width") / 2, cy = s.num("y") + s.num("height") / 2;
    EXPECT_LE(distance(pixel(f.png, cx, cy), parse_hex(palette[h])), 1) << "PNG swatch of head " << h;
    EXPECT_LE(distance(pixel(f.raster, cx, cy), parse_hex(palette[h])), 1) << "SVG swatch of head " << h;
  }
  expect_same_picture(f.png, f.raster);
}

TEST(SvgViews, HeadViewOfAQueryHasItsWeightsAsLinesAndMatchesThePng) {
  SKIP_WITHOUT_SVG_TOOLS();
  const auto snapshot = core_run(kSentence);
  int query = -1;
  for (int i = 0; i < snapshot->n_tokens; ++i)
    if (stripped(snapshot->tokens[static_cast<size_t>(i)]) == "because") query = i;
  ASSERT_GE(query, 0);
  const Figures f = render_both("svg-head-query", {"render", "--model", fixture("gpt2").string(), "--text", kSentence,
                                                   "--view", "head", "--layer", "1", "--head", "2", "--query",
                                                   std::to_string(query), "--light", "--scale", "2", "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());

  // The view's defaults keep the 5 strongest keys of at least 0.05.
  const MatrixRM& probs = snapshot->head(1, 2).probs;  // [T, T]
  std::vector<float> kept;
  for (int k = 0; k < snapshot->n_tokens; ++k)
    if (probs(query, k) > 0 && probs(query, k) >= 0.05f) kept.push_back(probs(query, k));
  std::sort(kept.rbegin(), kept.rend());
  kept.resize(std::min<size_t>(kept.size(), 5));
  std::sort(kept.begin(), kept.end());  // drawn weakest first
  const auto lines = select(f.elements, "line", "lines");
  ASSERT_EQ(lines.size(), kept.size());
  const Rgb8 green = parse_hex("#009e73"), background = parse_hex("#f0f0f0");
  for (size_t i = 0; i < lines.size(); ++i) {
    const Element& l = *lines[i];
    EXPECT_EQ(l.attrs.at("stroke"), "#009e73");
    const float alpha = std::round(kept[i] * 255.0f) / 255.0f;
    EXPECT_NEAR(l.num("stroke-opacity"), alpha, 1e-4) << "line " << i;
    EXPECT_EQ(l.num("x1"), lines[0]->num("x1"));  // all from the query
    EXPECT_EQ(l.num("y1"), lines[0]->num("y1"));
    // Lines part before their middle: there each is alone over the background.
    const float mx = (l.num("x1") + l.num("x2")) / 2, my = (l.num("y1") + l.num("y2")) / 2;
    const auto blend = [&](std::uint8_t c, std::uint8_t b) {
      return static_cast<std::uint8_t>(std::lround(c * alpha + b * (1 - alpha)));
    };
    const Rgb8 want{blend(green.r, background.r), blend(green.g, background.g), blend(green.b, background.b)};
    EXPECT_LE(distance(pixel(f.png, mx, my), want), 2) << "PNG line " << i;
    EXPECT_LE(distance(pixel(f.raster, mx, my), want), 2) << "SVG line " << i;
  }
  // One percentage per line, beside its key.
  const auto labels = select(f.elements, "text", "tokens");
  EXPECT_EQ(static_cast<size_t>(std::count_if(labels.begin(), labels.end(),
                                              [](const Element* e) { return !e->text.empty() && e->text.back() == '%'; })),
            kept.size());
  expect_same_picture(f.png, f.raster);
}

// The colour a thumbnail cell must have: the weight through viridis, faded
// towards grey for a switched-off head (shaders/heatmap.frag).
Rgb8 thumbnail_color(float weight, bool ablated) {
  const Rgb8 c = colormap_color(Colormap::Viridis, weight);
  if (!ablated) return c;
  const auto fade = [](std::uint8_t v) { return static_cast<std::uint8_t>(std::lround((v / 255.0f * 0.25f + 0.55f * 0.75f) * 255.0f)); };
  return {fade(c.r), fade(c.g), fade(c.b)};
}


// The box a thumbnail's runs of cells cover: {x0, y0, x1, y1}.
std::array<float, 4> cell_bounds(const std::vector<const Element*>& cells) {
  std::array<float, 4> box = {1e9f, 1e9f, -1e9f, -1e9f};
  for (const Element* e : cells) {
    box[0] = std::min(box[0], e->num("x"));
    box[1] = std::min(box[1], e->num("y"));
    box[2] = std::max(box[2], e->num("x") + e->num("width"));
    box[3] = std::max(box[3], e->num("y") + e->num("height"));
  }
  return box;
}

TEST(SvgViews, ModelViewCellsHaveTheSnapshotColoursInBothImages) {
  SKIP_WITHOUT_SVG_TOOLS();
  const Figures f = render_both("svg-model", {"render", "--model", fixture("gpt2").string(), "--text", kSentence,
                                              "--view", "model", "--layer", "1", "--head", "1", "--ablate", "0:2",
                                              "--scale", "2", "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());
  Interventions interventions;
  interventions.ablated_heads = {{0, 2}};
  const auto snapshot = core_run(kSentence, interventions);
  const int T = snapshot->n_tokens;
  ASSERT_LE(T * T, 32 * 32) << "this sentence is meant to give thumbnails of <rect> cells";

  for (const char* text : {"Model view", "2 layers x 4 heads", "head 0", "L0", "L1", "off", "Attention weight",
                           "p: mean weight on the previous token"})
    EXPECT_TRUE(has_text(f.elements, text)) << text;
  int checked = 0, worst_png = 0, worst_svg = 0, wrong_fill = 0;
  for (int layer = 0; layer < 2; ++layer)
    for (int head = 0; head < 4; ++head) {
      std::string id = "L";
      id += std::to_string(layer) + "H" + std::to_string(head);
      std::vector<const Element*> cells;
      for (const Element* e : select(f.elements, "rect", id))
        if (e->in_cells) cells.push_back(e);
      ASSERT_FALSE(cells.empty()) << id;
      // The thumbnail's corners from its runs of cells: T x T cells.
      const auto [x0, y0, x1, y1] = cell_bounds(cells);
      const float cw = (x1 - x0) / T, ch = (y1 - y0) / T;
      ASSERT_GT(cw, 4.0f);
      const MatrixRM& probs = snapshot->head(layer, head).probs;  // [T, T]
      const bool ablated = layer == 0 && head == 2;
      for (const Element* e : cells) {
        const int r = static_cast<int>(std::lround((e->num("y") - y0) / ch));
        const int c0 = static_cast<int>(std::lround((e->num("x") - x0) / cw));
        const int run = static_cast<int>(std::lround(e->num("width") / cw));
        const Rgb8 fill = parse_hex(e->attrs.at("fill"));
        for (int c = c0; c < c0 + run; ++c) {
          wrong_fill += distance(fill, thumbnail_color(probs(r, c), ablated)) > 1;
          // A switched-off head is crossed out and labelled "off" on top of its cells.
          const bool covered = std::abs(r - c) <= 1 || std::abs(r + c - (T - 1)) <= 1 ||
                               (std::abs(2 * r - T) <= 6 && std::abs(2 * c - T) <= 8);
          if (ablated && covered) continue;
          const float cx = x0 + (c + 0.5f) * cw, cy = y0 + (r + 0.5f) * ch;
          worst_png = std::max(worst_png, distance(pixel(f.png, cx, cy), fill));
          worst_svg = std::max(worst_svg, distance(pixel(f.raster, cx, cy), fill));
          ++checked;
        }
      }
    }
  EXPECT_GT(checked, 7 * T * T + T * T / 4);
  EXPECT_EQ(wrong_fill, 0) << "cells whose SVG colour is not their weight's";
  EXPECT_LE(worst_png, 1) << "PNG pixel vs SVG cell colour";
  EXPECT_LE(worst_svg, 1) << "rasterised SVG vs SVG cell colour";
  // The selected head is outlined in the selection colour.
  const auto frames = select(f.elements, "rect", "L1H1");
  EXPECT_TRUE(std::any_of(frames.begin(), frames.end(), [](const Element* e) {
    return e->attrs.count("stroke") && e->attrs.at("stroke") == "#e69f00";
  }));
  expect_same_picture(f.png, f.raster);
}

TEST(SvgViews, ModelViewOfALongTextEmbedsThePngPixelsOfEachThumbnail) {
  SKIP_WITHOUT_SVG_TOOLS();
  const std::string text = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun.";
  ASSERT_GT(core_run(text)->n_tokens, 32) << "this text is meant to give thumbnails drawn as images";
  const Figures f = render_both("svg-model-long", {"render", "--model", fixture("gpt2").string(), "--text", text,
                                                   "--view", "model", "--scale", "2", "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());
  const auto images = select(f.elements, "image", "");
  ASSERT_EQ(images.size(), 8u);
  long compared = 0;
  int worst = 0;
  for (const Element* image : images) {
    EXPECT_EQ(image->attrs.at("xlink:href").rfind("data:image/png;base64,", 0), 0u);
    // Whole pixels: the image covers exactly the pixels the PNG's thumbnail does.
    const int x0 = static_cast<int>(image->num("x")), y0 = static_cast<int>(image->num("y"));
    const int x1 = x0 + static_cast<int>(image->num("width")), y1 = y0 + static_cast<int>(image->num("height"));
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) {
        worst = std::max(worst, distance(pixel(f.png, x, y), pixel(f.raster, x, y)));
        ++compared;
      }
  }
  EXPECT_GT(compared, 8 * 64 * 64);
  EXPECT_LE(worst, 1) << "largest difference inside the thumbnails";
  expect_same_picture(f.png, f.raster);
}

// The dimensions of one strip: its cells are filled rects in a row, Dh of them.
int cells_in_row(const std::vector<const Element*>& rects, float y) {
  return static_cast<int>(std::count_if(rects.begin(), rects.end(), [&](const Element* e) {
    return !e->attrs.count("stroke") && std::abs(e->num("y") - y) < 0.01f;
  }));
}

// "#3 " sat"": how captions name a token.
std::string quoted(const AttentionSnapshot& snapshot, int index) {
  std::string out = "#";  // appended piece by piece: GCC 12 warns falsely (-Wrestrict) on the + chain
  out += std::to_string(index);
  out += " \"";
  out += snapshot.tokens[static_cast<size_t>(index)].display;
  out += '"';
  return out;
}

// The figure the app exports by default: the seed sentence, its last token as the query.
TEST(SvgViews, QkvViewKeepsEveryKeyRowAndMatchesThePng) {
  SKIP_WITHOUT_SVG_TOOLS();
  const Figures f = render_both("svg-qkv", {"render", "--model", fixture("gpt2").string(), "--text", kSentence, "--view",
                                            "qkv", "--layer", "1", "--head", "2", "--scale", "2"});
  ASSERT_FALSE(f.elements.empty());
  const auto snapshot = core_run(kSentence);
  const int dh = snapshot->head_dim, T = snapshot->n_tokens, query = T - 1;
  EXPECT_TRUE(has_text(f.elements, "Q/K/V"));
  EXPECT_TRUE(has_text(f.elements, "Layer 1, head 2, query " + quoted(*snapshot, query)));
  for (const char* text : {"query q_i", "key token", "softmax", "output", "Q", "K", "V"})
    EXPECT_TRUE(has_text(f.elements, text)) << text;
  // One row per key, in sentence order, each with the query's softmax weight.
  const auto texts = select(f.elements, "text", "lookup");
  std::vector<std::string> percents;
  for (const Element* e : texts)
    if (!e->text.empty() && e->text.back() == '%') percents.push_back(e->text);
  ASSERT_EQ(percents.size(), static_cast<size_t>(T));
  for (int j = 0; j < T; ++j) {
    char want[16];
    std::snprintf(want, sizeof want, "%.0f%%", 100.0f * snapshot->head(1, 2).probs(query, j));
    EXPECT_EQ(percents[static_cast<size_t>(j)], want) << "key " << j;
  }
  // Strips of Dh cells: the query's, three per key and the output's.
  const auto rects = select(f.elements, "rect", "lookup");
  ASSERT_FALSE(rects.empty());
  EXPECT_EQ(cells_in_row(rects, rects.front()->num("y")), dh);
  int strips = 0;
  for (const Element* e : rects) strips += e->attrs.count("stroke") && e->num("width") > dh;
  EXPECT_GE(strips, 1 + 3 * T + 1);
  EXPECT_GE(select(f.elements, "rect", "matrices").size(), 3u) << "Q, K and V frames";
  expect_same_picture(f.png, f.raster);
}

TEST(SvgViews, PredictionsViewListsTheTopGuessesAndMatchesThePng) {
  SKIP_WITHOUT_SVG_TOOLS();
  const Figures f = render_both("svg-predictions", {"render", "--model", fixture("gpt2").string(), "--text", kSentence,
                                                    "--view", "predictions", "--ablate", "1:0", "--scale", "2",
                                                    "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());
  Interventions off;
  off.ablated_heads = {{1, 0}};
  const auto snapshot = core_run(kSentence, off);
  const auto& top = snapshot->top.back();
  ASSERT_GE(top.size(), 5u);
  EXPECT_TRUE(has_text(f.elements, "Next token after " + quoted(*snapshot, snapshot->n_tokens - 1)));
  EXPECT_TRUE(has_text(f.elements, "1 head switched off."));
  EXPECT_TRUE(has_text(f.elements, "all heads on"));
  const auto texts = select(f.elements, "text", "guesses");
  for (size_t r = 0; r < 5; ++r) {
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.1f%%", 100.0f * top[r].prob);
    EXPECT_TRUE(std::any_of(texts.begin(), texts.end(), [&](const Element* e) { return e->text == percent; }))
        << "guess " << r << " " << percent;
    EXPECT_TRUE(has_text(f.elements, std::to_string(r + 1) + ".")) << "rank " << r;
  }
  // The bars: the filled part is the probability times the frame's width.
  std::vector<const Element*> bars, frames;
  for (const Element* e : select(f.elements, "rect", "guesses")) (e->attrs.count("stroke") ? frames : bars).push_back(e);
  ASSERT_GE(frames.size(), 5u);
  ASSERT_GE(bars.size(), 5u);
  for (size_t r = 0; r < 5; ++r)
    EXPECT_NEAR(bars[r]->num("width") / frames[r]->num("width"), top[r].prob, 0.02) << "bar " << r;
  expect_same_picture(f.png, f.raster);
}

TEST(SvgViews, AppExportsHeadAndModelViewsAsSvg) {
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)";
  if (!have("xmllint")) GTEST_SKIP() << "apt-get install libxml2-utils";
  for (const std::string view : {"head", "model"}) {
    const fs::path dir = temp_dir("svg-app-" + view);
    const GuiRun run = run_app({"--model", fixture("gpt2").string(), "--text", kSentence, "--export-view", view,
                                "--export-scale", "1", "--export-size", "800x600", "--export-out", view + ".svg"},
                               dir);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const std::string path = (dir / (view + ".svg")).string();
    EXPECT_EQ(std::system(("xmllint --noout '" + path + "'").c_str()), 0) << "xmllint rejects " << path;
    const std::vector<Element> elements = parse_svg(read_file(path));
    EXPECT_TRUE(has_text(elements, view == "head" ? "Head view" : "Model view"));
    EXPECT_TRUE(has_text(elements, view == "head" ? "animal" : "L1")) << view;
    EXPECT_TRUE(has_group(elements, "legend")) << view;
    EXPECT_TRUE(has_group(elements, view == "head" ? "lines" : "L1H3")) << view;
  }
}

// ---- encoder-decoder models: cross-attention in the Q/K/V, head, model and predictions views ----

// The fixture has random weights: its own translation is 64 tokens of noise,
// so the figures read a forced target of a few tokens.
const std::string kSource = "The black cat sat on the mat.";
const std::string kTarget = "Le chat noir est assis.";

// The Marian fixture's run, as the figures make it.
SceneRun marian_run(const Interventions& interventions = {}) {
  return run_scene(load_model(fixture("marian")), kSource, interventions, nullptr, nullptr, nullptr, kTarget);
}

// A token as the views label it: without leading spaces, cut to max_chars with "..".
std::string label_of(const Token& token, size_t max_chars) {
  const std::string text = stripped(token);
  if (text.empty() && !token.display.empty()) return "\xC2\xB7";  // a lone space shows as a middle dot
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > max_chars) return text.substr(0, i) + "..";
  }
  return text;
}

std::vector<std::string> texts_in(const std::vector<Element>& all, const std::string& group) {
  std::vector<std::string> out;
  for (const Element* e : select(all, "text", group)) out.push_back(e->text);
  return out;
}

// The figure is given room below its content: the cross-attention note adds a
// line of text to a view that is already mostly text, and glyph edges are the
// one thing the two renderers draw differently.
TEST(SvgViews, QkvViewOfCrossAttentionHasASourceKeyPerRowAndItsScores) {
  SKIP_WITHOUT_SVG_TOOLS();
  const int layer = 1, head = 2, step = 3;
  const Figures f = render_both("svg-qkv-cross", {"render", "--model", fixture("marian").string(), "--text", kSource, "--target", kTarget,
                                                  "--view", "qkv", "--attention", "cross", "--step", std::to_string(step),
                                                  "--layer", std::to_string(layer), "--head", std::to_string(head),
                                                  "--scale", "2", "--size", "960x900"});
  ASSERT_FALSE(f.elements.empty());
  const auto view = attention_view(marian_run().snapshot, AttentionKind::Cross, step);
  const int Ts = view->n_keys();
  ASSERT_EQ(view->n_tokens, step + 1);
  EXPECT_TRUE(has_text(f.elements, "Layer 1, head 2, query " + quoted(*view, step)));
  EXPECT_TRUE(has_text(f.elements, "/ sqrt(Dh)"));
  // One row per source token: its weight, its q·k and its score q·k/sqrt(Dh).
  const std::vector<std::string> lookup = texts_in(f.elements, "lookup");
  std::vector<std::string> percents;
  for (const std::string& t : lookup)
    if (!t.empty() && t.back() == '%') percents.push_back(t);
  ASSERT_EQ(percents.size(), static_cast<size_t>(Ts));
  const HeadCapture& cap = view->head(layer, head);
  for (int j = 0; j < Ts; ++j) {
    char want[32];
    std::snprintf(want, sizeof want, "%.0f%%", 100.0f * cap.probs(step, j));
    EXPECT_EQ(percents[static_cast<size_t>(j)], want) << "source key " << j;
    const float dot = cap.q.row(step).dot(cap.k.row(j));
    std::snprintf(want, sizeof want, "%.3f", dot / std::sqrt(static_cast<float>(view->head_dim)));
    EXPECT_NE(std::find(lookup.begin(), lookup.end(), want), lookup.end()) << "score of source key " << j;
    EXPECT_NE(std::find(lookup.begin(), lookup.end(), label_of(view->keys()[static_cast<size_t>(j)], 10)), lookup.end())
        << "label of source key " << j;
  }
  EXPECT_TRUE(has_text(f.elements, "Decoder queries [Tt = 4 x Dh = 16]; source keys and values [Ts = " +
                                       std::to_string(Ts) + " x Dh = 16]"));
  expect_same_picture(f.png, f.raster);
}

TEST(SvgViews, HeadViewOfCrossAttentionLinksTargetQueriesToSourceKeys) {
  SKIP_WITHOUT_SVG_TOOLS();
  const int layer = 1, head = 1, query = 2;
  const Figures f = render_both("svg-head-cross", {"render", "--model", fixture("marian").string(), "--text", kSource, "--target", kTarget,
                                                   "--view", "head", "--attention", "cross", "--layer",
                                                   std::to_string(layer), "--head", std::to_string(head), "--query",
                                                   std::to_string(query), "--scale", "2", "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());
  const auto view = attention_view(marian_run().snapshot, AttentionKind::Cross, -1);
  const std::vector<std::string> labels = texts_in(f.elements, "tokens");
  for (const Token& t : view->keys())
    EXPECT_NE(std::find(labels.begin(), labels.end(), label_of(t, 18)), labels.end()) << "source '" << t.display << "'";
  for (const Token& t : view->tokens)
    EXPECT_NE(std::find(labels.begin(), labels.end(), label_of(t, 18)), labels.end()) << "target '" << t.display << "'";
  // The query's 5 strongest source keys of at least 0.05, as lines from one point.
  std::vector<float> kept;
  for (int j = 0; j < view->n_keys(); ++j) {
    const float w = view->head(layer, head).probs(query, j);
    if (w > 0 && w >= 0.05f) kept.push_back(w);
  }
  std::sort(kept.rbegin(), kept.rend());
  kept.resize(std::min<size_t>(kept.size(), 5));
  std::sort(kept.begin(), kept.end());  // drawn weakest first
  const auto lines = select(f.elements, "line", "lines");
  ASSERT_EQ(lines.size(), kept.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_NEAR(lines[i]->num("stroke-opacity"), std::round(kept[i] * 255.0f) / 255.0f, 1e-4) << "line " << i;
    EXPECT_EQ(lines[i]->num("x1"), lines[0]->num("x1"));
    EXPECT_EQ(lines[i]->num("y1"), lines[0]->num("y1"));
  }
  expect_same_picture(f.png, f.raster);
}

// Thumbnail cells of one head of a kind: each rect's colour is its weight's.
int wrong_cells(const std::vector<Element>& all, const std::string& id, const MatrixRM& probs, bool ablated) {
  std::vector<const Element*> cells;
  for (const Element* e : select(all, "rect", id))
    if (e->in_cells) cells.push_back(e);
  if (cells.empty()) return -1;
  const auto [x0, y0, x1, y1] = cell_bounds(cells);
  const float cw = (x1 - x0) / static_cast<float>(probs.cols()), ch = (y1 - y0) / static_cast<float>(probs.rows());
  int wrong = 0;
  for (const Element* e : cells) {
    const int r = static_cast<int>(std::lround((e->num("y") - y0) / ch));
    const int c0 = static_cast<int>(std::lround((e->num("x") - x0) / cw));
    const int run = static_cast<int>(std::lround(e->num("width") / cw));
    for (int c = c0; c < c0 + run; ++c)
      wrong += distance(parse_hex(e->attrs.at("fill")), thumbnail_color(probs(r, c), ablated)) > 1;
  }
  return wrong;
}

TEST(SvgViews, ModelViewOfATranslationModelHasAGridPerKindOfAttention) {
  SKIP_WITHOUT_SVG_TOOLS();
  const Figures f = render_both("svg-model-seq2seq", {"render", "--model", fixture("marian").string(), "--text", kSource, "--target", kTarget,
                                                      "--view", "model", "--attention", "cross", "--layer", "0",
                                                      "--head", "2", "--ablate-cross", "1:1", "--ablate-decoder", "0:3",
                                                      "--scale", "2", "--size", "800x900"});
  ASSERT_FALSE(f.elements.empty());
  for (const char* text : {"Every head of the three kinds of attention", "Encoder self-attention: 2 layers x 4 heads",
                           "Decoder self-attention: 2 layers x 4 heads",
                           "Cross-attention (target queries, source keys): 2 layers x 4 heads"})
    EXPECT_TRUE(has_text(f.elements, text)) << text;
  Interventions off;
  off.ablated_cross_heads = {{1, 1}};
  off.ablated_decoder_heads = {{0, 3}};
  const auto run = marian_run(off).snapshot;
  const std::pair<AttentionKind, std::string> kinds[] = {
      {AttentionKind::Self, "enc-"}, {AttentionKind::DecoderSelf, "dec-"}, {AttentionKind::Cross, "cross-"}};
  for (const auto& [kind, prefix] : kinds) {
    const auto view = attention_view(run, kind, -1);
    for (int l = 0; l < 2; ++l)
      for (int h = 0; h < 4; ++h) {
        const std::string id = prefix + "L" + std::to_string(l) + "H" + std::to_string(h);
        EXPECT_EQ(wrong_cells(f.elements, id, view->head(l, h).probs, view->ablated(l, h)), 0) << id;
        // Switched-off heads are crossed out in their own kind's grid only.
        const auto texts = texts_in(f.elements, id);
        EXPECT_EQ(std::count(texts.begin(), texts.end(), "off"), view->ablated(l, h) ? 1 : 0) << id;
      }
  }
  // The selected head is outlined in its own kind's grid, not in the others.
  const auto outlined = [&](const std::string& id) {
    const auto rects = select(f.elements, "rect", id);
    return std::any_of(rects.begin(), rects.end(),
                       [](const Element* e) { return e->attrs.count("stroke") && e->attrs.at("stroke") == "#e69f00"; });
  };
  EXPECT_TRUE(outlined("cross-L0H2"));
  EXPECT_FALSE(outlined("enc-L0H2"));
  EXPECT_FALSE(outlined("dec-L0H2"));
  expect_same_picture(f.png, f.raster);
}

TEST(SvgViews, PredictionsOfATranslationModelShowTheChangeFromSwitchedOffHeads) {
  SKIP_WITHOUT_SVG_TOOLS();
  const Figures f = render_both("svg-predictions-seq2seq",
                                {"render", "--model", fixture("marian").string(), "--text", kSource, "--target", kTarget, "--view",
                                 "predictions", "--ablate-cross", "1:0,1:2", "--ablate", "0:1", "--scale", "2",
                                 "--size", "800x600"});
  ASSERT_FALSE(f.elements.empty());
  Interventions off;
  off.ablated_cross_heads = {{1, 0}, {1, 2}};
  off.ablated_heads = {{0, 1}};
  const SceneRun run = marian_run(off);
  ASSERT_TRUE(run.baseline);
  const auto& now = run.snapshot->decoder->top.back();
  const auto& before = run.baseline->decoder->top.back();
  EXPECT_TRUE(has_text(f.elements, "3 heads switched off (1 encoder, 2 cross-attention)."));
  EXPECT_TRUE(has_text(f.elements, "all heads on"));
  const std::vector<std::string> texts = texts_in(f.elements, "guesses");
  int compared = 0;
  for (size_t r = 0; r < 5; ++r) {
    char want[32];
    std::snprintf(want, sizeof want, "%.1f%%", 100.0f * now[r].prob);
    EXPECT_NE(std::find(texts.begin(), texts.end(), want), texts.end()) << "guess " << r << " " << want;
    const auto was = std::find_if(before.begin(), before.end(), [&](const Prediction& p) { return p.id == now[r].id; });
    if (was == before.end()) {
      EXPECT_NE(std::find(texts.begin(), texts.end(), "was not in the top list"), texts.end()) << "guess " << r;
      continue;
    }
    std::snprintf(want, sizeof want, "was %.1f%%", 100.0f * was->prob);
    EXPECT_NE(std::find(texts.begin(), texts.end(), want), texts.end()) << "guess " << r << " " << want;
    const float delta = 100.0f * (now[r].prob - was->prob);
    std::snprintf(want, sizeof want, "%+.1f", std::fabs(delta) < 0.05f ? 0.0f : delta);
    EXPECT_NE(std::find(texts.begin(), texts.end(), want), texts.end()) << "guess " << r << " " << want;
    ++compared;
  }
  EXPECT_GE(compared, 1);
}

// The minimal-pair view: three maps of cells, the difference map on the
// diverging scale, and every label as text, over the same picture as the PNG.
TEST(SvgViews, MinimalPairViewKeepsItsMapsAndLabelsAndMatchesThePng) {
  SKIP_WITHOUT_SVG_TOOLS();
  const std::string model = (fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert").string();
  const Figures f = render_both("svg-diff", {"render", "--model", model, "--view", "diff", "--text",
                                             "The animal didn't cross the street because it was too tired.", "--text-b",
                                             "The animal didn't cross the street because it was too wide.", "--layer", "3",
                                             "--head", "2", "--query", "10", "--scale", "2", "--size", "1200x800"});
  ASSERT_FALSE(f.elements.empty());
  for (const char* text : {"Minimal pair", "Sentence A", "Sentence B", "Difference B \u2212 A", "Attention weight",
                           "B \u2212 A", "tired", "wide", "animal", "street", "In A", "In B"})
    EXPECT_TRUE(has_text(f.elements, text)) << text;
  for (const char* group : {"map-a", "map-b", "map-diff", "map-labels", "bars", "predictions"})
    EXPECT_TRUE(has_group(f.elements, group)) << group;
  // Rows and columns of a token only the other sentence has are blanked
  // over the cells, in the figure's background colour, in both images.
  const Rgb8 background = pixel(f.png, 1, 1);
  int cells = 0, worst = 0;
  for (const Element* e : select(f.elements, "rect", "")) {
    // The maps' cells; a legend bar's end cells lie under its frame.
    if (!e->in_cells || !e->attrs.count("fill") || e->group.rfind("map-", 0) != 0) continue;
    const float cx = e->num("x") + e->num("width") * 0.5f, cy = e->num("y") + e->num("height") * 0.5f;
    if (pixel(f.png, cx, cy) == background && pixel(f.raster, cx, cy) == background) continue;
    worst = std::max(worst, distance(pixel(f.png, cx, cy), parse_hex(e->attrs.at("fill"))));
    ++cells;
  }
  EXPECT_GT(cells, 3 * 16) << "every map's rows of cells";
  EXPECT_LE(worst, 1) << "PNG pixel vs SVG cell colour";
  expect_same_picture(f.png, f.raster);
}

}  // namespace
}  // namespace attnscope::testing
