// The head roles window and the model view's role borders, driven through the
// app's scripting flags: the table's order and a click on a row, border
// colours against roles computed here with the scene library, and 1-based labels.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <set>

#include <gtest/gtest.h>

#include "core/model.h"
#include "gui_runner.h"
#include "scene/head_role_kind.h"
#include "scene/head_roles.h"
#include "scene/head_roles_worker.h"
#include "test_support.h"

namespace attnscope::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSentence = "The animal didn't cross the street because it was too tired";

fs::path tiny_bert() { return fs::path(ATTNSCOPE_SOURCE_DIR) / "assets/models/attnscope-tiny-bert"; }

#define SKIP_WITHOUT_XVFB() \
  if (!have_xvfb()) GTEST_SKIP() << "xvfb-run is not installed (apt-get install xvfb)"

TEST(HeadRolesGui, TableSortsByAColumnAndAClickSelectsTheTopRow) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-head-roles-sort");
  const GuiRun run = run_app({"--model", tiny_bert().string(), "--text", kSentence, "--head-roles", "probe",
                              "--roles-sort", "previous:desc", "--roles-click", "0", "--screenshot", "shot.png"},
                             dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json side = read_json(dir / "shot.png.json");
  const json& roles = side.at("head_roles");
  EXPECT_EQ(roles.at("source"), "probe");
  EXPECT_EQ(roles.at("text"), kRoleProbeText);
  EXPECT_EQ(roles.at("sort"), "previous");
  EXPECT_TRUE(roles.at("descending").get<bool>());
  const json& rows = roles.at("rows");
  ASSERT_EQ(rows.size(), 16u);  // 4 layers x 4 heads

  // The same scores computed here, independently of the app.
  const auto model = load_model(tiny_bert());
  const HeadRoleScores want = score_heads_with_baselines(model, kRoleProbeText, true);
  for (size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    const int layer = row.at("layer"), head = row.at("head");
    const HeadRoles& r = want.roles.at(static_cast<size_t>(layer * 4 + head));
    EXPECT_NEAR(row.at("previous").get<double>(), r.previous, 1e-6) << layer << "," << head;
    EXPECT_NEAR(row.at("entropy").get<double>(), r.entropy, 1e-5) << layer << "," << head;
    EXPECT_NEAR(row.at("induction").get<double>(), r.induction, 1e-6) << layer << "," << head;
    EXPECT_EQ(row.at("role"), role_key(strongest_role(r, want.baselines))) << layer << "," << head;
    if (i > 0) {
      EXPECT_GE(rows[i - 1].at("previous").get<double>(), row.at("previous").get<double>()) << "row " << i;
    }
  }
  // Each named head of attnscope.json carries its first name and that
  // name's held-out accuracy (one head may be named twice).
  int measured = 0;
  std::set<std::pair<int, int>> seen;
  for (const HeadPreset& preset : model->presets) {
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const json& r) {
      return r.at("layer") == preset.layer && r.at("head") == preset.head;
    });
    ASSERT_NE(row, rows.end());
    if (!seen.insert({preset.layer, preset.head}).second) continue;
    EXPECT_EQ(row->value("preset", ""), preset.name);
    if (!preset.heldout_accuracy) continue;
    ++measured;
    EXPECT_DOUBLE_EQ(row->value("heldout_accuracy", -1.0), *preset.heldout_accuracy);
  }
  EXPECT_GE(measured, 1) << "the pronoun head";
  // The click on the top row shows that head everywhere.
  EXPECT_EQ(side.at("layer"), rows[0].at("layer"));
  EXPECT_EQ(side.at("head"), rows[0].at("head"));
  EXPECT_EQ(side.at("mode"), "single");
  // The top row by previous-token weight is the model's own "previous token" preset.
  EXPECT_EQ(rows[0].value("preset", ""), "previous token");
}

TEST(HeadRolesGui, AClickOnAMissingRowIsRefusedWithTheRowCount) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-head-roles-bad-click");
  const GuiRun run = run_app({"--model", tiny_bert().string(), "--head-roles", "text", "--roles-click", "16",
                              "--screenshot", "shot.png"},
                             dir);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("16 rows"), std::string::npos) << run.output;
}

// One <rect> the SVG writer put in a head's group.
struct Frame {
  std::string group, stroke;
  float x = 0, y = 0, w = 0, h = 0;
};

std::vector<Frame> frames_of(const std::string& svg) {
  std::vector<Frame> out;
  std::istringstream lines(svg);
  std::string line, group;
  const std::regex group_re(R"re(<g id="([^"]+)")re");
  const std::regex rect_re(
      R"re(<rect x="([-0-9.]+)" y="([-0-9.]+)" width="([-0-9.]+)" height="([-0-9.]+)" fill="none" stroke="(#[0-9a-f]{6})")re");
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, group_re)) group = m[1];
    if (std::regex_search(line, m, rect_re))
      out.push_back({group, m[5], std::stof(m[1]), std::stof(m[2]), std::stof(m[3]), std::stof(m[4])});
  }
  return out;
}

// "L3H2" from a printf format; string concatenation here trips GCC 12's -Wrestrict.
std::string head_label(const char* format, int layer, int head) {
  char label[32];
  std::snprintf(label, sizeof label, format, layer, head);
  return label;
}

std::string hex(Rgb8 c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c.r, c.g, c.b);
  return buffer;
}

TEST(HeadRolesGui, RoleBordersHaveTheColourOfEachHeadsStrongestRole) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-role-borders");
  const std::vector<std::string> common = {"--model", tiny_bert().string(), "--text", kSentence, "--role-borders",
                                           "--layer", "0", "--head", "0", "--export-view", "model",
                                           "--scale", "2", "--size", "900x760"};
  std::vector<std::string> svg_args = common, png_args = common;
  svg_args.insert(svg_args.end(), {"--export-out", "model.svg"});
  png_args.insert(png_args.end(), {"--export-out", "model.png"});
  const GuiRun svg_run = run_app(svg_args, dir);
  ASSERT_EQ(svg_run.exit_code, 0) << svg_run.output;
  const GuiRun png_run = run_app(png_args, dir);
  ASSERT_EQ(png_run.exit_code, 0) << png_run.output;
  const std::vector<Frame> frames = frames_of(read_file(dir / "model.svg"));
  const Png png = read_png(dir / "model.png");

  const auto model = load_model(tiny_bert());
  const HeadRoleScores want = score_heads_with_baselines(model, kSentence, true);
  int with_role = 0;
  for (int layer = 0; layer < 4; ++layer)
    for (int head = 0; head < 4; ++head) {
      const std::string id = head_label("L%dH%d", layer, head);
      const HeadRole role = strongest_role(want.roles[static_cast<size_t>(layer * 4 + head)], want.baselines);
      std::vector<Frame> role_frames;
      for (const Frame& f : frames) {
        if (f.group != id) continue;
        for (HeadRole any : kAllHeadRoles)
          if (f.stroke == hex(role_color(any))) role_frames.push_back(f);
      }
      if (role == HeadRole::None) {
        EXPECT_TRUE(role_frames.empty()) << id << " has no role but a role border";
        continue;
      }
      ++with_role;
      ASSERT_EQ(role_frames.size(), 1u) << id;
      EXPECT_EQ(role_frames[0].stroke, hex(role_color(role))) << id << " should be " << role_name(role);
      // The PNG has the same colour in the middle of the frame's top edge (scale 2: 6 px wide).
      const Frame& f = role_frames[0];
      const std::uint8_t* p = png.at(static_cast<int>(f.x + f.w / 2), static_cast<int>(f.y));
      const Rgb8 c = role_color(role);
      EXPECT_LE(std::abs(p[0] - c.r) + std::abs(p[1] - c.g) + std::abs(p[2] - c.b), 6) << id;
    }
  EXPECT_GE(with_role, 2) << "the test sentence should give some heads a clear role";
  const std::string svg = read_file(dir / "model.svg");
  EXPECT_NE(svg.find("Border: the head's strongest role"), std::string::npos);
}

TEST(HeadRolesGui, OneBasedLabelsRenumberTheViewsAndTheTable) {
  SKIP_WITHOUT_XVFB();
  const fs::path dir = temp_dir("gui-one-based");
  for (const bool one_based : {false, true}) {
    const std::string name = one_based ? "one.svg" : "zero.svg";
    std::vector<std::string> args = {"--model", tiny_bert().string(), "--text", kSentence, "--layer", "3", "--head", "2",
                                     "--head-roles", "text", "--export-view", "model", "--export-out", name};
    if (one_based) args.push_back("--one-based-heads");
    const GuiRun run = run_app(args, dir);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const std::string svg = read_file(dir / name);
    const auto has_text = [&](const std::string& text) { return svg.find(">" + text + "</text>") != std::string::npos; };
    EXPECT_EQ(has_text("L0"), !one_based);
    EXPECT_EQ(has_text("L4"), one_based);
    EXPECT_EQ(has_text("head 0"), !one_based);
    EXPECT_EQ(has_text("head 1"), one_based);
    EXPECT_NE(svg.find(one_based ? "Layer 4, head 3" : "Layer 3, head 2"), std::string::npos);
    const json roles = read_json(dir / (name + ".json")).at("head_roles");
    EXPECT_EQ(roles.at("one_based").get<bool>(), one_based);
    for (const json& row : roles.at("rows")) {
      const int layer = row.at("layer"), head = row.at("head"), base = one_based ? 1 : 0;
      EXPECT_EQ(row.at("label"), head_label("L%d H%d", layer + base, head + base));
    }
  }
}

}  // namespace
}  // namespace attnscope::testing
