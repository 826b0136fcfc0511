// attnscope.json head presets: read when valid, reported (never fatal) when
// not, with messages that name the file and the entry.
#include <gtest/gtest.h>

#include "core/attention_kind.h"
#include "core/error.h"
#include "core/default_model.h"
#include "core/head_presets.h"
#include "core/model.h"
#include "test_support.h"

namespace attnscope {
namespace {

using testing::fixture;
using testing::temp_dir;
using testing::write_file;

std::string error_of(const std::filesystem::path& folder, int layers, int heads) {
  try {
    read_head_presets(folder, layers, heads);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(HeadPresets, ReadsNamedHeads) {
  const testing::ScopedTempDir dir("presets");
  write_file(dir / "attnscope.json",
             R"({"presets":[{"name":"pronoun \u2192 antecedent","layer":1,"head":0},{"name":"previous token","layer":0,"head":1}]})");
  const auto presets = read_head_presets(dir, 2, 2);
  ASSERT_EQ(presets.size(), 2u);
  EXPECT_EQ(presets[0].name, "pronoun \u2192 antecedent");
  EXPECT_EQ(presets[0].layer, 1);
  EXPECT_EQ(presets[0].head, 0);
  EXPECT_EQ(presets[1].name, "previous token");
  EXPECT_TRUE(read_head_presets(temp_dir("no-presets"), 2, 2).empty());
}

TEST(HeadPresets, BadFilesNameTheProblem) {
  const testing::ScopedTempDir dir("bad-presets");
  const auto check = [&](const std::string& json, const std::string& expected) {
    write_file(dir / "attnscope.json", json);
    const std::string message = error_of(dir, 2, 2);
    EXPECT_NE(message.find("attnscope.json"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << json << " -> " << message;
  };
  check("{\"presets\":[", "not valid JSON");
  check("[1,2]", "expected {\"presets\"");
  check(R"({"presets":[{"name":"x","layer":2,"head":0}]})", "outside the model's 2 layers x 2 heads");
  check(R"({"presets":[{"name":"x","layer":0,"head":-1}]})", "outside");
  check(R"({"presets":[{"name":"x","layer":0}]})", "has no \"head\"");
  check(R"({"presets":[{"name":"","layer":0,"head":0}]})", "non-empty string");
  check(R"({"presets":[{"name":"x","layer":0.5,"head":0}]})", "must be integers");
  check(R"({"presets":[{"name":"x","layer":0,"head":0,"head":1}]})", "duplicate key");
}

TEST(HeadPresets, EncoderDecoderPresetsSayWhichAttentionTheyMean) {
  const testing::ScopedTempDir dir("seq2seq-presets");
  std::filesystem::copy(fixture("marian"), dir, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  write_file(dir / "attnscope.json",
             R"({"presets":[{"name":"alignment","layer":1,"head":3,"kind":"cross"},{"name":"encoder","layer":0,"head":0}]})");
  const auto model = load_model(dir);
  EXPECT_EQ(model->presets_problem, "");
  ASSERT_EQ(model->presets.size(), 2u);
  EXPECT_EQ(model->presets[0].kind, AttentionKind::Cross);
  EXPECT_EQ(model->presets[0].layer, 1);
  EXPECT_EQ(model->presets[0].head, 3);
  EXPECT_EQ(model->presets[1].kind, AttentionKind::Self);

  write_file(dir / "attnscope.json", R"({"presets":[{"name":"alignment","layer":2,"head":0,"kind":"cross"}]})");
  EXPECT_NE(load_model(dir)->presets_problem.find("outside the model's 2 layers x 4 heads"), std::string::npos);
  write_file(dir / "attnscope.json", R"({"presets":[{"name":"alignment","layer":0,"head":0,"kind":"sideways"}]})");
  EXPECT_NE(load_model(dir)->presets_problem.find("\"kind\" must be"), std::string::npos);
}

TEST(HeadPresets, ADecoderPresetOnAnEncoderOnlyModelIsNamed) {
  const testing::ScopedTempDir dir("encoder-only-presets");
  write_file(dir / "attnscope.json", R"({"presets":[{"name":"x","layer":0,"head":0,"kind":"cross"}]})");
  EXPECT_NE(error_of(dir, 2, 2).find("has no cross attention"), std::string::npos) << error_of(dir, 2, 2);
}

TEST(HeadPresets, ABadFileDoesNotStopTheModelLoading) {
  const testing::ScopedTempDir dir("model-bad-presets");
  std::filesystem::copy(fixture("bert"), dir, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  write_file(dir / "attnscope.json", R"({"presets":[{"name":"x","layer":99,"head":0}]})");
  const auto model = load_model(dir);
  EXPECT_TRUE(model->presets.empty());
  EXPECT_NE(model->presets_problem.find("layer 99"), std::string::npos) << model->presets_problem;

  write_file(dir / "attnscope.json", R"({"presets":[{"name":"first","layer":0,"head":1}]})");
  const auto good = load_model(dir);
  ASSERT_EQ(good->presets.size(), 1u);
  EXPECT_EQ(good->presets[0].head, 1);
  EXPECT_TRUE(good->presets_problem.empty());
}


TEST(HeadPresets, ReadsTheMeasuredAccuracyAndItsProbe) {
  const testing::ScopedTempDir dir("presets-accuracy");
  write_file(dir / "attnscope.json",
             R"j({"presets":[{"name":"pronoun","layer":1,"head":0,"heldout_accuracy":0.988,"probe":"new sentences (seed 8)"},)j"
             R"j({"name":"previous token","layer":0,"head":1}]})j");
  std::vector<std::string> warnings;
  const auto presets = read_head_presets(dir, 2, 2, &warnings);
  ASSERT_EQ(presets.size(), 2u);
  ASSERT_TRUE(presets[0].heldout_accuracy.has_value());
  EXPECT_DOUBLE_EQ(*presets[0].heldout_accuracy, 0.988);
  EXPECT_EQ(presets[0].probe, "new sentences (seed 8)");
  EXPECT_FALSE(presets[1].heldout_accuracy.has_value());  // the field stays optional
  EXPECT_TRUE(presets[1].probe.empty());
  EXPECT_TRUE(warnings.empty());
}

TEST(HeadPresets, AnUnusableAccuracyIsIgnoredWithAWarningNamingIt) {
  const testing::ScopedTempDir dir("presets-bad-accuracy");
  for (const std::string value : {"98.8", "-0.1", "\"high\"", "null", "[0.5]"}) {
    write_file(dir / "attnscope.json",
               R"({"presets":[{"name":"pronoun","layer":1,"head":0,"heldout_accuracy":)" + value + "}]}");
    std::vector<std::string> warnings;
    const auto presets = read_head_presets(dir, 2, 2, &warnings);
    ASSERT_EQ(presets.size(), 1u) << value;  // the preset itself still loads
    EXPECT_FALSE(presets[0].heldout_accuracy.has_value()) << value;
    ASSERT_EQ(warnings.size(), 1u) << value;
    EXPECT_NE(warnings[0].find("attnscope.json"), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find("pronoun"), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[0].find("from 0 to 1"), std::string::npos) << warnings[0];
  }
  write_file(dir / "attnscope.json", R"({"presets":[{"name":"pronoun","layer":1,"head":0,"probe":7}]})");
  std::vector<std::string> warnings;
  EXPECT_TRUE(read_head_presets(dir, 2, 2, &warnings).at(0).probe.empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("\"probe\""), std::string::npos) << warnings[0];
}

TEST(HeadPresets, ShippedModelsCarryTheirHeldOutNumbers) {
  std::filesystem::path models;
  for (const auto& folder : default_model_folders())
    if (folder.filename() == "attnscope-tiny-bert") models = folder.parent_path();
  ASSERT_FALSE(models.empty()) << "the shipped models were not found";
  std::vector<std::string> warnings;
  const auto bert = read_head_presets(models / "attnscope-tiny-bert", 4, 4, &warnings);
  ASSERT_FALSE(bert.empty());
  EXPECT_EQ(bert[0].layer, 3);
  EXPECT_EQ(bert[0].head, 0);
  ASSERT_TRUE(bert[0].heldout_accuracy.has_value());
  EXPECT_DOUBLE_EQ(*bert[0].heldout_accuracy, 0.980);  // docs/default-models.md, new sentences, seed 8
  ASSERT_EQ(bert.size(), 4u);
  EXPECT_EQ(bert[3].name, "verb \u2192 subject");
  ASSERT_TRUE(bert[3].heldout_accuracy.has_value());
  EXPECT_DOUBLE_EQ(*bert[3].heldout_accuracy, 1.0);  // the same, on the subject probe
  const auto translate = read_head_presets(models / "attnscope-tiny-translate", HeadGrids{{{2, 4}, {2, 4}, {2, 4}}}, &warnings);
  ASSERT_EQ(translate.size(), 1u);
  ASSERT_TRUE(translate[0].heldout_accuracy.has_value());
  EXPECT_DOUBLE_EQ(*translate[0].heldout_accuracy, 0.937);  // docs/translation-model.md, held-out links
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace attnscope
