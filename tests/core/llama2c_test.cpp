// llama2.c checkpoints: the legacy loader with hand-built broken files, and
// greedy generation of stories260K against its published output and an
// independent implementation's per-position logits and attention.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/forward.h"
#include "core/generate.h"
#include "core/llama2c_checkpoint.h"
#include "test_support.h"

namespace attnscope {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using attnscope::testing::read_file;
using attnscope::testing::read_json;
using attnscope::testing::shared_dir;
using attnscope::testing::temp_dir;
using attnscope::testing::write_file;

using attnscope::testing::append;
using attnscope::testing::ids_of;
using attnscope::testing::llama2c_tokenizer_bin;
using attnscope::testing::stories_dir;

// ---------------------------------------------------------------------------
// Checkpoint loading.

// Header {dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len}
// followed by `floats` float32 values 0.001 * i.
std::string checkpoint_bin(const std::array<std::int32_t, 7>& header, size_t floats) {
  std::string out;
  for (std::int32_t v : header) append(out, v);
  for (size_t i = 0; i < floats; i++) append(out, 0.001f * static_cast<float>(i));
  return out;
}

// D 4, F 6, L 1, H 2, Hkv 1, V 8, P 3: Dh 2, kv_dim 2.
constexpr std::array<std::int32_t, 7> kTiny = {4, 6, 1, 2, 1, 8, 3};
// emb 32, rms_att 4, wq 16, wk 8, wv 8, wo 16, rms_ffn 4, w1 24, w2 24, w3 24, rms_final 4, rope 3 + 3
constexpr size_t kTinyFloats = 170;

fs::path tiny_model_dir(const std::string& checkpoint_bytes) {
  fs::path dir = temp_dir("l2c-ckpt");
  write_file(dir / "model.bin", checkpoint_bytes);
  write_file(dir / "tok8.bin", llama2c_tokenizer_bin({{"<unk>", 0}, {"\n<s>\n", 0}, {"\n</s>\n", 0}, {" ", -9},
                                              {"a", -9}, {"b", -9}, {" a", -1}, {"ab", -2}}));
  return dir;
}

std::string load_error(const std::string& checkpoint_bytes) {
  fs::path dir = tiny_model_dir(checkpoint_bytes);
  try {
    load_llama2c(dir / "model.bin");
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find((dir / "model.bin").string()), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "the checkpoint loaded";
  return "";
}

TEST(Llama2cCheckpoint, LoadsStories260K) {
  auto model = load_llama2c(stories_dir() / "stories260K.bin");
  const ModelConfig& c = model->config;
  EXPECT_EQ(c.family, Family::Llama);
  EXPECT_EQ(c.model_type, "llama2c");
  EXPECT_EQ(c.dim, 64);
  EXPECT_EQ(c.ffn_dim, 172);
  EXPECT_EQ(c.n_layers, 5);
  EXPECT_EQ(c.n_heads, 8);
  EXPECT_EQ(c.n_kv_heads, 4);
  EXPECT_EQ(c.head_dim, 8);
  EXPECT_EQ(c.vocab_size, 512);
  EXPECT_EQ(c.max_positions, 512);
  EXPECT_EQ(c.rope, RopeStyle::Interleaved);
  EXPECT_EQ(c.norm, NormKind::RmsNorm);
  EXPECT_EQ(c.activation, Activation::SwiGlu);
  EXPECT_EQ(model->weights.lm_head, model->weights.token_embedding);
  ASSERT_EQ(model->weights.layers.size(), 5u);
  EXPECT_EQ(model->weights.layers[0].wk.out, 32);
  ASSERT_NE(model->tokenizer, nullptr);
  EXPECT_EQ(model->tokenizer->vocab_size(), 512);
  EXPECT_EQ(ids_of(model->tokenizer->encode("a")).front(), 1);  // BOS first, as run.c encodes prompts
  EXPECT_EQ(find_llama2c_checkpoint(stories_dir()), stories_dir() / "stories260K.bin");
}

TEST(Llama2cCheckpoint, TinyLayoutSharedAndUnshared) {
  auto model = load_llama2c(tiny_model_dir(checkpoint_bin(kTiny, kTinyFloats)) / "model.bin");
  const ModelWeights& w = model->weights;
  const LayerWeights& l0 = w.layers.at(0);
  // Offsets in floats: emb 0, rms_att 32, wq 36, wk 52, wv 60, wo 68, rms_ffn 84, w1 88, w2 112, w3 136, final 160.
  EXPECT_EQ(l0.attn_norm.weight, w.token_embedding + 32);
  EXPECT_EQ(l0.wq.w, w.token_embedding + 36);
  EXPECT_EQ(l0.wk.w, w.token_embedding + 52);
  EXPECT_EQ(l0.wv.w, w.token_embedding + 60);
  EXPECT_EQ(l0.wo.w, w.token_embedding + 68);
  EXPECT_EQ(l0.ffn_norm.weight, w.token_embedding + 84);
  EXPECT_EQ(l0.ffn_gate.w, w.token_embedding + 88);
  EXPECT_EQ(l0.ffn_down.w, w.token_embedding + 112);
  EXPECT_EQ(l0.ffn_up.w, w.token_embedding + 136);
  EXPECT_EQ(w.final_norm.weight, w.token_embedding + 160);
  EXPECT_EQ(l0.wk.out, 2);
  EXPECT_EQ(l0.ffn_down.in, 6);
  EXPECT_EQ(l0.ffn_down.stride, 6);
  EXPECT_FALSE(l0.wq.in_out);
  EXPECT_EQ(w.lm_head, w.token_embedding);
  EXPECT_FLOAT_EQ(w.token_embedding[5], 0.005f);

  auto unshared_header = kTiny;
  unshared_header[5] = -8;
  auto unshared = load_llama2c(tiny_model_dir(checkpoint_bin(unshared_header, kTinyFloats + 32)) / "model.bin");
  EXPECT_EQ(unshared->config.vocab_size, 8);
  EXPECT_EQ(unshared->weights.lm_head, unshared->weights.token_embedding + kTinyFloats);
}

TEST(Llama2cCheckpoint, TruncatedOrOversizedFiles) {
  const std::string good = checkpoint_bin(kTiny, kTinyFloats);
  std::string e = load_error(good.substr(0, good.size() - 4));
  EXPECT_NE(e.find("freq_cis_imag"), std::string::npos) << e;
  EXPECT_NE(e.find("708"), std::string::npos) << e;  // expected size 28 + 170 * 4
  e = load_error(good.substr(0, 28 + 4 * 40));       // inside wq (floats 36..52)
  EXPECT_NE(e.find("tensor wq [1][4][4]"), std::string::npos) << e;
  EXPECT_NE(e.find("188"), std::string::npos) << e;  // the actual size
  e = load_error(good.substr(0, 28));
  EXPECT_NE(e.find("token_embedding"), std::string::npos) << e;
  e = load_error(good + std::string(8, '\0'));
  EXPECT_NE(e.find("8 extra"), std::string::npos) << e;
  e = load_error(good.substr(0, 10));
  EXPECT_NE(e.find("header"), std::string::npos) << e;
  auto unshared = kTiny;
  unshared[5] = -8;  // promises a wcls the file lacks
  e = load_error(checkpoint_bin(unshared, kTinyFloats));
  EXPECT_NE(e.find("wcls"), std::string::npos) << e;
}

TEST(Llama2cCheckpoint, BadHeaderValues) {
  auto with = [](int field, std::int32_t value) {
    auto h = kTiny;
    h[static_cast<size_t>(field)] = value;
    return checkpoint_bin(h, kTinyFloats);
  };
  EXPECT_NE(load_error(with(0, 0)).find("dim is 0"), std::string::npos);
  EXPECT_NE(load_error(with(1, -6)).find("hidden_dim is -6"), std::string::npos);
  EXPECT_NE(load_error(with(2, -1)).find("n_layers"), std::string::npos);
  EXPECT_NE(load_error(with(3, 3)).find("not a multiple of n_heads 3"), std::string::npos);
  EXPECT_NE(load_error(with(4, 3)).find("not a multiple of n_kv_heads 3"), std::string::npos);
  EXPECT_NE(load_error(with(5, 0)).find("vocab_size"), std::string::npos);
  EXPECT_NE(load_error(with(5, INT32_MIN)).find("vocab_size"), std::string::npos);
  EXPECT_NE(load_error(with(6, -3)).find("seq_len"), std::string::npos);
  EXPECT_NE(load_error(with(3, 4)).find("odd"), std::string::npos);  // Dh = 1
  EXPECT_NE(load_error(with(0, 0x616b3432)).find("versioned"), std::string::npos);
  // Sizes whose products overflow 64 bits, or are merely far past the end.
  std::string e = load_error(checkpoint_bin({1 << 30, 0x7fffffff, 0x7fffffff, 2, 1, 8, 3}, 4));
  EXPECT_NE(e.find("overflow"), std::string::npos) << e;
  e = load_error(checkpoint_bin({1 << 20, 1 << 20, 1000, 2, 1, 8, 3}, 4));
  EXPECT_NE(e.find("runs past the end"), std::string::npos) << e;
}

TEST(Llama2cCheckpoint, FindsCheckpointAndTokenizer) {
  fs::path dir = tiny_model_dir(checkpoint_bin(kTiny, kTinyFloats));
  EXPECT_EQ(find_llama2c_checkpoint(dir), dir / "model.bin");
  write_file(dir / "other.bin", "x");
  EXPECT_EQ(find_llama2c_checkpoint(dir), std::nullopt);  // two candidates
  fs::remove(dir / "other.bin");
  fs::remove(dir / "model.bin");
  EXPECT_EQ(find_llama2c_checkpoint(dir), std::nullopt);  // only a tokenizer
  EXPECT_EQ(find_llama2c_checkpoint(dir / "missing"), std::nullopt);

  fs::path lonely = temp_dir("l2c-notok");
  write_file(lonely / "model.bin", checkpoint_bin(kTiny, kTinyFloats));
  try {
    load_llama2c(lonely / "model.bin");
    ADD_FAILURE() << "loaded without a tokenizer";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tok8.bin"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------
// Generation.

TEST(Generate, SamplerFollowsRunC) {
  std::uint64_t rng = 42;
  SamplingOptions greedy;
  std::vector<float> tied = {1, 3, 3, 2};
  EXPECT_EQ(sample_next(tied, greedy, rng), 1);  // the first maximum wins
  EXPECT_EQ(rng, 42u);                           // greedy draws no random number

  // probabilities 0.1 0.2 0.3 0.4
  std::vector<float> logits = {std::log(0.1f), std::log(0.2f), std::log(0.3f), std::log(0.4f)};
  SamplingOptions full;
  full.temperature = 1.0f;
  full.top_p = 1.0f;
  std::array<int, 4> counts{};
  const int draws = 20000;
  for (int i = 0; i < draws; i++) counts[static_cast<size_t>(sample_next(logits, full, rng))]++;
  for (int i = 0; i < 4; i++) EXPECT_NEAR(counts[i] / double(draws), 0.1 * (i + 1), 0.015) << i;

  // top_p 0.5 keeps {0.4, 0.3}: the smallest set whose mass exceeds 0.5.
  SamplingOptions nucleus = full;
  nucleus.top_p = 0.5f;
  counts = {};
  for (int i = 0; i < draws; i++) counts[static_cast<size_t>(sample_next(logits, nucleus, rng))]++;
  EXPECT_EQ(counts[0] + counts[1], 0);
  EXPECT_NEAR(counts[3] / double(draws), 4.0 / 7.0, 0.015);
}

TEST(Generate, DecodeStripsSpaceAfterBosOnly) {
  auto tok = load_llama2c_tokenizer(stories_dir() / "tok512.bin", true);
  EXPECT_EQ(decode_generated(*tok, {1, 261, 261}), "a a");
  EXPECT_EQ(decode_generated(*tok, {261, 2, 261}), " a a");
  EXPECT_EQ(decode_generated(*tok, {1, 0x20 + 3}), " ");  // a byte token's space is text
  EXPECT_EQ(decode_generated(*tok, {1, 13}), "\n");
}

class Stories260K : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { model_ = load_llama2c(stories_dir() / "stories260K.bin"); }
  static void TearDownTestSuite() { model_.reset(); }
  static std::shared_ptr<const Model> model_;
};
std::shared_ptr<const Model> Stories260K::model_;

TEST_F(Stories260K, GreedyFromBosReproducesPublishedStory) {
  const json reference = read_json(stories_dir() / "reference_steps.json");
  auto ids = generate_greedy(model_, ids_of(model_->tokenizer->encode("")), 200);
  EXPECT_EQ(ids, reference["greedy_ids"].get<std::vector<int>>());
  // run.c ends its output with a newline.
  EXPECT_EQ(decode_generated(*model_->tokenizer, ids) + "\n", read_file(stories_dir() / "expected_greedy.txt"));
}

TEST_F(Stories260K, PerPositionLogitsAndAttentionMatchReference) {
  const json reference = read_json(stories_dir() / "reference_steps.json");
  const auto greedy = reference["greedy_ids"].get<std::vector<int>>();
  const json& steps = reference["steps"];
  std::vector<Token> tokens;
  for (size_t i = 0; i < steps.size(); i++) tokens.push_back(Token{greedy[i], "", "", 0, 0, false});
  RunOptions options;
  options.keep_logits = true;
  options.predict = RunOptions::Predict::None;
  auto snap = run_tokens(model_, tokens, options);
  ASSERT_EQ(snap->logits.rows(), static_cast<Eigen::Index>(steps.size()));
  ASSERT_EQ(snap->logits.cols(), 512);
  for (const json& step : steps) {
    const int pos = step["pos"].get<int>();
    SCOPED_TRACE("position " + std::to_string(pos));
    EXPECT_EQ(step["input_token"].get<int>(), greedy[static_cast<size_t>(pos)]);
    auto row = snap->logits.row(pos);
    for (const json& pair : step["top5"]) EXPECT_NEAR(row(pair[0].get<int>()), pair[1].get<double>(), 1e-4);
    // The reference's top-5 ids are our five largest logits, in order.
    std::vector<int> order(512);
    for (int i = 0; i < 512; i++) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return row(a) > row(b); });
    for (int k = 0; k < 5; k++) EXPECT_EQ(order[k], step["top5"][k][0].get<int>()) << "rank " << k;
    for (int i = 0; i < 8; i++) EXPECT_NEAR(row(i), step["logits_first8"][i].get<double>(), 1e-4) << "logit " << i;
    const auto& a0 = step["attn_layer0_head0"];
    const auto& a4 = step["attn_layer4_head7"];
    ASSERT_EQ(a0.size(), static_cast<size_t>(pos + 1));
    for (int j = 0; j <= pos; j++) {
      EXPECT_NEAR(snap->head(0, 0).probs(pos, j), a0[j].get<double>(), 1e-4) << "L0 H0 key " << j;
      EXPECT_NEAR(snap->head(4, 7).probs(pos, j), a4[j].get<double>(), 1e-4) << "L4 H7 key " << j;
    }
  }
}

TEST_F(Stories260K, PromptIsKeptAndContinuedGreedily) {
  const auto greedy = read_json(stories_dir() / "reference_steps.json")["greedy_ids"].get<std::vector<int>>();
  auto prompt = ids_of(model_->tokenizer->encode("Once upon a time"));
  auto ids = generate_greedy(model_, prompt, 20);
  EXPECT_EQ(ids, std::vector<int>(greedy.begin(), greedy.begin() + 21));

  int calls = 0;
  auto stopped = generate_greedy(model_, prompt, 20, [&](int) { return ++calls < 3; });
  EXPECT_EQ(stopped, std::vector<int>(greedy.begin(), greedy.begin() + 8));

  SamplingOptions warm;
  warm.temperature = 1.0f;
  warm.seed = 1234;
  auto a = generate(model_, prompt, 30, warm);
  auto b = generate(model_, prompt, 30, warm);
  EXPECT_EQ(a, b);  // a seed reproduces a sample
  EXPECT_EQ(std::vector<int>(a.begin(), a.begin() + 5), prompt);

  EXPECT_THROW(generate_greedy(model_, {}, 10), Error);
  EXPECT_THROW(generate_greedy(model_, {1, 512}, 10), Error);
}

}  // namespace
}  // namespace attnscope
