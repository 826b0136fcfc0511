// BERT WordPiece against ids from a port of Hugging Face's tokenizers (the real
// bert-base-uncased vocabulary, from vocab.txt and from tokenizer.json) and the
// fixture models' goldens; then spans back to the original bytes, options,
// hostile inputs and file errors.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "core/error.h"
#include "core/tokenizer.h"
#include "test_support.h"

namespace attnscope {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path bert_dir() { return testing::shared_dir() / "tokenizers" / "bert-base-uncased"; }

const Tokenizer& real_bert() {
  static const std::unique_ptr<Tokenizer> tokenizer = load_wordpiece(bert_dir());
  return *tokenizer;
}

std::vector<int> ids_of(const std::vector<Token>& tokens) {
  std::vector<int> ids;
  for (const Token& t : tokens) ids.push_back(t.id);
  return ids;
}

std::vector<std::string> pieces_of(const std::vector<Token>& tokens) {
  std::vector<std::string> pieces;
  for (const Token& t : tokens) pieces.push_back(t.piece);
  return pieces;
}

std::string span_text(std::string_view text, const Token& t) { return std::string(text.substr(t.start, t.end - t.start)); }

// [CLS] at 0, [SEP] at the end, and every other span inside the text, in
// order and without overlap.
void expect_spans_ordered(std::string_view text, const std::vector<Token>& tokens) {
  ASSERT_GE(tokens.size(), 2u);
  EXPECT_EQ(tokens.front().start, 0u);
  EXPECT_EQ(tokens.front().end, 0u);
  EXPECT_EQ(tokens.back().start, text.size());
  EXPECT_EQ(tokens.back().end, text.size());
  std::size_t previous_end = 0;
  for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
    EXPECT_LE(previous_end, tokens[i].start) << "token " << i;
    EXPECT_LT(tokens[i].start, tokens[i].end) << "token " << i;
    EXPECT_LE(tokens[i].end, text.size()) << "token " << i;
    previous_end = tokens[i].end;
  }
}

void expect_matches_bert_golden(const Tokenizer& tokenizer, const std::string& label) {
  const json golden = testing::read_json(bert_dir() / "golden.json");
  ASSERT_GE(golden.size(), 10u);
  for (const json& c : golden) {
    const std::string text = c["text"];
    const std::vector<Token> tokens = tokenizer.encode(text);
    EXPECT_EQ(ids_of(tokens), c["ids"].get<std::vector<int>>()) << label << ": " << ::testing::PrintToString(text);
    EXPECT_EQ(pieces_of(tokens), c["tokens"].get<std::vector<std::string>>()) << label;
    expect_spans_ordered(text, tokens);
  }
}

TEST(WordPieceTokenizer, BertBaseUncasedFromVocabTxtMatchesGolden) {
  EXPECT_EQ(real_bert().vocab_size(), 30522);
  EXPECT_EQ(real_bert().cls_id, 101);
  EXPECT_EQ(real_bert().sep_id, 102);
  EXPECT_EQ(real_bert().mask_id, 103);
  EXPECT_EQ(real_bert().unk_id, 100);
  EXPECT_EQ(real_bert().pad_id, 0);
  expect_matches_bert_golden(real_bert(), "vocab.txt");
}

TEST(WordPieceTokenizer, BertBaseUncasedFromTokenizerJsonMatchesGolden) {
  const std::string text_json = testing::read_file(bert_dir() / "tokenizer.json");
  expect_matches_bert_golden(*make_tokenizer_from_json(text_json, false), "make_tokenizer_from_json");
  const testing::ScopedTempDir folder("bert-json");
  testing::write_file(folder / "tokenizer.json", text_json);
  expect_matches_bert_golden(*load_wordpiece(folder), "load_wordpiece(tokenizer.json)");
  fs::remove_all(folder);
}

TEST(WordPieceTokenizer, CrlfVocabularyIsTheSame) {
  std::string vocab = testing::read_file(bert_dir() / "vocab.txt");
  std::string crlf;
  for (char c : vocab) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const auto tokenizer = make_wordpiece(crlf, true, true);
  EXPECT_EQ(tokenizer->vocab_size(), 30522);
  expect_matches_bert_golden(*tokenizer, "CRLF vocab.txt");
}

TEST(WordPieceTokenizer, FixtureModelsMatchGoldenIdsAndMaskProbe) {
  for (const char* model : {"bert", "distilbert", "bert-legacy-names"}) {
    const auto tokenizer = load_wordpiece(testing::fixture(model));
    EXPECT_EQ(tokenizer->vocab_size(), 324) << model;
    const json golden = testing::read_json(testing::fixture(model) / "golden.json");
    for (const json& c : golden["cases"]) {
      const std::string text = c["text"];
      const std::vector<Token> tokens = tokenizer->encode(text);
      EXPECT_EQ(ids_of(tokens), c["input_ids"].get<std::vector<int>>()) << model << " " << c["name"];
      EXPECT_EQ(pieces_of(tokens), c["tokens"].get<std::vector<std::string>>()) << model << " " << c["name"];
      expect_spans_ordered(text, tokens);
    }
    const json& mlm = golden["mlm"];
    const std::string text = mlm["text"];
    const std::vector<Token> tokens = tokenizer->encode(text);
    EXPECT_EQ(ids_of(tokens), mlm["input_ids"].get<std::vector<int>>()) << model;
    const Token& mask = tokens.at(mlm["mask_position"].get<std::size_t>());
    EXPECT_EQ(mask.id, tokenizer->mask_id);
    EXPECT_TRUE(mask.special);
    EXPECT_EQ(span_text(text, mask), "[MASK]");
  }
}

TEST(WordPieceTokenizer, SpansPointAtTheOriginalBytes) {
  const auto tokenizer = load_wordpiece(testing::fixture("bert"));
  const json golden = testing::read_json(testing::fixture("bert") / "golden.json");

  const std::string punctuation = golden["cases"][0]["text"];  // "The animal didn't ... WAS too tired!"
  const std::vector<Token> a = tokenizer->encode(punctuation);
  EXPECT_EQ(span_text(punctuation, a[1]), "The");  // piece "the": the span keeps the original case
  EXPECT_EQ(span_text(punctuation, a[2]), "animal");
  EXPECT_EQ(span_text(punctuation, a[3]), "didn");
  EXPECT_EQ(span_text(punctuation, a[4]), "'");
  EXPECT_EQ(span_text(punctuation, a[11]), "WAS");
  EXPECT_EQ(span_text(punctuation, a[14]), "!");

  // "Mia's café in Zürich serves 寿司 — 3 crêpes cost €5."
  const std::string non_ascii = golden["cases"][2]["text"];
  const std::vector<Token> b = tokenizer->encode(non_ascii);
  ASSERT_EQ(pieces_of(b)[4], "cafe");
  EXPECT_EQ(span_text(non_ascii, b[4]), "caf\xC3\xA9");
  ASSERT_EQ(pieces_of(b)[7], "##ur");
  EXPECT_EQ(span_text(non_ascii, b[6]), "Z");
  EXPECT_EQ(span_text(non_ascii, b[7]), "\xC3\xBCr");  // "ür"
  EXPECT_EQ(span_text(non_ascii, b[11]), "\xE5\xAF\xBF");  // 寿
  EXPECT_EQ(span_text(non_ascii, b[12]), "\xE5\x8F\xB8");  // 司 -> [UNK]
  EXPECT_EQ(span_text(non_ascii, b[13]), "\xE2\x80\x94");  // — -> [UNK]
  EXPECT_EQ(span_text(non_ascii, b[16]), "r\xC3\xAA");     // "rê" -> ##re
  EXPECT_EQ(span_text(non_ascii, b[20]), "\xE2\x82\xAC" "5");  // "€5" -> one [UNK]

  // Lowercasing that changes length: "İ" (2 bytes) becomes "i" + U+0307, then the mark is stripped.
  const std::string dotted = "\xC4\xB0t";
  const std::vector<Token> c = real_bert().encode(dotted);
  ASSERT_EQ(pieces_of(c), (std::vector<std::string>{"[CLS]", "it", "[SEP]"}));
  EXPECT_EQ(span_text(dotted, c[1]), dotted);
}

TEST(WordPieceTokenizer, SpecialTokensMatchOnlyWhenTypedExactly) {
  const std::vector<Token> upper = real_bert().encode("a [MASK] b[SEP]");
  EXPECT_EQ(pieces_of(upper), (std::vector<std::string>{"[CLS]", "a", "[MASK]", "b", "[SEP]", "[SEP]"}));
  EXPECT_TRUE(upper[2].special);
  EXPECT_FALSE(upper[1].special);
  EXPECT_EQ(pieces_of(real_bert().encode("[mask]")), (std::vector<std::string>{"[CLS]", "[", "mask", "]", "[SEP]"}));
}

TEST(WordPieceTokenizer, LowercaseAndAccentOptions) {
  const std::string vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nCaf\xC3\xA9\ncaf\xC3\xA9\ncafe\nCafe\n##s\n";
  const std::string text = "Caf\xC3\xA9s";
  EXPECT_EQ(pieces_of(make_wordpiece(vocab, false, false)->encode(text))[1], "Caf\xC3\xA9");
  EXPECT_EQ(pieces_of(make_wordpiece(vocab, true, false)->encode(text))[1], "caf\xC3\xA9");
  EXPECT_EQ(pieces_of(make_wordpiece(vocab, true, true)->encode(text))[1], "cafe");
  EXPECT_EQ(pieces_of(make_wordpiece(vocab, false, true)->encode(text))[1], "Cafe");
  EXPECT_EQ(pieces_of(make_wordpiece(vocab, true, true)->encode(text))[2], "##s");
}

TEST(WordPieceTokenizer, LongWordsAndUnknownRemaindersAreOneUnk) {
  const std::string hundred(100, 'a'), hundred_one(101, 'a');
  const std::vector<Token> ok = real_bert().encode(hundred);
  EXPECT_GT(ok.size(), 3u);
  for (const Token& t : ok) EXPECT_NE(t.id, real_bert().unk_id);
  const std::string text = "x " + hundred_one + " y";
  const std::vector<Token> long_word = real_bert().encode(text);
  ASSERT_EQ(pieces_of(long_word), (std::vector<std::string>{"[CLS]", "x", "[UNK]", "y", "[SEP]"}));
  EXPECT_EQ(span_text(text, long_word[2]), hundred_one);
}

TEST(WordPieceTokenizer, HostileInputs) {
  const std::vector<std::string> inputs = {
      "",
      "   \t\n  ",
      std::string("a\0b \0", 5),
      "\xFF\xFE hello \xE2\x82 \xC0\xAF w\xC3",
      "emoji \xF0\x9F\x99\x82\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD and \xE2\x80\x8B zero-width",
      "\x01\x02\x7F control \xC2\x85 chars",
      "[MASK][MASK][CLS",
  };
  for (const std::string& text : inputs) {
    const std::vector<Token> tokens = real_bert().encode(text);
    expect_spans_ordered(text, tokens);
  }
  EXPECT_EQ(pieces_of(real_bert().encode("")), (std::vector<std::string>{"[CLS]", "[SEP]"}));
  EXPECT_EQ(pieces_of(real_bert().encode("   ")), (std::vector<std::string>{"[CLS]", "[SEP]"}));
  EXPECT_EQ(pieces_of(real_bert().encode(std::string("a\0b", 3))), (std::vector<std::string>{"[CLS]", "ab", "[SEP]"}));
  const std::vector<Token> invalid = real_bert().encode("a\xFF" "b");
  EXPECT_EQ(pieces_of(invalid), (std::vector<std::string>{"[CLS]", "ab", "[SEP]"}));
  EXPECT_EQ(invalid[1].end, 3u);
}

TEST(WordPieceTokenizer, HundredThousandCharactersEncodeFast) {
  std::string words;
  while (words.size() < 100000) words += "unbelievable tokenization caf\xC3\xA9 \xE5\xAF\xBF! ";
  for (const std::string& text : {std::string(100000, 'a'), std::string(100000, ' '), words, std::string(100000, '!')}) {
    const auto begin = std::chrono::steady_clock::now();
    const std::vector<Token> tokens = real_bert().encode(text);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    EXPECT_LT(seconds, 5.0) << text.substr(0, 10);
    expect_spans_ordered(text, tokens);
  }
}

TEST(WordPieceTokenizer, DisplayAndDecode) {
  const int id = real_bert().encode("tabs")[2].id;  // "##s"
  EXPECT_EQ(real_bert().piece(id), "##s");
  EXPECT_EQ(real_bert().display_piece(id), "##s");
  EXPECT_EQ(real_bert().decode_piece(id), "s");
  EXPECT_EQ(real_bert().decode_piece(101), "[CLS]");
  EXPECT_THROW(real_bert().piece(30522), Error);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(WordPieceTokenizer, BrokenFilesAreErrors) {
  EXPECT_NE(error_of([] { make_wordpiece("a\nb\n", true, true); }).find("[UNK]"), std::string::npos);
  EXPECT_NE(error_of([] { load_wordpiece("/nonexistent-folder"); }).find("/nonexistent-folder"), std::string::npos);
  json j = testing::read_json(bert_dir() / "tokenizer.json");
  j["normalizer"]["lowercase"] = "yes";
  EXPECT_NE(error_of([&] { make_tokenizer_from_json(j.dump(), false); }).find("normalizer.lowercase"), std::string::npos);
  j = testing::read_json(bert_dir() / "tokenizer.json");
  j["model"]["vocab"]["hello"] = 1.5;
  EXPECT_NE(error_of([&] { make_tokenizer_from_json(j.dump(), false); }).find("\"hello\""), std::string::npos);
  j = testing::read_json(bert_dir() / "tokenizer.json");
  j["pre_tokenizer"] = {{"type", "Whitespace"}};
  EXPECT_NE(error_of([&] { make_tokenizer_from_json(j.dump(), false); }).find("Whitespace"), std::string::npos);
  EXPECT_NE(error_of([] { make_tokenizer_from_json("{\"model\": 3}", false); }).find("model"), std::string::npos);
  EXPECT_NE(error_of([] { make_tokenizer_from_json("not json", false); }).find("invalid JSON"), std::string::npos);
}

}  // namespace
}  // namespace attnscope
