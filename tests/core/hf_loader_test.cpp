// Loading Hugging Face folders as users have them: other tensor spellings,
// extra tensors, other dtypes, shards, and broken folders that must each fail
// with an error naming the problem.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/forward.h"
#include "core/model.h"
#include "core/safetensors_writer.h"
#include "test_support.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;
const char* kText = "The animal didn't cross the street because it was too tired!";

// Every tensor of a fixture's checkpoint as floats, for rewriting.
std::vector<NamedTensor> read_tensors(const fs::path& folder) {
  TensorStore store = TensorStore::open_folder(folder);
  std::vector<NamedTensor> out;
  for (const auto& name : store.names()) {
    const TensorInfo* info = store.find(name);
    FloatTensor t = store.load(name, info->shape);
    out.push_back({name, info->shape, std::vector<float>(t.data, t.data + t.numel()), DType::F32});
  }
  return out;
}

// A copy of a fixture folder whose tensors are replaced by `tensors`.
fs::path rewritten_fixture(const std::string& fixture, const std::vector<NamedTensor>& tensors) {
  fs::path dir = testing::temp_dir("hf-" + fixture);
  for (const auto& entry : fs::directory_iterator(testing::fixture(fixture)))
    if (entry.path().filename() != "model.safetensors" && entry.path().filename() != "golden.json")
      fs::copy_file(entry.path(), dir / entry.path().filename());
  if (!tensors.empty()) write_safetensors(dir / "model.safetensors", tensors);
  return dir;
}

std::string load_error(const fs::path& dir) {
  try {
    load_model(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "(loaded without error)";
}

void expect_same_attention(const std::shared_ptr<const Model>& a, const std::shared_ptr<const Model>& b, float tolerance) {
  auto sa = run_text(a, kText, {});
  auto sb = run_text(b, kText, {});
  ASSERT_EQ(sa->n_tokens, sb->n_tokens);
  for (size_t i = 0; i < sa->heads.size(); ++i)
    EXPECT_LE((sa->heads[i].probs - sb->heads[i].probs).cwiseAbs().maxCoeff(), tolerance) << "head " << i;
  ASSERT_FALSE(sa->top.back().empty());
  EXPECT_EQ(sa->top.back()[0].id, sb->top.back()[0].id);
}

TEST(HfLoader, Gpt2WithPrefixAndCausalBuffersLoadsTheSameModel) {
  auto tensors = read_tensors(testing::fixture("gpt2"));
  std::vector<NamedTensor> renamed;
  for (auto t : tensors) {
    t.name = "transformer." + t.name;
    renamed.push_back(t);
  }
  // GPT2LMHeadModel checkpoints also carry mask buffers that inference ignores.
  renamed.push_back({"transformer.h.0.attn.bias", {1, 1, 4, 4}, std::vector<float>(16, 1.0f), DType::F32});
  renamed.push_back({"transformer.h.0.attn.masked_bias", {}, {-1e4f}, DType::F32});
  auto original = load_model(testing::fixture("gpt2"));
  auto prefixed = load_model(rewritten_fixture("gpt2", renamed));
  expect_same_attention(original, prefixed, 0.0f);
}

TEST(HfLoader, BertExtrasAndStoredDecoderAreAccepted) {
  auto tensors = read_tensors(testing::fixture("bert"));
  const NamedTensor* embeddings = nullptr;
  for (const auto& t : tensors)
    if (t.name == "bert.embeddings.word_embeddings.weight") embeddings = &t;
  ASSERT_NE(embeddings, nullptr);
  NamedTensor decoder = *embeddings;
  decoder.name = "cls.predictions.decoder.weight";
  tensors.push_back(decoder);
  tensors.push_back({"bert.pooler.dense.weight", {64, 64}, std::vector<float>(64 * 64, 0.01f), DType::F32});
  tensors.push_back({"bert.pooler.dense.bias", {64}, std::vector<float>(64, 0.0f), DType::F32});
  tensors.push_back({"cls.seq_relationship.weight", {2, 64}, std::vector<float>(128, 0.0f), DType::F32});
  tensors.push_back({"cls.seq_relationship.bias", {2}, {0.0f, 0.0f}, DType::F32});
  expect_same_attention(load_model(testing::fixture("bert")), load_model(rewritten_fixture("bert", tensors)), 0.0f);
}

// F16 and BF16 checkpoints must give exactly what the same rounded weights give in F32.
TEST(HfLoader, HalfPrecisionCheckpointsMatchTheirRoundedValues) {
  for (DType dtype : {DType::F16, DType::BF16}) {
    auto tensors = read_tensors(testing::fixture("llama"));
    for (auto& t : tensors) t.dtype = dtype;
    fs::path half = rewritten_fixture("llama", tensors);
    auto rounded = read_tensors(half);  // the values as stored, widened back to F32
    auto half_model = load_model(half);
    auto f32_model = load_model(rewritten_fixture("llama", rounded));
    expect_same_attention(half_model, f32_model, 0.0f);
  }
}

TEST(HfLoader, ShardedCheckpointLoadsLikeOneFile) {
  auto tensors = read_tensors(testing::fixture("gpt2"));
  fs::path dir = rewritten_fixture("gpt2", {});
  std::vector<NamedTensor> first(tensors.begin(), tensors.begin() + tensors.size() / 2);
  std::vector<NamedTensor> second(tensors.begin() + tensors.size() / 2, tensors.end());
  write_safetensors(dir / "model-00001-of-00002.safetensors", first);
  write_safetensors(dir / "model-00002-of-00002.safetensors", second);
  nlohmann::json index;
  for (const auto& t : first) index["weight_map"][t.name] = "model-00001-of-00002.safetensors";
  for (const auto& t : second) index["weight_map"][t.name] = "model-00002-of-00002.safetensors";
  testing::write_file(dir / "model.safetensors.index.json", index.dump());
  expect_same_attention(load_model(testing::fixture("gpt2")), load_model(dir), 0.0f);
}

TEST(HfLoader, MissingTensorIsNamed) {
  auto tensors = read_tensors(testing::fixture("bert"));
  std::erase_if(tensors, [](const NamedTensor& t) { return t.name == "bert.encoder.layer.1.attention.self.key.weight"; });
  std::string error = load_error(rewritten_fixture("bert", tensors));
  EXPECT_NE(error.find("bert.encoder.layer.1.attention.self.key.weight"), std::string::npos) << error;
  EXPECT_NE(error.find("missing"), std::string::npos) << error;
  EXPECT_NE(error.find("model.safetensors"), std::string::npos) << error;
}

TEST(HfLoader, WrongShapeNamesBothShapes) {
  auto tensors = read_tensors(testing::fixture("llama"));
  for (auto& t : tensors)
    if (t.name == "model.layers.0.self_attn.k_proj.weight") {
      t.shape = {64, 32};
    }
  std::string error = load_error(rewritten_fixture("llama", tensors));
  EXPECT_NE(error.find("model.layers.0.self_attn.k_proj.weight"), std::string::npos) << error;
  EXPECT_NE(error.find("[64, 32]"), std::string::npos) << error;
  EXPECT_NE(error.find("[32, 64]"), std::string::npos) << error;
}

TEST(HfLoader, BadConfigJson) {
  fs::path dir = rewritten_fixture("gpt2", read_tensors(testing::fixture("gpt2")));
  testing::write_file(dir / "config.json", "{\"model_type\": \"gpt2\", ");
  std::string error = load_error(dir);
  EXPECT_NE(error.find("config.json"), std::string::npos) << error;
  EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
}

TEST(HfLoader, UnknownModelType) {
  fs::path dir = rewritten_fixture("gpt2", read_tensors(testing::fixture("gpt2")));
  testing::write_file(dir / "config.json", "{\"model_type\": \"mamba\"}");
  std::string error = load_error(dir);
  EXPECT_NE(error.find("unknown model_type 'mamba'"), std::string::npos) << error;
  EXPECT_NE(error.find("gpt2, bert, distilbert, llama"), std::string::npos) << error;
}

TEST(HfLoader, ConfigFieldErrorsNameTheField) {
  fs::path dir = rewritten_fixture("bert", read_tensors(testing::fixture("bert")));
  auto config = testing::read_json(dir / "config.json");
  config["num_attention_heads"] = -4;
  testing::write_file(dir / "config.json", config.dump());
  std::string error = load_error(dir);
  EXPECT_NE(error.find("num_attention_heads"), std::string::npos) << error;
}

TEST(HfLoader, MissingFolderAndNonModelFolder) {
  EXPECT_NE(load_error("/nonexistent/model").find("no such file or folder"), std::string::npos);
  fs::path empty = testing::temp_dir("empty");
  EXPECT_NE(load_error(empty).find("not a model folder"), std::string::npos);
}

TEST(HfLoader, TruncatedCheckpointIsNamed) {
  fs::path dir = rewritten_fixture("gpt2", read_tensors(testing::fixture("gpt2")));
  std::string bytes = testing::read_file(dir / "model.safetensors");
  testing::write_file(dir / "model.safetensors", bytes.substr(0, bytes.size() / 2));
  std::string error = load_error(dir);
  EXPECT_NE(error.find("model.safetensors"), std::string::npos) << error;
}

}  // namespace
}  // namespace attnscope
