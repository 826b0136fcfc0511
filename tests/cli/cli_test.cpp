// attnscope-cli end to end: JSON output format, greedy generation byte for
// byte, and one-line errors with exit status 2.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "cli_runner.h"
#include "test_support.h"

namespace attnscope {
namespace {

using Result = testing::CliResult;
using testing::run_cli;

TEST(Cli, RunWritesTheDocumentedJson) {
  auto out = testing::temp_dir("cli-json") / "run.json";
  const std::string text = "The animal didn't cross the street because it was too tired";
  Result r = run_cli({"run", "--model", testing::fixture("gpt2").string(), "--text", text, "--json", out.string(), "--top-k", "3"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("tokens (14)"), std::string::npos) << r.out;  // the fixture's tiny vocabulary splits "too"
  auto j = testing::read_json(out);
  EXPECT_EQ(j["model"]["type"], "gpt2");
  EXPECT_EQ(j["model"]["layers"], 2);
  EXPECT_EQ(j["model"]["heads"], 4);
  EXPECT_EQ(j["model"]["dim"], 64);
  const size_t T = j["tokens"].size();
  ASSERT_EQ(T, 14u);
  // Byte spans slice the original text back out.
  std::string joined;
  for (const auto& t : j["tokens"]) joined += text.substr(t["start"].get<size_t>(), t["end"].get<size_t>() - t["start"].get<size_t>());
  EXPECT_EQ(joined, text);
  EXPECT_EQ(j["tokens"][1]["text"], " animal");
  ASSERT_EQ(j["attention"].size(), 2u);
  ASSERT_EQ(j["attention"][0].size(), 4u);
  ASSERT_EQ(j["attention"][1][3].size(), T);
  ASSERT_EQ(j["attention"][1][3][5].size(), T);
  EXPECT_EQ(j["attention"][0][0][0][1].get<double>(), 0.0);  // causal
  ASSERT_EQ(j["predictions"].size(), T);
  EXPECT_EQ(j["predictions"][4]["position"], 4);
  ASSERT_EQ(j["predictions"][4]["top"].size(), 3u);
  const auto& best = j["predictions"][4]["top"][0];
  EXPECT_TRUE(best.contains("id") && best.contains("text") && best.contains("prob") && best.contains("logit"));
  EXPECT_GE(best["logit"].get<double>(), j["predictions"][4]["top"][1]["logit"].get<double>());
}

TEST(Cli, BertSpecialTokensHaveEmptySpans) {
  auto out = testing::temp_dir("cli-bert") / "run.json";
  Result r = run_cli({"run", "--model", testing::fixture("bert").string(), "--text", "the cat sat on the [MASK] .", "--json", out.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("masked-LM fills"), std::string::npos);
  auto j = testing::read_json(out);
  const auto& cls = j["tokens"].front();
  const auto& sep = j["tokens"].back();
  EXPECT_EQ(cls["start"], cls["end"]);
  EXPECT_EQ(sep["start"], sep["end"]);
  EXPECT_EQ(j["attention"][0][0][0].size(), j["tokens"].size());
  EXPECT_GT(j["attention"][0][0][0][5].get<double>(), 0.0);  // bidirectional
}

TEST(Cli, InterventionsReachTheForwardPass) {
  const testing::ScopedTempDir dir("cli-ablate");
  const std::string model = testing::fixture("gpt2").string();
  ASSERT_EQ(run_cli({"run", "--model", model, "--text", "the cat sat", "--ablate", "0:1", "--mask-key", "1", "--no-causal", "--json",
                 (dir / "a.json").string()})
                .status,
            0);
  auto j = testing::read_json(dir / "a.json");
  for (const auto& row : j["attention"][0][1])
    for (const auto& w : row) EXPECT_EQ(w.get<double>(), 0.0);  // ablated head
  for (const auto& row : j["attention"][1][0]) EXPECT_EQ(row[1].get<double>(), 0.0);  // masked key
  EXPECT_GT(j["attention"][1][0][0][2].get<double>(), 0.0);  // no causal mask
}

TEST(Cli, GreedyGenerationMatchesStories260KByteForByte) {
  const auto dir = testing::shared_dir() / "models" / "stories260K";
  const std::string expected = testing::read_file(dir / "expected_greedy.txt");
  for (const auto& model : {dir, dir / "stories260K.bin"}) {
    Result r = run_cli({"generate", "--model", model.string(), "--steps", "200", "--temperature", "0"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, expected);
  }
}

TEST(Cli, ExportsNpyCsvAndBertViz) {
  const testing::ScopedTempDir dir("cli-export");
  const std::string model = testing::fixture("gpt2").string();
  const std::pair<const char*, const char*> formats[] = {{"npy", "a.npy"}, {"csv", "a.csv"}, {"bertviz", "a.json"}};
  for (const auto& [format, name] : formats) {
    const std::string out = (dir / name).string();
    Result r = run_cli({"export", "--model", model, "--text", "the cat sat", "--format", format, "--out", out, "--layer", "1", "--head", "2"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_GT(testing::read_file(out).size(), 50u);
    // An existing file is never silently overwritten.
    Result again = run_cli({"export", "--model", model, "--text", "the cat sat", "--format", format, "--out", out});
    EXPECT_EQ(again.status, 2);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  }
  auto npy = testing::read_file(dir / "a.npy");
  EXPECT_NE(npy.find("'shape': (2, 4, "), std::string::npos);  // [L, H, T, T]
}

TEST(Cli, ErrorsAreOneLineWithStatus2) {
  const std::string model = testing::fixture("gpt2").string();
  const std::vector<std::vector<std::string>> bad = {
      {"run", "--model", "/nonexistent/model", "--text", "hi"},
      {"run", "--model", model, "--text", "hi", "--bogus"},
      {"run", "--model", model, "--text", "hi", "--top-k", "zero"},
      {"run", "--model", model, "--text", "hi", "--ablate", "9:0"},
      {"run", "--model", model, "--text", "hi", "--json", "/nonexistent/dir/out.json"},
      {"run", "--model", (testing::shared_dir() / "README.md").string(), "--text", "hi"},
      {"generate", "--model", testing::fixture("bert").string(), "--steps", "5"},
      {"frobnicate"},
  };
  for (const auto& args : bad) {
    Result r = run_cli(args);
    EXPECT_EQ(r.status, 2) << args[0] << " " << (args.size() > 2 ? args[2] : "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace attnscope
