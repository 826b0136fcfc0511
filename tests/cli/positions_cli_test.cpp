// run --no-positions: the words of a BERT input in another order give the
// same attention in that order.
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::run_cli;

nlohmann::json run_json(const std::filesystem::path& out, const std::string& text, bool positions) {
  std::vector<std::string> args = {"run", "--model", testing::fixture("bert").string(), "--text", text, "--json", out.string()};
  if (!positions) args.push_back("--no-positions");
  const testing::CliResult r = run_cli(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return testing::read_json(out);
}

// Largest |moved[i][j] - original[order[i]][order[j]]| over layers and heads.
double permutation_error(const nlohmann::json& original, const nlohmann::json& moved, const std::vector<int>& order) {
  double worst = 0;
  for (size_t l = 0; l < original.size(); ++l)
    for (size_t h = 0; h < original[l].size(); ++h)
      for (size_t i = 0; i < order.size(); ++i)
        for (size_t j = 0; j < order.size(); ++j)
          worst = std::max(worst, std::abs(moved[l][h][i][j].get<double>() -
                                           original[l][h][order[i]][order[j]].get<double>()));
  return worst;
}

TEST(CliPositions, NoPositionsMakesWordOrderOnlyPermuteAttention) {
  const testing::ScopedTempDir dir("cli-positions");
  const std::vector<int> order = {0, 3, 2, 1, 4};  // [CLS] sat cat the [SEP]
  auto original = run_json(dir / "a.json", "the cat sat", false);
  auto moved = run_json(dir / "b.json", "sat cat the", false);
  ASSERT_EQ(original["tokens"].size(), order.size());
  ASSERT_EQ(moved["tokens"][1]["text"], original["tokens"][3]["text"]);
  EXPECT_LE(permutation_error(original["attention"], moved["attention"], order), 1e-5);

  auto with_positions = run_json(dir / "c.json", "sat cat the", true);
  EXPECT_GT(permutation_error(original["attention"], with_positions["attention"], order), 1e-3);
}

}  // namespace
}  // namespace attnscope
