// attnscope-cli heads: one JSON entry per head with the documented fields,
// and the usual refusals.
#include <gtest/gtest.h>

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
  // The default model's attnscope.json names layer 1 head 1 "previous token"
  // and layer 1 head 2 "next token": the scores must agree.
  const testing::ScopedTempDir dir("cli-heads-default");
  const std::string out = (dir / "heads.json").string();
  const testing::CliResult r = run_cli({"heads", "--json", out});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto heads = testing::read_json(out)["heads"];
  auto best = [&](const char* field) {
    size_t top = 0;
    for (size_t i = 1; i < heads.size(); ++i)
      if (heads[i][field].get<double>() > heads[top][field].get<double>()) top = i;
    return std::make_pair(heads[top]["layer"].get<int>(), heads[top]["head"].get<int>());
  };
  EXPECT_EQ(best("previous"), std::make_pair(1, 1));
  EXPECT_EQ(best("next"), std::make_pair(1, 2));
  // Named heads carry their preset, and the pronoun and subject heads their
  // held-out accuracy from attnscope.json; unnamed heads have neither field.
  int named = 0;
  for (const auto& head : heads) {
    const int layer = head["layer"].get<int>(), index = head["head"].get<int>();
    if (layer == 3 && index == 3) {
      EXPECT_EQ(head.value("preset", ""), "pronoun \u2192 antecedent");
      EXPECT_DOUBLE_EQ(head.value("heldout_accuracy", -1.0), 0.992);
      EXPECT_NE(head.value("probe", "").find("seed 8"), std::string::npos);
    }
    if (layer == 3 && index == 0) {
      EXPECT_EQ(head.value("preset", ""), "verb \u2192 subject");
      EXPECT_DOUBLE_EQ(head.value("heldout_accuracy", -1.0), 0.998);
    }
    if (layer == 1 && index == 1) {
      EXPECT_EQ(head.value("preset", ""), "previous token");
      EXPECT_FALSE(head.contains("heldout_accuracy"));
    }
    named += head.contains("preset");
    if (!head.contains("preset")) {
      EXPECT_FALSE(head.contains("heldout_accuracy"));
    }
  }
  EXPECT_EQ(named, 4);
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
