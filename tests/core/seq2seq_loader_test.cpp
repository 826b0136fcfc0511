// Loading encoder-decoder folders: transformers' defaults for keys the
// fixtures leave out, Marian's computed position table, and one clear Error
// for broken folders built on the fly.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/safetensors.h"
#include "core/safetensors_writer.h"
#include "core/seq2seq.h"
#include "test_support.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;

// A copy of a fixture folder in a temp dir, removed when the test ends.
class BrokenFolder {
 public:
  explicit BrokenFolder(const std::string& fixture) : dir_(testing::temp_dir("seq2seq-" + fixture)) {
    for (const auto& entry : fs::directory_iterator(testing::fixture(fixture)))
      if (entry.path().filename() != "golden.json") fs::copy(entry.path(), dir_ / entry.path().filename());
  }
  ~BrokenFolder() { fs::remove_all(dir_); }
  const fs::path& path() const { return dir_; }

 private:
  fs::path dir_;
};

Error load_error(const fs::path& folder) {
  try {
    load_model(folder);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << folder << " loaded without an error";
  return Error("none");
}

TEST(Seq2SeqLoader, MissingConfigKeysTakeTransformersDefaults) {
  auto t5 = load_model(testing::fixture("t5"));  // no tie_word_embeddings, no relative_attention_max_distance
  ASSERT_TRUE(is_encoder_decoder(*t5));
  EXPECT_EQ(t5->encoder_decoder->config.relative_max_distance, 128);
  EXPECT_EQ(t5->weights.lm_head, t5->weights.token_embedding);             // tied by default
  EXPECT_FLOAT_EQ(t5->encoder_decoder->config.logits_scale, 1.0f / 8.0f);  // d_model**-0.5 for the tied head
  EXPECT_FALSE(t5->encoder_decoder->config.scale_scores);
  auto v1_1 = load_model(testing::fixture("t5-v1_1"));
  EXPECT_NE(v1_1->weights.lm_head, v1_1->weights.token_embedding);
  EXPECT_FLOAT_EQ(v1_1->encoder_decoder->config.logits_scale, 1.0f);
  EXPECT_TRUE(v1_1->encoder_decoder->config.gated_ffn);
  EXPECT_EQ(v1_1->config.activation, Activation::GeluTanh);  // "gated-gelu" means gelu_new
  auto marian = load_model(testing::fixture("marian"));
  EXPECT_FLOAT_EQ(marian->encoder_decoder->config.embedding_scale, 8.0f);
  EXPECT_EQ(marian->config.norm_eps, 1e-5f);
}

TEST(Seq2SeqLoader, ComputedSinusoidTableEqualsTheStoredOne) {
  const TensorStore store = TensorStore::open_folder(testing::fixture("marian"));
  const FloatTensor stored = store.load("model.encoder.embed_positions.weight", {64, 64});
  const std::vector<float> computed = marian_sinusoid_table(64, 64);
  for (size_t i = 0; i < computed.size(); ++i) ASSERT_EQ(computed[i], stored.data[i]) << "element " << i;
}

TEST(Seq2SeqLoader, MarianWithoutTargetSpmIsOneClearError) {
  BrokenFolder folder("marian");
  fs::remove(folder.path() / "target.spm");
  const Error e = load_error(folder.path());
  EXPECT_EQ(e.kind(), ErrorKind::NotFound);
  EXPECT_NE(std::string(e.what()).find("target.spm"), std::string::npos) << e.what();
}

TEST(Seq2SeqLoader, T5HeadsTimesDkvDisagreeingWithTensorsIsOneClearError) {
  BrokenFolder folder("t5");
  auto config = testing::read_json(folder.path() / "config.json");
  config["num_heads"] = 2;  // 2 x 16 = 32 attention dims, but q is [64, 64]
  testing::write_file(folder.path() / "config.json", config.dump());
  const Error e = load_error(folder.path());
  const std::string message = e.what();
  EXPECT_NE(message.find("encoder.block.0.layer.0.SelfAttention"), std::string::npos) << message;
  EXPECT_NE(message.find("model.safetensors"), std::string::npos) << message;
  EXPECT_NE(message.find("2 heads x 16"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(Seq2SeqLoader, StartTokenOutsideTheVocabularyIsOneClearError) {
  BrokenFolder folder("marian");
  auto config = testing::read_json(folder.path() / "config.json");
  config["decoder_start_token_id"] = 9999;
  testing::write_file(folder.path() / "config.json", config.dump());
  const Error e = load_error(folder.path());
  EXPECT_EQ(e.kind(), ErrorKind::OutOfRange);
  EXPECT_NE(std::string(e.what()).find("decoder_start_token_id 9999"), std::string::npos) << e.what();
}

TEST(Seq2SeqLoader, SpiecePathThatIsNotAModelIsOneClearError) {
  BrokenFolder folder("t5");
  testing::write_file(folder.path() / "spiece.model", "not a protobuf");
  const Error e = load_error(folder.path());
  EXPECT_NE(std::string(e.what()).find("spiece.model"), std::string::npos) << e.what();
}

// The folder's weights with element 3 of the first tensor whose name holds
// `part` set to `value`; returns that tensor's name.
std::string poison_weight(const fs::path& folder, const std::string& part, float value) {
  std::vector<NamedTensor> tensors;
  {
    TensorStore store = TensorStore::open_folder(folder);
    for (const auto& name : store.names()) {
      FloatTensor t = store.load(name, store.find(name)->shape);
      tensors.push_back({name, t.shape, std::vector<float>(t.data, t.data + t.numel()), DType::F32});
    }
  }
  std::string poisoned;
  for (NamedTensor& t : tensors)
    if (poisoned.empty() && t.name.find(part) != std::string::npos) {
      t.data[3] = value;
      poisoned = t.name;
    }
  write_safetensors(folder / "model.safetensors", tensors, {}, Overwrite::Allow);
  return poisoned;
}

// vocab.json cut to `keep` entries: the lowest ids, then <pad> (Marian's
// last id) renumbered to close the gap.
void shrink_marian_vocabulary(const fs::path& folder, int keep) {
  nlohmann::json vocab = testing::read_json(folder / "vocab.json"), kept = nlohmann::json::object();
  for (const auto& [piece, id] : vocab.items())
    if (id.get<int>() < keep - 1) kept[piece] = id;
  kept["<pad>"] = keep - 1;
  testing::write_file(folder / "vocab.json", kept.dump());
}

TEST(Seq2SeqLoader, NonFiniteDecoderWeightIsAWarningNamingTheTensor) {
  BrokenFolder folder("marian");
  const std::string tensor = poison_weight(folder.path(), "decoder.layers.1", std::numeric_limits<float>::infinity());
  ASSERT_FALSE(tensor.empty());
  const auto model = load_model(folder.path());  // still inspectable
  ASSERT_EQ(model->warnings.size(), 1u);
  EXPECT_NE(model->warnings[0].find("'" + tensor + "' holds inf at element 3"), std::string::npos) << model->warnings[0];
  EXPECT_TRUE(load_model(testing::fixture("marian"))->warnings.empty());
}

TEST(Seq2SeqLoader, VocabularyFarSmallerThanTheTableIsAnError) {
  BrokenFolder folder("marian");
  shrink_marian_vocabulary(folder.path(), 300);  // of 662: the wrong file, surely
  const Error e = load_error(folder.path());
  EXPECT_EQ(e.kind(), ErrorKind::OutOfRange);
  EXPECT_NE(std::string(e.what()).find("tokenizer has 300 tokens but the model's vocab_size is 662"), std::string::npos)
      << e.what();
}

TEST(Seq2SeqLoader, VocabularySomewhatSmallerThanTheTableIsAWarning) {
  BrokenFolder folder("marian");
  shrink_marian_vocabulary(folder.path(), 500);  // past the padding to 512, within twice
  const auto model = load_model(folder.path());
  ASSERT_FALSE(model->warnings.empty());
  EXPECT_NE(model->warnings[0].find("ids from 500 up are never produced"), std::string::npos) << model->warnings[0];
}

TEST(Seq2SeqLoader, TwoPiecesSharingAnIdAreAnErrorNamingBoth) {
  BrokenFolder folder("marian");
  nlohmann::json vocab = testing::read_json(folder.path() / "vocab.json");
  vocab["zzz-twin"] = vocab.at("</s>");
  testing::write_file(folder.path() / "vocab.json", vocab.dump());
  const std::string message = load_error(folder.path()).what();
  EXPECT_NE(message.find("vocab.json"), std::string::npos) << message;
  EXPECT_NE(message.find("</s>"), std::string::npos) << message;
  EXPECT_NE(message.find("zzz-twin"), std::string::npos) << message;
}

TEST(Seq2SeqLoader, BadRunInputsAreErrors) {
  auto model = load_model(testing::fixture("marian"));
  RunOptions options;
  options.interventions.ablated_cross_heads = {{2, 0}};  // only 2 decoder layers
  EXPECT_THROW(run_translation(model, "Hello", std::string("Bonjour"), options), Error);
  EXPECT_THROW(run_seq2seq_tokens(model, {}, decoder_input_for(*model, "Bonjour"), RunOptions{}), Error);
  std::vector<Token> too_long(65, Token{5, "", "", 0, 0, false});  // 64 positions
  EXPECT_THROW(run_seq2seq_tokens(model, too_long, decoder_input_for(*model, "Bonjour"), RunOptions{}), Error);
}

TEST(Seq2SeqLoader, LongSourceTextIsCutToMariansPositionsKeepingEos) {
  auto model = load_model(testing::fixture("marian"));
  std::string text;
  for (int i = 0; i < 40; ++i) text += "The cat sat. ";
  bool truncated = false;
  auto snap = run_translation(model, text, std::string("Le chat."), RunOptions{}, 8, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(snap->n_tokens, 64);
  EXPECT_EQ(snap->tokens.back().id, model->encoder_decoder->config.eos_id);
}

}  // namespace
}  // namespace attnscope
