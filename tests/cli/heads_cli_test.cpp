// attnscope-cli heads: one JSON entry per head with the documented fields,
// and the usual refusals.
#include <set>

#include <gtest/gtest.h>

#include "core/default_model.h"

#include "cli_runner.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::run_cli;

TEST(CliHeads, WritesOneEntryPerHead) {
  const testing::ScopedTempDir dir("cli-heads");
  const std::string out = (dir / "heads.json").string();
  const testing::CliResult r = run_cli({"heads", "--model", testing::fixture("gpt2").string(), "--json", out});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("induction"), std::string::npos) << r.out;
  const auto j = testing::read_json(out);
  ASSERT_EQ(j["heads"].size(), 2u * 4u);  // the fixture: 2 layers of 4 heads
  for (size_t i = 0; i < j["heads"].size(); ++i) {
    const auto& head = j["heads"][i];
    EXPECT_EQ(head["layer"], i / 4);
    EXPECT_EQ(head["head"], i % 4);
    for (const char* field : {"previous", "next", "first", "self", "entropy", "induction"})
      EXPECT_TRUE(head.contains(field) && head[field].is_number()) << field;
    EXPECT_EQ(head["next"], 0.0);  // causal
  }
  // An existing file is refused, as with run --json.
  const testing::CliResult again = run_cli({"heads", "--model", testing::fixture("gpt2").string(), "--json", out});
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.err.find("heads.json"), std::string::npos) << again.err;
}

TEST(CliHeads, DefaultModelsNamedPositionalHeadsScoreHighest) {
  // The default model's attnscope.json names a "previous token" and a "next
  // token" head: the scores must agree.
  const testing::ScopedTempDir dir("cli-heads-default");
  const std::string out = (dir / "heads.json").string();
  const testing::CliResult r = run_cli({"heads", "--json", out});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto heads = testing::read_json(out)["heads"];
  const auto presets = testing::read_json(default_model_path()->string() + "/attnscope.json")["presets"];
  auto best = [&](const char* field) {
    size_t top = 0;
    for (size_t i = 1; i < heads.size(); ++i)
      if (heads[i][field].get<double>() > heads[top][field].get<double>()) top = i;
    return std::make_pair(heads[top]["layer"].get<int>(), heads[top]["head"].get<int>());
  };
  auto named = [&](const char* name) {
    for (const auto& p : presets)
      if (p["name"] == name) return std::make_pair(p["layer"].get<int>(), p["head"].get<int>());
    ADD_FAILURE() << "no preset " << name;
    return std::make_pair(-1, -1);
  };
  EXPECT_EQ(best("previous"), named("previous token"));
  EXPECT_EQ(best("next"), named("next token"));
  // A named head carries its first preset, with the held-out accuracy and
  // probe attnscope.json gives it; unnamed heads have neither field.
  std::set<std::pair<int, int>> named_heads;
  for (const auto& p : presets) {
    const auto at = std::make_pair(p["layer"].get<int>(), p["head"].get<int>());
    if (!named_heads.insert(at).second) continue;  // a later name of the same head
    const auto& head = heads[static_cast<size_t>(at.first * 4 + at.second)];
    EXPECT_EQ(head.value("preset", ""), p["name"].get<std::string>());
    EXPECT_EQ(head.contains("heldout_accuracy"), p.contains("heldout_accuracy")) << p["name"];
    if (p.contains("heldout_accuracy")) {
      EXPECT_DOUBLE_EQ(head.value("heldout_accuracy", -1.0), p["heldout_accuracy"].get<double>());
      EXPECT_NE(head.value("probe", "").find("seed 8"), std::string::npos);
    }
  }
  int with_preset = 0;
  for (const auto& head : heads) {
    with_preset += head.contains("preset");
    if (!head.contains("preset")) EXPECT_FALSE(head.contains("heldout_accuracy"));
  }
  EXPECT_EQ(with_preset, static_cast<int>(named_heads.size()));
}

TEST(CliHeads, BadInputIsOneLineAndStatusTwo) {
  const testing::CliResult missing = run_cli({"heads", "--model", "/nonexistent/model"});
  EXPECT_EQ(missing.status, 2);
  const testing::CliResult wrong_name = run_cli({"heads", "--model", testing::fixture("bert").string(), "--json", "/tmp/x.txt"});
  EXPECT_EQ(wrong_name.status, 2);
  const testing::CliResult unknown = run_cli({"heads", "--model", testing::fixture("bert").string(), "--nope"});
  EXPECT_EQ(unknown.status, 2);
}

}  // namespace
}  // namespace attnscope
