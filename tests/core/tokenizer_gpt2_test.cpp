// GPT-2 byte-level BPE against ids from OpenAI's reference algorithm (the real
// 50,257-token vocabulary) and the fixture models' goldens; then spans,
// display strings, both file formats, hostile inputs and file errors.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <thread>

#include "core/error.h"
#include "core/tokenizer.h"
#include "test_support.h"

namespace attnscope {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const Tokenizer& real_gpt2() {
  static const std::unique_ptr<Tokenizer> tokenizer = load_gpt2_bpe(testing::shared_dir() / "tokenizers" / "gpt2");
  return *tokenizer;
}

std::vector<int> ids_of(const std::vector<Token>& tokens) {
  std::vector<int> ids;
  for (const Token& t : tokens) ids.push_back(t.id);
  return ids;
}

// Spans tile the text in order, and each token's bytes are exactly what its id stands for.
void expect_spans_tile(const Tokenizer& tokenizer, std::string_view text, const std::vector<Token>& tokens) {
  std::size_t pos = 0;
  std::string joined;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.special && t.start == t.end) continue;
    ASSERT_EQ(t.start, pos) << "token " << i << " of " << ::testing::PrintToString(std::string(text));
    ASSERT_LE(t.end, text.size());
    ASSERT_LT(t.start, t.end);
    EXPECT_EQ(text.substr(t.start, t.end - t.start), tokenizer.decode_piece(t.id)) << "token " << i;
    joined += tokenizer.decode_piece(t.id);
    pos = t.end;
  }
  EXPECT_EQ(pos, text.size());
  EXPECT_EQ(joined, text);
}

TEST(Gpt2Tokenizer, RealVocabularyMatchesEveryGoldenCase) {
  const json golden = testing::read_json(testing::shared_dir() / "tokenizers" / "gpt2" / "golden.json");
  ASSERT_GE(golden.size(), 10u);
  EXPECT_EQ(real_gpt2().vocab_size(), 50257);
  for (const json& c : golden) {
    const std::string text = c["text"];
    const std::vector<Token> tokens = real_gpt2().encode(text);
    EXPECT_EQ(ids_of(tokens), c["ids"].get<std::vector<int>>()) << ::testing::PrintToString(text);
    expect_spans_tile(real_gpt2(), text, tokens);
  }
}

TEST(Gpt2Tokenizer, FixtureTokenizersMatchGoldenIdsAndPieces) {
  for (const char* model : {"gpt2", "llama"}) {
    const auto tokenizer = load_gpt2_bpe(testing::fixture(model));
    EXPECT_EQ(tokenizer->vocab_size(), 457) << model;
    const json golden = testing::read_json(testing::fixture(model) / "golden.json");
    for (const json& c : golden["cases"]) {
      const std::string text = c["text"];
      const std::vector<Token> tokens = tokenizer->encode(text);
      EXPECT_EQ(ids_of(tokens), c["input_ids"].get<std::vector<int>>()) << model << " " << c["name"];
      std::vector<std::string> pieces;
      for (const Token& t : tokens) pieces.push_back(t.piece);
      EXPECT_EQ(pieces, c["tokens"].get<std::vector<std::string>>()) << model << " " << c["name"];
      expect_spans_tile(*tokenizer, text, tokens);
    }
  }
}

TEST(Gpt2Tokenizer, EscapedAndRawUtf8VocabularyGiveTheSameMap) {
  // gpt2/vocab.json writes "\u0120" escapes, llama/vocab.json raw UTF-8.
  const auto escaped = load_gpt2_bpe(testing::fixture("gpt2"));
  const auto raw = load_gpt2_bpe(testing::fixture("llama"));
  ASSERT_EQ(escaped->vocab_size(), raw->vocab_size());
  for (int id = 0; id < escaped->vocab_size(); ++id) EXPECT_EQ(escaped->piece(id), raw->piece(id)) << id;
  EXPECT_EQ(escaped->piece(220), "\xC4\xA0");  // Ġ
  EXPECT_EQ(escaped->piece(198), "\xC4\x8A");  // Ċ
}

// OpenAI's bpe(): repeatedly merge every occurrence of the lowest-ranked pair.
std::vector<std::string> reference_bpe(const std::vector<std::string>& symbols_in,
                                       const std::map<std::pair<std::string, std::string>, int>& ranks) {
  std::vector<std::string> word = symbols_in;
  while (word.size() > 1) {
    int best = -1;
    std::pair<std::string, std::string> best_pair;
    for (std::size_t i = 0; i + 1 < word.size(); ++i) {
      const auto it = ranks.find({word[i], word[i + 1]});
      if (it != ranks.end() && (best < 0 || it->second < best)) {
        best = it->second;
        best_pair = it->first;
      }
    }
    if (best < 0) break;
    std::vector<std::string> merged;
    for (std::size_t i = 0; i < word.size();) {
      if (i + 1 < word.size() && word[i] == best_pair.first && word[i + 1] == best_pair.second) {
        merged.push_back(word[i] + word[i + 1]);
        i += 2;
      } else {
        merged.push_back(word[i++]);
      }
    }
    word = std::move(merged);
  }
  return word;
}

TEST(Gpt2Tokenizer, HeapMergeAgreesWithOpenAIsRescanOnLongRandomWords) {
  // Lowercase letters only, so the whole string is one pre-tokenized word.
  std::map<std::pair<std::string, std::string>, int> ranks;
  std::ifstream merges(testing::shared_dir() / "tokenizers" / "gpt2" / "merges.txt");
  std::string line;
  std::getline(merges, line);  // #version
  for (int rank = 0; std::getline(merges, line);) {
    const auto space = line.find(' ');
    if (space != std::string::npos) ranks[{line.substr(0, space), line.substr(space + 1)}] = rank++;
  }
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 40; ++trial) {
    std::string word;
    const int length = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < length; ++i) word += static_cast<char>('a' + rng() % (trial % 2 ? 4 : 26));
    std::vector<std::string> symbols;
    for (char c : word) symbols.emplace_back(1, c);
    std::vector<std::string> expected = reference_bpe(symbols, ranks);
    std::vector<std::string> actual;
    for (const Token& t : real_gpt2().encode(word)) actual.push_back(t.piece);
    EXPECT_EQ(actual, expected) << word;
  }
}

TEST(Gpt2Tokenizer, EndOfTextTypedInTheTextIsTheSpecialToken) {
  const std::string text = "Hello<|endoftext|> world";
  const std::vector<Token> tokens = real_gpt2().encode(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].id, 50256);
  EXPECT_TRUE(tokens[1].special);
  EXPECT_EQ(text.substr(tokens[1].start, tokens[1].end - tokens[1].start), "<|endoftext|>");
  EXPECT_EQ(tokens[2].piece, "\xC4\xA0world");
  EXPECT_EQ(real_gpt2().bos_id, 50256);
  EXPECT_EQ(real_gpt2().eos_id, 50256);
  // Nothing is added around the text.
  EXPECT_EQ(ids_of(real_gpt2().encode("Hello")), (std::vector<int>{15496}));
}

TEST(Gpt2Tokenizer, DisplayShowsBytesReadably) {
  const Tokenizer& t = real_gpt2();
  const std::vector<Token> tokens = t.encode(" cat\n");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].piece, "\xC4\xA0" "cat");
  EXPECT_EQ(tokens[0].display, " cat");
  EXPECT_EQ(tokens[1].piece, "\xC4\x8A");
  EXPECT_EQ(tokens[1].display, "\\n");
  // The byte token for 0xE2 is a third of "€": shown as the byte.
  EXPECT_EQ(t.decode_piece(158), "\xE2");
  EXPECT_EQ(t.display_piece(158), "<0xE2>");
  EXPECT_EQ(display_bytes_as_text("a\tb\r\x01\x7f"), "a\\tb\\r<0x01><0x7F>");
  EXPECT_EQ(display_bytes_as_text("\xC2\x85"), "<U+0085>");
  EXPECT_EQ(display_bytes_as_text("caf\xC3\xA9 \xE2\x82"), "caf\xC3\xA9 <0xE2><0x82>");
  EXPECT_THROW(t.piece(50257), Error);
  EXPECT_THROW(t.decode_piece(-1), Error);
}

TEST(Gpt2Tokenizer, SpanInsideAMultiByteCharacterCoversItsBytes) {
  // "寿" is E5 AF BF; the fixture vocabulary has only its single-byte tokens (golden case 2).
  const auto tokenizer = load_gpt2_bpe(testing::fixture("gpt2"));
  const std::string text = "\xE5\xAF\xBF";
  const std::vector<Token> tokens = tokenizer->encode(text);
  ASSERT_EQ(ids_of(tokens), (std::vector<int>{161, 107, 123}));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(tokens[i].start, i);
    EXPECT_EQ(tokens[i].end, i + 1);
  }
  EXPECT_EQ(tokens[0].display, "<0xE5>");
  expect_spans_tile(*tokenizer, text, tokens);
}

TEST(Gpt2Tokenizer, HostileInputsTileTheInput) {
  const std::vector<std::string> inputs = {
      "",
      "     ",
      " \t\n \n\n  ",
      std::string("a\0b\0\0c", 6),
      "\xFF\xFE hello \xE2\x82 \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 end\xE2",
      "emoji \xF0\x9F\x99\x82\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD!",
      "'s's 're 'S ''ll '",
      "\xE2\x80\xA8line\xC2\xA0sep\xE3\x80\x80wide",
  };
  for (const std::string& text : inputs) {
    const std::vector<Token> tokens = real_gpt2().encode(text);
    expect_spans_tile(real_gpt2(), text, tokens);
  }
  EXPECT_TRUE(real_gpt2().encode("").empty());
}

TEST(Gpt2Tokenizer, HundredThousandCharactersEncodeFast) {
  std::mt19937 rng(7);
  std::string mixed;
  const char* parts[] = {"the ", "cat", " ", "\n", "42", "!!", "\xC3\xA9", "\xE5\xAF\xBF", "  ", "\xFF"};
  while (mixed.size() < 100000) mixed += parts[rng() % 10];
  const std::vector<std::string> inputs = {std::string(100000, 'a'), std::string(100000, ' '), mixed,
                                           std::string(100000, '!')};
  for (const std::string& text : inputs) {
    const auto begin = std::chrono::steady_clock::now();
    const std::vector<Token> tokens = real_gpt2().encode(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    EXPECT_LT(seconds, 5.0) << "quadratic behaviour on " << text.substr(0, 10);
    expect_spans_tile(real_gpt2(), text, tokens);
  }
}

TEST(Gpt2Tokenizer, ConcurrentEncodesAgree) {
  // The GUI encodes on a worker thread while other code may encode too; the word cache is shared.
  std::vector<std::string> texts;
  for (int i = 0; i < 50; ++i) texts.push_back("sentence " + std::to_string(i * 7919) + " with words like cat" + std::to_string(i));
  const auto fresh = load_gpt2_bpe(testing::fixture("gpt2"));
  std::vector<std::vector<int>> expected;
  for (const std::string& text : texts) expected.push_back(ids_of(load_gpt2_bpe(testing::fixture("gpt2"))->encode(text)));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int round = 0; round < 20; ++round) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
          if (ids_of(fresh->encode(texts[(i + k) % texts.size()])) != expected[(i + k) % texts.size()]) ++mismatches[k];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int k = 0; k < 4; ++k) EXPECT_EQ(mismatches[k], 0) << "thread " << k;
}

json tokenizer_json_from_fixture(bool merges_as_pairs) {
  const json vocab = testing::read_json(testing::fixture("gpt2") / "vocab.json");
  json merges = json::array();
  std::ifstream in(testing::fixture("gpt2") / "merges.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("#version")) continue;
    const auto space = line.find(' ');
    if (merges_as_pairs) {
      merges.push_back(json::array({line.substr(0, space), line.substr(space + 1)}));
    } else {
      merges.push_back(line);
    }
  }
  return json{{"version", "1.0"},
              {"added_tokens", json::array({{{"id", 456}, {"content", "<|endoftext|>"}, {"special", true}}})},
              {"normalizer", nullptr},
              {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
              {"post_processor", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", false}}},
              {"decoder", {{"type", "ByteLevel"}}},
              {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"vocab", vocab}, {"merges", merges}}}};
}

TEST(Gpt2Tokenizer, TokenizerJsonGivesTheSameIdsInBothMergeFormats) {
  const json golden = testing::read_json(testing::fixture("gpt2") / "golden.json");
  for (bool pairs : {false, true}) {
    const std::string text_json = tokenizer_json_from_fixture(pairs).dump();
    const auto from_text = make_tokenizer_from_json(text_json, false);
    const testing::ScopedTempDir folder("gpt2-json");
    testing::write_file(folder / "tokenizer.json", text_json);
    const auto from_folder = load_gpt2_bpe(folder);
    for (const json& c : golden["cases"]) {
      const std::vector<int> expected = c["input_ids"];
      EXPECT_EQ(ids_of(from_text->encode(c["text"].get<std::string>())), expected) << c["name"];
      EXPECT_EQ(ids_of(from_folder->encode(c["text"].get<std::string>())), expected) << c["name"];
    }
    EXPECT_EQ(from_text->encode("a<|endoftext|>").back().id, 456);
    fs::remove_all(folder);
  }
}

TEST(Gpt2Tokenizer, AddedTokenWithLstripSwallowsTheSpaceBeforeIt) {
  // RoBERTa's "<mask>": {"lstrip": true}, so " <mask>" is one token.
  json j = tokenizer_json_from_fixture(false);
  j["added_tokens"].push_back({{"id", 457}, {"content", "<mask>"}, {"lstrip", true}, {"special", true}});
  const auto tokenizer = make_tokenizer_from_json(j.dump(), false);
  EXPECT_EQ(tokenizer->vocab_size(), 458);
  EXPECT_EQ(tokenizer->mask_id, 457);
  const std::string text = "a  <mask> b";
  const std::vector<Token> tokens = tokenizer->encode(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].id, 457);
  EXPECT_EQ(tokens[1].start, 1u);
  EXPECT_EQ(tokens[1].end, 9u);
  EXPECT_EQ(tokens[2].piece, "\xC4\xA0" "b");
}

TEST(Gpt2Tokenizer, AddPrefixSpaceEncodesAsIfASpaceLeadTheText) {
  json j = tokenizer_json_from_fixture(false);
  j["pre_tokenizer"]["add_prefix_space"] = true;
  const auto tokenizer = make_tokenizer_from_json(j.dump(), false);
  const auto plain = load_gpt2_bpe(testing::fixture("gpt2"));
  const std::vector<Token> tokens = tokenizer->encode("the cat");
  EXPECT_EQ(ids_of(tokens), ids_of(plain->encode(" the cat")));
  ASSERT_FALSE(tokens.empty());
  EXPECT_EQ(tokens[0].start, 0u);
  EXPECT_EQ(tokens[0].end, 3u);  // "the": the added space covers no input byte
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Gpt2Tokenizer, BrokenFilesNameTheFileAndLine) {
  const std::string vocab = R"({"a": 0, "b": 1, "ab": 2, "\u0120": 3})";
  EXPECT_NO_THROW(make_gpt2_bpe(vocab, "#version: 0.2\na b\n\n"));
  EXPECT_NO_THROW(make_gpt2_bpe(vocab, "a b\r\n"));
  EXPECT_NE(error_of([&] { make_gpt2_bpe(vocab, "#version: 0.2\na b\nab\n"); }).find("merges.txt line 3"), std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe(vocab, "a b\nb c\n"); }).find("merges.txt line 2: merge part \"c\" is not in vocab.json"),
            std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe(vocab, "b a\n"); }).find("merged token \"ba\""), std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe(vocab, "a b\n\nab b\n"); }).find("line 2: blank line"), std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe("[1, 2]", ""); }).find("vocab.json"), std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe("{\"a\": ", ""); }).find("vocab.json: invalid JSON"), std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe(R"({"a": -1})", ""); }).find("\"a\""), std::string::npos);
  EXPECT_NE(error_of([&] { make_gpt2_bpe(R"({"a": 9999})", ""); }).find("outside"), std::string::npos);
  EXPECT_NE(error_of([] { load_gpt2_bpe("/nonexistent-folder"); }).find("/nonexistent-folder"), std::string::npos);
  json j = tokenizer_json_from_fixture(false);
  j["model"]["merges"][5] = "Ġt";
  EXPECT_NE(error_of([&] { make_tokenizer_from_json(j.dump(), false); }).find("model.merges[5]"), std::string::npos);
  j = tokenizer_json_from_fixture(false);
  j["model"]["type"] = "Unigram";
  EXPECT_NE(error_of([&] { make_tokenizer_from_json(j.dump(), false); }).find("Unigram"), std::string::npos);
}

TEST(Gpt2Tokenizer, TinyVocabularyWithoutByteSymbolsSkipsUnknownBytes) {
  const auto t = make_gpt2_bpe(R"({"a": 0, "b": 1, "ab": 2})", "a b\n");
  const std::vector<Token> tokens = t->encode("abcab");
  ASSERT_EQ(ids_of(tokens), (std::vector<int>{2, 2}));
  EXPECT_EQ(tokens[1].start, 3u);
  EXPECT_EQ(tokens[1].end, 5u);
}

}  // namespace
}  // namespace attnscope
