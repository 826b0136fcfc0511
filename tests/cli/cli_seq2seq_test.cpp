// attnscope-cli on encoder-decoder models: the run --target JSON contract,
// per-kind head ablation, greedy targets and translate, checked against the
// fixtures' goldens; and one-line errors with status 2.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_runner.h"
#include "core/export_data.h"
#include "test_support.h"

namespace attnscope {
namespace {

using nlohmann::json;
using testing::run_cli;

json golden_case(const std::string& fixture, const std::string& name) {
  const json golden = testing::read_json(testing::fixture(fixture) / "golden.json");
  for (const json& c : golden["cases"])
    if (c["name"] == name) return c;
  ADD_FAILURE() << "no case " << name << " in " << fixture;
  return {};
}

// Runs `run --json` and returns the JSON.
json run_json(std::vector<std::string> args) {
  const auto path = testing::temp_dir("cli-seq2seq") / "run.json";
  args.insert(args.begin(), "run");
  args.insert(args.end(), {"--json", path.string()});
  const testing::CliResult r = run_cli(args);
  EXPECT_EQ(r.status, 0) << r.err;
  json j = r.status == 0 ? testing::read_json(path) : json();
  std::filesystem::remove_all(path.parent_path());
  return j;
}

std::vector<int> ids_in(const json& tokens) {
  std::vector<int> ids;
  for (const auto& t : tokens) ids.push_back(t["id"].get<int>());
  return ids;
}

double max_abs_difference(const json& a, const json& b) {
  if (a.is_number()) return std::abs(a.get<double>() - b.get<double>());
  double worst = a.size() == b.size() ? 0.0 : 1e9;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, max_abs_difference(a[i], b[i]));
  return worst;
}

bool all_zero(const json& rows) {
  for (const auto& row : rows)
    for (const auto& w : row)
      if (w.get<double>() != 0.0) return false;
  return true;
}

TEST(CliSeq2Seq, RunWithTargetFollowsTheJsonContract) {
  const json gc = golden_case("marian", "student");
  const std::string source = gc["text"], target = gc["target_text"];
  const json j = run_json({"--model", testing::fixture("marian").string(), "--text", source, "--target", target});
  EXPECT_EQ(j["model"]["type"], "marian");
  EXPECT_EQ(j["model"]["layers"], 2);
  EXPECT_EQ(j["model"]["decoder_layers"], 2);
  EXPECT_EQ(j["model"]["heads"], 4);
  EXPECT_EQ(j["model"]["dim"], 64);
  EXPECT_EQ(ids_in(j["tokens"]), gc["input_ids"].get<std::vector<int>>());
  EXPECT_EQ(ids_in(j["target_tokens"]), gc["decoder_input_ids"].get<std::vector<int>>());
  // The start token covers no byte; the others slice TARGET back out.
  const json& first = j["target_tokens"][0];
  EXPECT_EQ(first["start"], first["end"]);
  std::string joined;
  for (const auto& t : j["target_tokens"])
    joined += target.substr(t["start"].get<size_t>(), t["end"].get<size_t>() - t["start"].get<size_t>());
  EXPECT_EQ(joined, target);
  // Attention of all three kinds, as the golden has it.
  EXPECT_LE(max_abs_difference(j["attention"], gc["encoder_attentions"]), 1e-4);
  EXPECT_LE(max_abs_difference(j["decoder_attention"], gc["decoder_attentions"]), 1e-4);
  EXPECT_LE(max_abs_difference(j["cross_attention"], gc["cross_attentions"]), 1e-4);
  ASSERT_EQ(j["predictions"].size(), j["target_tokens"].size());
  // Predictions leave out what generation may not produce (Marian's <pad>), as greedy step 0 does.
  EXPECT_EQ(j["predictions"][0]["top"][0]["id"], gc["greedy"]["top5_ids"][0][0]);
}

TEST(CliSeq2Seq, EachAblationReachesItsOwnKind) {
  const std::string model = testing::fixture("marian").string();
  const std::vector<std::string> base = {"--model", model, "--text", "I am a student.", "--target", "Je suis étudiant."};
  const json plain = run_json(base);
  auto with = [&](const char* option) {
    std::vector<std::string> args = base;
    args.insert(args.end(), {option, "0:1"});
    return run_json(args);
  };
  const json encoder = with("--ablate"), decoder = with("--ablate-decoder"), cross = with("--ablate-cross");
  EXPECT_TRUE(all_zero(encoder["attention"][0][1]));
  EXPECT_TRUE(all_zero(decoder["decoder_attention"][0][1]));
  EXPECT_TRUE(all_zero(cross["cross_attention"][0][1]));
  // A decoder or cross ablation leaves the encoder alone.
  EXPECT_EQ(decoder["attention"], plain["attention"]);
  EXPECT_EQ(cross["attention"], plain["attention"]);
  EXPECT_EQ(cross["decoder_attention"][0], plain["decoder_attention"][0]);
  EXPECT_NE(cross["cross_attention"][1], plain["cross_attention"][1]);
}

TEST(CliSeq2Seq, WithoutTargetTheTargetIsTheGreedyTranslation) {
  const json gc = golden_case("t5", "cat");
  const json j = run_json({"--model", testing::fixture("t5").string(), "--text", gc["text"].get<std::string>()});
  // The golden's 8 greedy steps are the start of the engine's longer translation (no </s> in sight).
  const std::vector<int> greedy = gc["greedy"]["ids"].get<std::vector<int>>(), mine = ids_in(j["target_tokens"]);
  ASSERT_GE(mine.size(), greedy.size());
  EXPECT_EQ(std::vector<int>(mine.begin(), mine.begin() + static_cast<long>(greedy.size())), greedy);
  EXPECT_EQ(j["cross_attention"][0][0].size(), mine.size());
  EXPECT_EQ(j["cross_attention"][0][0][0].size(), gc["input_ids"].size());
}

TEST(CliSeq2Seq, TranslatePrintsOnlyTheGreedyText) {
  const json gc = golden_case("t5", "student");
  const testing::CliResult r =
      run_cli({"translate", "--model", testing::fixture("t5").string(), "--text", gc["text"].get<std::string>(), "--steps", "8"});
  ASSERT_EQ(r.status, 0) << r.err;
  // sentencepiece's decoding of the golden greedy pieces: '▁' is a space, the first one dropped.
  std::string expected;
  for (const auto& piece : gc["greedy"]["tokens"]) {
    std::string p = piece.get<std::string>();
    if (p.front() == '<' && p.back() == '>') continue;  // <pad>, </s>, <extra_id_N>
    for (size_t at; (at = p.find("\xE2\x96\x81")) != std::string::npos;) p.replace(at, 3, " ");
    expected += p;
  }
  if (!expected.empty() && expected.front() == ' ') expected.erase(0, 1);
  EXPECT_EQ(r.out, expected + "\n");
}

TEST(CliSeq2Seq, ExportsCrossAttentionAsNpyCsvAndBertViz) {
  const json gc = golden_case("marian", "cat");  // Ts = 14, Tt = 13
  const auto dir = testing::temp_dir("cli-seq2seq-export");
  auto export_as = [&](const std::string& format) {
    const std::string out = (dir / ("cross." + std::string(format == "bertviz" ? "json" : format))).string();
    const testing::CliResult r = run_cli({"export", "--model", testing::fixture("marian").string(), "--text", gc["text"].get<std::string>(),
                                          "--target", gc["target_text"].get<std::string>(), "--attention", "cross", "--format", format,
                                          "--out", out, "--layer", "1", "--head", "2"});
    EXPECT_EQ(r.status, 0) << r.err;
    return out;
  };
  const NpyArray npy = parse_npy(testing::read_file(export_as("npy")));
  ASSERT_EQ(npy.shape, (std::vector<std::int64_t>{2, 4, 13, 14}));  // [Ld, H, Tt, Ts]
  const json& golden = gc["cross_attentions"];
  EXPECT_TRUE(testing::all_close(
      "exported cross attention", static_cast<int>(npy.data.size()), [&](int i) { return npy.data[static_cast<size_t>(i)]; },
      [&](int i) { return golden[i / (4 * 13 * 14)][i / (13 * 14) % 4][i / 14 % 13][i % 14].get<float>(); }, 1e-4, 0));
  const std::string csv = testing::read_file(export_as("csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 14);  // a header, then one row per decoder position
  const json bertviz = testing::read_json(export_as("bertviz"));
  EXPECT_EQ(bertviz["encoder_tokens"].size(), 14u);
  EXPECT_EQ(bertviz["decoder_tokens"].size(), 13u);
  EXPECT_EQ(bertviz["cross_attention"][1][2].size(), 13u);
  std::filesystem::remove_all(dir);
}

TEST(CliSeq2Seq, MisuseIsOneLineWithStatus2) {
  const std::string gpt2 = testing::fixture("gpt2").string(), marian = testing::fixture("marian").string();
  const std::vector<std::vector<std::string>> bad = {
      {"run", "--model", gpt2, "--text", "hi", "--target", "salut"},
      {"run", "--model", gpt2, "--text", "hi", "--ablate-cross", "0:0"},
      {"run", "--model", marian, "--text", "hi", "--ablate-cross", "5:0"},
      {"translate", "--model", gpt2, "--text", "hi"},
      {"translate", "--model", marian},
      {"generate", "--model", marian, "--steps", "3"},
      {"export", "--model", gpt2, "--text", "hi", "--attention", "cross", "--format", "npy", "--out", "/tmp/never-written.npy"},
  };
  for (const auto& args : bad) {
    const testing::CliResult r = run_cli(args);
    EXPECT_EQ(r.status, 2) << args[0] << " " << args.back();
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  const testing::CliResult target = run_cli(bad[0]);
  EXPECT_NE(target.err.find("--target needs an encoder-decoder model"), std::string::npos) << target.err;
}

}  // namespace
}  // namespace attnscope
