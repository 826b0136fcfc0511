// The SentencePiece-style tokenizers: llama2.c tokenizer.bin (merge by score,
// as run.c) on hand-checked vocabularies, tok512 and the real Llama-2
// vocabulary, broken files, and Llama tokenizer.json (merge by rank).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "core/error.h"
#include "core/generate.h"
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

using attnscope::testing::ids_of;
using attnscope::testing::llama2c_tokenizer_bin;
using attnscope::testing::stories_dir;

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
  return make_llama2c_tokenizer(llama2c_tokenizer_bin(vocab), static_cast<int>(vocab.size()), add_bos);
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
  std::string good = llama2c_tokenizer_bin({{"<unk>", 0}, {"\n<s>\n", 0}, {"\n</s>\n", 0}, {"a", -1}});
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
    std::string broken = llama2c_tokenizer_bin({{"<unk>", 0}});
    std::memcpy(broken.data() + 8, &bad_length, 4);  // length of token 0
    expect_error(broken, 1, "token 0");
  }
  expect_error(good, 0, "vocab_size");

  const testing::ScopedTempDir dir("l2c-tok");
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

}  // namespace
}  // namespace attnscope
