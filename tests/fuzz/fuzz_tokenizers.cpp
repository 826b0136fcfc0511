// Fuzzes the GPT-2 BPE and WordPiece tokenizers two ways:
//   first byte even: the rest is text for tokenizers built once from small
//     vocabularies made here (no files), and every token's span is checked;
//   first byte odd: the rest is file content, split at the first "\n--\n" into
//     two parts, given to make_gpt2_bpe (vocab.json, merges.txt),
//     make_wordpiece (vocab.txt) and make_tokenizer_from_json; whatever loads
//     then encodes the second part.
// Only attnscope::Error may come out; a broken span invariant aborts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/tokenizer.h"

namespace {

using attnscope::Token;
using attnscope::Tokenizer;

void require(bool condition) {
  if (!condition) std::abort();
}

std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// GPT-2's bytes_to_unicode, so the vocabulary covers every byte.
std::array<std::string, 256> byte_symbols() {
  std::array<std::string, 256> symbols;
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    symbols[b] = utf8(printable ? static_cast<char32_t>(b) : next++);
  }
  return symbols;
}

std::unique_ptr<Tokenizer> small_gpt2() {
  const auto symbols = byte_symbols();
  nlohmann::json vocab = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) vocab[symbols[b]] = b;
  const std::string space = symbols[' '], newline = symbols['\n'];
  const std::vector<std::pair<std::string, std::string>> merges = {
      {space, "t"}, {"h", "e"}, {space + "t", "he"}, {"i", "n"}, {space, "a"}, {"e", "r"}, {space, space},
      {space + space, space + space}, {newline, newline}, {symbols[0xC3], symbols[0xA9]}, {"i", "s"}, {space, "is"}, {"'", "s"}};
  std::string merges_txt = "#version: 0.2\n";
  int next_id = 256;
  for (const auto& [left, right] : merges) {
    merges_txt += left + " " + right + "\n";
    if (!vocab.contains(left + right)) vocab[left + right] = next_id++;
  }
  vocab["<|endoftext|>"] = next_id;
  return attnscope::make_gpt2_bpe(vocab.dump(), merges_txt);
}

std::unique_ptr<Tokenizer> small_wordpiece() {
  std::string vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
  for (char c = 'a'; c <= 'z'; ++c) vocab += std::string(1, c) + "\n##" + std::string(1, c) + "\n";
  for (const char* piece : {"the", "cat", "##ing", "un", "##able", "caf\xC3\xA9", "\xE5\xAF\xBF", "!", ".", "'", "0", "1"}) {
    vocab += std::string(piece) + "\n";
  }
  return attnscope::make_wordpiece(vocab, true, true);
}

std::unique_ptr<Tokenizer> small_wordpiece_json() {
  nlohmann::json vocab = nlohmann::json::object();
  int id = 0;
  for (const char* piece : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "##b", "cat", "\xC3\xA9"}) vocab[piece] = id++;
  const nlohmann::json j = {
      {"added_tokens", {{{"id", 4}, {"content", "[MASK]"}}}},
      {"normalizer", {{"type", "BertNormalizer"}, {"lowercase", false}, {"strip_accents", nullptr}}},
      {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
      {"post_processor", {{"type", "BertProcessing"}, {"cls", {"[CLS]", 2}}, {"sep", {"[SEP]", 3}}}},
      {"model", {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"max_input_chars_per_word", 5}, {"vocab", vocab}}}};
  return attnscope::make_tokenizer_from_json(j.dump(), false);
}

// Spans lie inside the text and never go backwards (two pieces of one
// character, such as the two code points "İ" lowercases to, may share a span);
// ids are in the vocabulary.
void check_tokens(const Tokenizer& tokenizer, std::string_view text, const std::vector<Token>& tokens) {
  std::size_t previous_start = 0, previous_end = 0;
  for (const Token& t : tokens) {
    require(t.id >= 0 && t.id < tokenizer.vocab_size());
    require(t.start <= t.end && t.end <= text.size());
    require(tokenizer.piece(t.id) == t.piece);
    if (t.start == t.end && t.special) continue;
    require(previous_start <= t.start && previous_end <= t.end);
    previous_start = t.start;
    previous_end = t.end;
  }
}

// Byte-level BPE with every byte in the vocabulary: spans tile the text exactly.
void check_tiling(const Tokenizer& tokenizer, std::string_view text, const std::vector<Token>& tokens) {
  std::size_t pos = 0;
  for (const Token& t : tokens) {
    require(t.start == pos);
    require(text.substr(t.start, t.end - t.start) == tokenizer.decode_piece(t.id));
    pos = t.end;
  }
  require(pos == text.size());
}

void fuzz_loaders(std::string_view data) {
  const std::size_t cut = data.find("\n--\n");
  const std::string_view first = data.substr(0, cut);
  const std::string_view second = cut == std::string_view::npos ? std::string_view() : data.substr(cut + 4);
  const auto try_encode = [&](const std::unique_ptr<Tokenizer>& tokenizer) {
    for (std::string_view text : {second, std::string_view("Hello, world! [MASK] <|endoftext|> caf\xC3\xA9")}) {
      check_tokens(*tokenizer, text, tokenizer->encode(text));
    }
    for (int id = 0; id < tokenizer->vocab_size() && id < 64; ++id) {
      tokenizer->piece(id);
      tokenizer->decode_piece(id);
      tokenizer->display_piece(id);
    }
  };
  try {
    try_encode(attnscope::make_gpt2_bpe(first, second));
  } catch (const attnscope::Error&) {
  }
  try {
    try_encode(attnscope::make_wordpiece(first, !second.empty(), second.size() % 2 == 0));
  } catch (const attnscope::Error&) {
  }
  try {
    try_encode(attnscope::make_tokenizer_from_json(first, !second.empty()));
  } catch (const attnscope::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::unique_ptr<Tokenizer> gpt2 = small_gpt2();
  static const std::unique_ptr<Tokenizer> wordpiece = small_wordpiece();
  static const std::unique_ptr<Tokenizer> wordpiece_json = small_wordpiece_json();
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    const std::vector<Token> bpe_tokens = gpt2->encode(input);
    check_tokens(*gpt2, input, bpe_tokens);
    check_tiling(*gpt2, input, bpe_tokens);
    for (const Tokenizer* tokenizer : {wordpiece.get(), wordpiece_json.get()}) {
      const std::vector<Token> tokens = tokenizer->encode(input);
      check_tokens(*tokenizer, input, tokens);
      require(tokens.size() >= 2 && tokens.front().id == 2 && tokens.back().id == 3);
    }
    attnscope::display_bytes_as_text(input);
  } else {
    fuzz_loaders(input);
  }
  return 0;
}
