// Broken inputs, each built on the fly, against attnscope-cli: every one ends
// in exit status 2 with a one-line message that names the problem, or (for
// NaN weights, which may still be inspected) in a warning on stderr. Nothing
// hangs, and no existing file changes.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "core/safetensors.h"
#include "core/safetensors_writer.h"
#include "cli_runner.h"
#include "test_support.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

using Result = testing::CliResult;
using testing::run_cli;

// Status 2, one line, and every fragment in the message.
void expect_refused(const Result& r, std::initializer_list<std::string> fragments) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  for (const std::string& f : fragments) EXPECT_NE(r.err.find(f), std::string::npos) << "no '" << f << "' in: " << r.err;
}

fs::path copy_fixture(const std::string& name, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(testing::fixture(name)))
    if (entry.path().filename() != "golden.json") fs::copy_file(entry.path(), to / entry.path().filename());
  return to;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("'" + from + "' not found");
  return text.replace(at, from.size(), to);
}

// The fixture's weights with one value of the named tensor set to `value`.
void poison_weight(const fs::path& folder, const std::string& suffix, float value) {
  std::vector<NamedTensor> tensors;
  {
    TensorStore store = TensorStore::open_folder(folder);
    for (const auto& name : store.names()) {
      FloatTensor t = store.load(name, store.find(name)->shape);
      tensors.push_back({name, t.shape, std::vector<float>(t.data, t.data + t.numel()), DType::F32});
    }
  }
  bool found = false;
  for (NamedTensor& t : tensors)
    if (t.name.ends_with(suffix)) t.data[3] = value, found = true;
  ASSERT_TRUE(found) << suffix;
  write_safetensors(folder / "model.safetensors", tensors, {}, Overwrite::Allow);
}

TEST(Adversarial, TruncatedSafetensorsIsNamed) {
  testing::ScopedTempDir dir("adv-truncated");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  fs::resize_file(model / "model.safetensors", fs::file_size(model / "model.safetensors") / 2);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"model.safetensors"});
}

TEST(Adversarial, HeaderLengthPastTheEndIsNamed) {
  testing::ScopedTempDir dir("adv-lying");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  std::string bytes = testing::read_file(model / "model.safetensors");
  const std::uint64_t huge = 1ULL << 40;  // the header claims a terabyte
  std::memcpy(bytes.data(), &huge, sizeof huge);
  fs::remove(model / "model.safetensors");
  testing::write_file(model / "model.safetensors", bytes);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"model.safetensors"});
}

TEST(Adversarial, NanWeightsAreAWarningAndGenerateStops) {
  testing::ScopedTempDir dir("adv-nan");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  poison_weight(model, "h.0.mlp.c_fc.weight", std::numeric_limits<float>::quiet_NaN());

  const Result run = run_cli({"run", "--model", model.string(), "--text", "the cat sat"});
  EXPECT_EQ(run.status, 0) << run.err;  // still inspectable
  EXPECT_NE(run.err.find("h.0.mlp.c_fc.weight' holds nan at element 3"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("non-finite value (NaN/Inf) in the output of layer 0 at token position 0"), std::string::npos)
      << run.err;

  const fs::path json = dir / "run.json";
  ASSERT_EQ(run_cli({"run", "--model", model.string(), "--text", "the cat", "--json", json.string()}).status, 0);
  const auto written = testing::read_json(json);
  ASSERT_TRUE(written.contains("warnings"));  // the nulls in the file come with their reason
  EXPECT_NE(written["warnings"][0].get<std::string>().find("layer 0"), std::string::npos) << written["warnings"];

  const fs::path csv = dir / "head.csv";
  const Result exported = run_cli({"export", "--model", model.string(), "--text", "the cat", "--format", "csv", "--out", csv.string()});
  EXPECT_EQ(exported.status, 0) << exported.err;
  EXPECT_NE(exported.err.find("non-finite"), std::string::npos) << exported.err;  // the nan in the file is explained

  const Result generated = run_cli({"generate", "--model", model.string(), "--prompt", "the", "--steps", "3"});
  EXPECT_EQ(generated.status, 2) << generated.err;
  EXPECT_EQ(generated.out, "");  // no bytes printed for NaN logits
  EXPECT_NE(generated.err.find("not finite"), std::string::npos) << generated.err;
}

TEST(Adversarial, InfWeightIsNamedAsInf) {
  testing::ScopedTempDir dir("adv-inf");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  poison_weight(model, "ln_f.bias", -std::numeric_limits<float>::infinity());
  const Result run = run_cli({"run", "--model", model.string(), "--text", "the"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("ln_f.bias' holds -inf at element 3"), std::string::npos) << run.err;
}

TEST(Adversarial, NanInALlama2cCheckpointIsNamed) {
  testing::ScopedTempDir dir("adv-nan-llama2c");
  fs::copy_file(testing::stories_dir() / "tok512.bin", dir / "tok512.bin");
  std::string checkpoint = testing::read_file(testing::stories_dir() / "stories260K.bin");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(checkpoint.data() + 28 + 3 * sizeof(float), &nan, sizeof nan);  // token_embedding[3], past the 28-byte header
  testing::write_file(dir / "model.bin", checkpoint);
  const Result run = run_cli({"run", "--model", (dir / "model.bin").string(), "--text", "Once"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("model.bin: tensor 'token_embedding' holds nan at element 3"), std::string::npos) << run.err;
}

TEST(Adversarial, FifoNamedLikeTheWeightsFailsAtOnce) {
  testing::ScopedTempDir dir("adv-fifo");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  fs::remove(model / "model.safetensors");
  ASSERT_EQ(::mkfifo((model / "model.safetensors").c_str(), 0600), 0);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"model.safetensors", "FIFO"});
  expect_refused(run_cli({"generate", "--model", model.string(), "--steps", "2"}), {"FIFO"});
}

TEST(Adversarial, FifoAsConfigOrTextFileFailsAtOnce) {
  testing::ScopedTempDir dir("adv-fifo-config");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  fs::remove(model / "config.json");
  ASSERT_EQ(::mkfifo((model / "config.json").c_str(), 0600), 0);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"config.json", "FIFO"});
  ASSERT_EQ(::mkfifo((dir / "text.fifo").c_str(), 0600), 0);
  expect_refused(run_cli({"run", "--model", testing::fixture("gpt2").string(), "--text-file", (dir / "text.fifo").string()}),
                 {"--text-file", "text.fifo", "FIFO"});
}

TEST(Adversarial, SymlinkLoopIsReportedAsALoop) {
  testing::ScopedTempDir dir("adv-loop");
  fs::create_symlink(dir / "b", dir / "a");
  fs::create_symlink(dir / "a", dir / "b");
  expect_refused(run_cli({"run", "--model", (dir / "a").string(), "--text", "hi"}), {"symlink loop"});
  const fs::path model = copy_fixture("gpt2", dir / "m");
  fs::remove(model / "vocab.json");
  fs::create_symlink(model / "vocab.json", model / "vocab.json");
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"vocab.json", "symlink loop"});
}

TEST(Adversarial, DuplicateVocabEntryNamesTheLine) {
  testing::ScopedTempDir dir("adv-dup-vocab");
  const fs::path model = copy_fixture("bert", dir / "m");
  const std::string vocab = testing::read_file(model / "vocab.txt");
  fs::remove(model / "vocab.txt");
  // Line 5 becomes a second [CLS], which would silently take another id.
  std::vector<std::string> lines;
  for (size_t pos = 0, nl; pos < vocab.size(); pos = nl + 1) {
    nl = vocab.find('\n', pos);
    if (nl == std::string::npos) nl = vocab.size();
    lines.push_back(vocab.substr(pos, nl - pos));
  }
  const size_t cls_line = static_cast<size_t>(std::find(lines.begin(), lines.end(), "[CLS]") - lines.begin()) + 1;
  const size_t target = cls_line == 5 ? 6 : 5;
  lines[target - 1] = "[CLS]";
  std::string rewritten;
  for (const auto& l : lines) rewritten += l + "\n";
  testing::write_file(model / "vocab.txt", rewritten);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}),
                 {"vocab.txt line " + std::to_string(std::max(target, cls_line)), "duplicate", "[CLS]"});
}

// The fixture's BERT folder with only the first `lines` lines of its vocab.txt (324 in all).
fs::path bert_with_vocab_lines(const fs::path& to, int lines) {
  const fs::path model = copy_fixture("bert", to);
  const std::string vocab = testing::read_file(model / "vocab.txt");
  size_t end = 0;
  for (int line = 0; line < lines; ++line) end = vocab.find('\n', end) + 1;
  fs::remove(model / "vocab.txt");
  testing::write_file(model / "vocab.txt", vocab.substr(0, end));
  return model;
}

TEST(Adversarial, VocabularyFarSmallerThanTheModelIsAnError) {
  testing::ScopedTempDir dir("adv-short-vocab");
  const fs::path model = bert_with_vocab_lines(dir / "m", 100);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"tokenizer has 100 tokens", "vocab_size is 324"});
}

TEST(Adversarial, PaddedEmbeddingsPassAndALargerGapIsAWarning) {
  testing::ScopedTempDir dir("adv-padded-vocab");
  // 300 tokens round up to 384 >= 324: an embedding table padded to a multiple of 128.
  const Result padded = run_cli({"run", "--model", bert_with_vocab_lines(dir / "padded", 300).string(), "--text", "hi"});
  EXPECT_EQ(padded.status, 0) << padded.err;
  EXPECT_EQ(padded.err.find("warning"), std::string::npos) << padded.err;
  // 200 tokens: more than padding explains, yet what Hugging Face accepts.
  const Result gap = run_cli({"run", "--model", bert_with_vocab_lines(dir / "gap", 200).string(), "--text", "hi"});
  EXPECT_EQ(gap.status, 0) << gap.err;
  EXPECT_NE(gap.err.find("warning: " + (dir / "gap").string() + ": tokenizer has 200 tokens but the model's vocab_size is 324"),
            std::string::npos)
      << gap.err;
}

TEST(Adversarial, EmptyMergesIsAnError) {
  testing::ScopedTempDir dir("adv-empty-merges");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  fs::resize_file(model / "merges.txt", 0);
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"merges.txt", "empty"});
}

TEST(Adversarial, AbsurdLayerCountsAreNamedBeforeAnyAllocation) {
  testing::ScopedTempDir dir("adv-layers");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  const std::string config = testing::read_file(model / "config.json");
  fs::remove(model / "config.json");
  testing::write_file(model / "config.json", replace_once(config, "\"n_layer\": 2", "\"n_layer\": 1000000000"));
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}),
                 {"config.json sets 1000000000 layers but the checkpoint holds 2", "h.2.attn.c_proj.weight"});
  fs::remove(model / "config.json");
  testing::write_file(model / "config.json", replace_once(config, "\"n_layer\": 2", "\"n_layer\": 1e7"));
  expect_refused(run_cli({"run", "--model", model.string(), "--text", "hi"}), {"'n_layer' must be an integer, got 10000000.0"});
}

TEST(Adversarial, RunJsonNeverOverwritesWithoutForce) {
  testing::ScopedTempDir dir("adv-overwrite");
  const fs::path model = copy_fixture("gpt2", dir / "m");
  const std::string weights = testing::read_file(model / "model.safetensors");
  const std::string config = testing::read_file(model / "config.json");
  // The model's own files as the output: refused, and both stay as they were.
  expect_refused(run_cli({"run", "--model", model.string(), "--json", (model / "model.safetensors").string()}), {"must end in .json"});
  expect_refused(run_cli({"run", "--model", model.string(), "--json", (model / "config.json").string()}), {"already exists", "--force"});
  EXPECT_EQ(testing::read_file(model / "model.safetensors"), weights);
  EXPECT_EQ(testing::read_file(model / "config.json"), config);

  const fs::path out = dir / "run.json";
  testing::write_file(out, "keep me");
  expect_refused(run_cli({"run", "--model", model.string(), "--json", out.string()}), {"run.json", "already exists"});
  EXPECT_EQ(testing::read_file(out), "keep me");
  const Result forced = run_cli({"run", "--model", model.string(), "--json", out.string(), "--force"});
  EXPECT_EQ(forced.status, 0) << forced.err;
  EXPECT_EQ(testing::read_json(out)["model"]["type"], "gpt2");
  // No temporary file is left beside the output.
  for (const auto& entry : fs::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST(Adversarial, DataOutputsNeedTheirOwnExtension) {
  testing::ScopedTempDir dir("adv-extension");
  const std::string model = testing::fixture("gpt2").string();
  const std::pair<const char*, const char*> wrong[] = {{"npy", "a.png"}, {"csv", "a.json"}, {"bertviz", "a.npy"}, {"npy", "a"}};
  for (const auto& [format, name] : wrong) {
    expect_refused(run_cli({"export", "--model", model, "--format", format, "--out", (dir / name).string()}), {name, "must end in"});
    EXPECT_FALSE(fs::exists(dir / name)) << name;
  }
}

TEST(Adversarial, MissingOutputFolderIsNamed) {
  testing::ScopedTempDir dir("adv-missing-folder");
  const std::string model = testing::fixture("gpt2").string();
  const fs::path out = dir / "no-such-folder" / "out.json";
  expect_refused(run_cli({"run", "--model", model, "--json", out.string()}), {"no-such-folder", "does not exist"});
  expect_refused(run_cli({"export", "--model", model, "--format", "bertviz", "--out", out.string()}), {"does not exist"});
}

TEST(Adversarial, LongTextFromAFileOrStdinIsCutToTheContext) {
  testing::ScopedTempDir dir("adv-long-text");
  std::string text;
  while (text.size() < 300000) text += "the cat sat on the mat. ";  // past a shell argument's 128 KiB
  testing::write_file(dir / "long.txt", text);
  const std::string model = testing::fixture("gpt2").string();
  for (const auto& args : {std::vector<std::string>{"--text-file", (dir / "long.txt").string()},
                           std::vector<std::string>{"--text", "-"}, std::vector<std::string>{"--text-file", "-"}}) {
    std::vector<std::string> command = {"run", "--model", model};
    command.insert(command.end(), args.begin(), args.end());
    const Result r = run_cli(command, (dir / "long.txt").string());
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("note: the text was cut to the model's context of 64 tokens"), std::string::npos) << args[0];
    EXPECT_NE(r.out.find("tokens (64)"), std::string::npos) << r.out.substr(0, 300);
  }
  expect_refused(run_cli({"run", "--model", model, "--text", "a", "--text-file", (dir / "long.txt").string()}),
                 {"either --text or --text-file"});
  expect_refused(run_cli({"export", "--model", model, "--text-file", (dir / "missing.txt").string(), "--format", "csv",
                           "--out", (dir / "a.csv").string()}),
                 {"--text-file", "missing.txt", "no such file"});
}

}  // namespace
}  // namespace attnscope
