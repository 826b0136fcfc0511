// llama2.c support: the SentencePiece-style tokenizers (tokenizer.bin and a
// Llama tokenizer.json), the legacy checkpoint loader with hand-built broken
// files, and greedy generation of stories260K against its published output
// and an independent implementation's per-position logits and attention.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/error.h"
#include "core/forward.h"
#include "core/generate.h"
#include "core/llama2c_checkpoint.h"
#include "core/tokenizer_sentencepiece.h"
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

fs::path stories_dir() { return shared_dir() / "models" / "stories260K"; }

std::vector<int> ids_of(const std::vector<Token>& tokens) {
  std::vector<int> ids;
  for (const Token& t : tokens) ids.push_back(t.id);
  return ids;
}

template <typename T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// A llama2.c tokenizer.bin: int32 max_token_length, then per token
// float32 score, int32 length, bytes.
std::string tokenizer_bin(const std::vector<std::pair<std::string, float>>& tokens) {
  std::string out;
  append<std::int32_t>(out, 16);
  for (const auto& [piece, score] : tokens) {
    append<float>(out, score);
    append<std::int32_t>(out, static_cast<std::int32_t>(piece.size()));
    out += piece;
  }
  return out;
}

std::string byte_name(int b) {
  char name[8];
  std::snprintf(name, sizeof name, "<0x%02X>", b);
  return name;
}

// <unk>, BOS, EOS, 256 byte tokens (ids 3..258), then `extra` from id 259.
std::vector<std::pair<std::string, float>> llama_like_vocab(const std::vector<std::pair<std::string, float>>& extra) {
  std::vector<std::pair<std::string, float>> v = {{"<unk>", 0}, {"\n<s>\n", 0}, {"\n</s>\n", 0}};
  for (int b = 0; b < 256; b++) v.push_back({byte_name(b), 0});
  v.insert(v.end(), extra.begin(), extra.end());
  return v;
}

// ---------------------------------------------------------------------------
// llama2.c tokenizer.bin: hand-checked merges on a vocabulary built here.

// ids: " " 259, a 260, b 261, c 262, ab 263, bc 264, " a" 265, " ab" 266, abc 267, ca 268
std::unique_ptr<Tokenizer> small_llama2c_tokenizer(bool add_bos) {
  auto vocab = llama_like_vocab({{" ", -100}, {"a", -100}, {"b", -100}, {"c", -100}, {"ab", -1}, {"bc", -1},
                                 {" a", -5}, {" ab", -2}, {"abc", -3}, {"ca", -1e11f}});
  return make_llama2c_tokenizer(tokenizer_bin(vocab), static_cast<int>(vocab.size()), add_bos);
}

TEST(Llama2cTokenizer, MergesHighestScoreFirstAndLeftmostOnTies) {
  auto tok = small_llama2c_tokenizer(true);
  // " abc": " a"(-5) ab(-1) bc(-1) -> the tie goes to the left pair ab;
  // then " ab"(-2) beats abc(-3): [" ab", "c"].
  auto tokens = tok->encode("abc");
  EXPECT_EQ(ids_of(tokens), (std::vector<int>{1, 266, 262}));
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_TRUE(tokens[0].special);
  EXPECT_EQ(tokens[0].start, 0u);
  EXPECT_EQ(tokens[0].end, 0u);
  EXPECT_EQ(tokens[1].piece, " ab");
  EXPECT_EQ(tokens[1].display, " ab");
  EXPECT_EQ(tokens[1].start, 0u);  // the dummy space covers no input byte
  EXPECT_EQ(tokens[1].end, 2u);
  EXPECT_EQ(tokens[2].start, 2u);
  EXPECT_EQ(tokens[2].end, 3u);
  EXPECT_FALSE(tokens[1].special);
}

TEST(Llama2cTokenizer, ScoreAtOrBelowMinus1e10NeverMerges) {
  auto tok = small_llama2c_tokenizer(false);
  // " bca": bc(-1) merges; "ca" (-1e11) is never taken, as in run.c.
  auto tokens = tok->encode("bca");
  EXPECT_EQ(ids_of(tokens), (std::vector<int>{259, 264, 260}));
  EXPECT_EQ(tokens[0].start, 0u);
  EXPECT_EQ(tokens[0].end, 0u);  // the unmerged dummy space
  EXPECT_EQ(tokens[1].end, 2u);
}

TEST(Llama2cTokenizer, ByteFallbackAndEmptyText) {
  auto tok = small_llama2c_tokenizer(true);
  // é = C3 A9 is not in the vocabulary: byte tokens 0xC3 + 3, 0xA9 + 3.
  auto tokens = tok->encode("\xC3\xA9");
  EXPECT_EQ(ids_of(tokens), (std::vector<int>{1, 259, 198, 172}));
  EXPECT_EQ(tokens[2].start, 0u);
  EXPECT_EQ(tokens[2].end, 1u);
  EXPECT_EQ(tokens[3].start, 1u);
  EXPECT_EQ(tokens[3].end, 2u);
  EXPECT_EQ(tokens[2].display, "<0xC3>");
  EXPECT_EQ(tok->decode_piece(198), "\xC3");
  EXPECT_EQ(ids_of(tok->encode("")), (std::vector<int>{1}));
  EXPECT_TRUE(small_llama2c_tokenizer(false)->encode("").empty());
  EXPECT_EQ(tok->display_piece(1), "<s>");
  EXPECT_EQ(tok->piece(1), "\n<s>\n");
  EXPECT_THROW(tok->piece(9999), Error);
  EXPECT_THROW(tok->decode_piece(-1), Error);
}

TEST(Llama2cTokenizer, InvalidUtf8BecomesBytes) {
  auto tok = small_llama2c_tokenizer(false);
  // run.c groups a lead byte with at most 3 continuation bytes; the 5th byte
  // starts its own character. Every byte falls back to <0xXX>.
  std::string text = "\xFF\x80\x80\x80\x80" "a";
  auto tokens = tok->encode(text);
  EXPECT_EQ(ids_of(tokens), (std::vector<int>{259, 0xFF + 3, 0x83, 0x83, 0x83, 0x83, 260}));
  for (size_t i = 1; i < tokens.size(); i++) {
    EXPECT_EQ(tokens[i].start, i - 1);
    EXPECT_EQ(tokens[i].end, i);
  }
}

TEST(Llama2cTokenizer, Tok512) {
  auto tok = load_llama2c_tokenizer(stories_dir() / "tok512.bin", true);
  EXPECT_EQ(tok->vocab_size(), 512);
  EXPECT_EQ(tok->bos_id, 1);
  EXPECT_EQ(tok->eos_id, 2);
  // The reference greedy story begins with exactly these ids.
  auto greedy = read_json(stories_dir() / "reference_steps.json")["greedy_ids"].get<std::vector<int>>();
  EXPECT_EQ(ids_of(tok->encode("Once upon a time")), std::vector<int>(greedy.begin(), greedy.begin() + 5));
  EXPECT_EQ(tok->piece(403), " Once");
  // Decoding then re-encoding the published story reproduces its text.
  std::string story = read_file(stories_dir() / "expected_greedy.txt");
  auto tokens = tok->encode(story);
  std::vector<int> ids = ids_of(tokens);
  EXPECT_EQ(decode_generated(*tok, ids), story);
  std::string covered;
  for (const Token& t : tokens) covered += story.substr(t.start, t.end - t.start);
  EXPECT_EQ(covered, story);
}

TEST(Llama2cTokenizer, Llama2Vocabulary) {
  auto tok = load_llama2c_tokenizer(shared_dir() / "tokenizers" / "llama2" / "tokenizer.bin", true);
  EXPECT_EQ(tok->vocab_size(), 32000);
  // run.c's output for this text: BOS, "▁Hello", "▁world".
  EXPECT_EQ(ids_of(tok->encode("Hello world")), (std::vector<int>{1, 15043, 3186}));
  for (std::string text : {"Hello world", "Grüße aus München, ä ö ü!", "寿司 🍣 and 😀 emoji", "  two leading spaces",
                           "tabs\tand\nnewlines\n", "x"}) {
    auto tokens = tok->encode(text);
    EXPECT_EQ(decode_generated(*tok, ids_of(tokens)), text) << text;
    std::string covered;
    for (const Token& t : tokens) covered += text.substr(t.start, t.end - t.start);
    EXPECT_EQ(covered, text) << text;
  }
  // The emoji are not in the vocabulary: they must come out as byte tokens.
  auto emoji = ids_of(tok->encode("😀"));
  int byte_tokens = 0;
  for (int id : emoji) byte_tokens += id >= 3 && id < 259;
  EXPECT_EQ(byte_tokens, 4);
}

TEST(Llama2cTokenizer, BrokenFilesNameTheTokenAndFile) {
  auto expect_error = [](const std::string& bytes, int vocab_size, const std::string& needle) {
    try {
      make_llama2c_tokenizer(bytes, vocab_size, true);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("tokenizer.bin"), std::string::npos) << e.what();
    }
  };
  std::string good = tokenizer_bin({{"<unk>", 0}, {"\n<s>\n", 0}, {"\n</s>\n", 0}, {"a", -1}});
  EXPECT_EQ(make_llama2c_tokenizer(good, 4, true)->vocab_size(), 4);
  expect_error(good.substr(0, 3), 4, "max_token_length");
  std::string negative_max = good;
  std::int32_t minus_one = -1;
  std::memcpy(negative_max.data(), &minus_one, 4);
  expect_error(negative_max, 4, "max_token_length");
  expect_error(good, 5, "token 4");                          // fewer tokens than the model's vocabulary
  expect_error(good.substr(0, good.size() - 5), 4, "token 3");  // record cut inside score/length
  expect_error(good.substr(0, good.size() - 1), 4, "token 3");  // piece cut short
  for (std::int32_t bad_length : {-5, 0x7fffffff}) {
    std::string broken = tokenizer_bin({{"<unk>", 0}});
    std::memcpy(broken.data() + 8, &bad_length, 4);  // length of token 0
    expect_error(broken, 1, "token 0");
  }
  expect_error(good, 0, "vocab_size");

  fs::path dir = temp_dir("l2c-tok");
  write_file(dir / "tok.bin", good.substr(0, good.size() - 1));
  try {
    load_llama2c_tokenizer(dir / "tok.bin", true);
    ADD_FAILURE() << "no error for a truncated tokenizer file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "tok.bin").string()), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------
// tokenizer.json (Hugging Face BPE with byte fallback): merges by rank.

json llama_tokenizer_json() {
  json vocab = json::object();
  vocab["<unk>"] = 0;
  vocab["<s>"] = 1;
  vocab["</s>"] = 2;
  for (int b = 0; b < 256; b++) vocab[byte_name(b)] = 3 + b;
  const std::vector<std::string> extra = {"▁", "a", "b", "c", "▁a", "ab", "▁ab", "bc"};  // 259..266
  for (size_t i = 0; i < extra.size(); i++) vocab[extra[i]] = 259 + static_cast<int>(i);
  json j;
  j["added_tokens"] = json::array({{{"id", 0}, {"content", "<unk>"}, {"special", true}},
                                   {{"id", 1}, {"content", "<s>"}, {"special", true}},
                                   {{"id", 2}, {"content", "</s>"}, {"special", true}}});
  j["normalizer"] = {{"type", "Sequence"},
                     {"normalizers", json::array({{{"type", "Prepend"}, {"prepend", "▁"}},
                                                  {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "▁"}}})}};
  j["pre_tokenizer"] = nullptr;
  j["post_processor"] = {
      {"type", "TemplateProcessing"},
      {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
      {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}};
  j["model"] = {{"type", "BPE"},     {"unk_token", "<unk>"}, {"byte_fallback", true}, {"fuse_unk", true},
                {"vocab", vocab},    {"merges", json::array({"b c", "a b", "▁ ab", json::array({"▁", "a"})})}};
  return j;
}

TEST(SentencePieceJson, MergesByRankNotPosition) {
  auto tok = make_sentencepiece_from_json(llama_tokenizer_json(), false);
  // "▁abc": "b c" has rank 0, so it merges before the leftmost "a b" (rank 1);
  // then only "▁ a" (rank 3) applies: [▁a, bc].
  EXPECT_EQ(ids_of(tok->encode("abc")), (std::vector<int>{1, 263, 266}));
  // "▁ab": "a b" (1) before "▁ a" (3), then "▁ ab" (2).
  EXPECT_EQ(ids_of(tok->encode("ab")), (std::vector<int>{1, 265}));
  auto tokens = tok->encode("a b");  // ▁a ▁ b
  EXPECT_EQ(ids_of(tokens), (std::vector<int>{1, 263, 259, 261}));
  EXPECT_EQ(tokens[1].start, 0u);
  EXPECT_EQ(tokens[1].end, 1u);
  EXPECT_EQ(tokens[2].start, 1u);  // the "▁" that stands for the space
  EXPECT_EQ(tokens[2].end, 2u);
  EXPECT_EQ(tokens[2].display, " ");
  EXPECT_EQ(ids_of(tok->encode("\xC3\xA9")), (std::vector<int>{1, 259, 198, 172}));
  EXPECT_EQ(tok->decode_piece(265), " ab");
  EXPECT_EQ(tok->display_piece(265), " ab");
  EXPECT_EQ(tok->display_piece(1), "<s>");
  EXPECT_EQ(tok->bos_id, 1);
  EXPECT_EQ(tok->eos_id, 2);
  EXPECT_EQ(tok->unk_id, 0);
}

TEST(SentencePieceJson, MetaspaceSplitsWordsAndFlagDecidesBos) {
  json j = llama_tokenizer_json();
  j["normalizer"] = nullptr;
  j["post_processor"] = nullptr;
  j["pre_tokenizer"] = {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "first"}, {"split", true}};
  auto tok = make_sentencepiece_from_json(j, false);
  EXPECT_EQ(ids_of(tok->encode("ab ab")), (std::vector<int>{265, 265}));
  // Already starting with "▁" (from the space): nothing is prepended.
  auto tokens = tok->encode(" ab");
  EXPECT_EQ(ids_of(tokens), (std::vector<int>{265}));
  EXPECT_EQ(tokens[0].end, 3u);
  EXPECT_EQ(ids_of(make_sentencepiece_from_json(j, true)->encode("ab")), (std::vector<int>{1, 265}));
}

TEST(SentencePieceJson, RejectsWhatItCannotRead) {
  auto expect_error = [](const json& j, const std::string& needle) {
    try {
      make_sentencepiece_from_json(j, true);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  json j = llama_tokenizer_json();
  j["model"]["merges"].push_back("c c");
  expect_error(j, "model.merges[4]");
  j = llama_tokenizer_json();
  j["normalizer"] = {{"type", "NFKC"}};
  expect_error(j, "NFKC");
  j = llama_tokenizer_json();
  j["model"]["type"] = "Unigram";
  expect_error(j, "Unigram");
  j = llama_tokenizer_json();
  j["model"]["vocab"]["x"] = 400;  // leaves ids 267..399 empty
  expect_error(j, "id 267");
  j = llama_tokenizer_json();
  j["model"]["vocab"]["x"] = "seven";
  expect_error(j, "model.vocab");
  expect_error(json::array(), "tokenizer.json");
}

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
  write_file(dir / "tok8.bin", tokenizer_bin({{"<unk>", 0}, {"\n<s>\n", 0}, {"\n</s>\n", 0}, {" ", -9},
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
