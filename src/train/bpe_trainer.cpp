// GPT-2 byte-level BPE training: count the words GPT-2's regex cuts, spell
// each with the printable stand-ins of its bytes, learn merges.
#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/tokenizer_specs.h"
#include "core/unicode.h"
#include "train/tokenizer_train.h"

namespace attnscope::train {
namespace {

constexpr const char* kEndOfText = "<|endoftext|>";

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves; the
// other 68 get U+0100 upward in byte order (space -> "Ġ").
std::array<std::string, 256> byte_symbols() {
  std::array<std::string, 256> out;
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    unicode::append_utf8(out[static_cast<size_t>(b)], printable ? static_cast<char32_t>(b) : next++);
  }
  return out;
}

std::string concat(const std::string& left, const std::string& right) { return left + right; }

void write_text(const std::filesystem::path& path, const std::string& text) {
  write_file_atomically(path, text, Overwrite::Allow);
}

}  // namespace

BpeVocabulary train_byte_level_bpe(const std::vector<std::string_view>& texts, int vocab_size, int min_frequency) {
  if (vocab_size < 257) throw Error("BPE vocabulary size must be at least 257 (256 bytes + <|endoftext|>), got " + std::to_string(vocab_size));
  std::unordered_map<std::string, long long> counts;
  for (std::string_view text : texts)
    for (const auto& [start, end] : gpt2_split_words(text)) ++counts[std::string(text.substr(start, end - start))];

  // Distinct words in byte order, so symbol ids do not depend on hashing.
  std::map<std::string, long long> sorted(counts.begin(), counts.end());
  std::vector<WordCount> words;
  words.reserve(sorted.size());
  for (const auto& [word, count] : sorted) {
    WordCount w;
    w.count = count;
    for (unsigned char byte : word) w.symbols.push_back(byte);
    words.push_back(std::move(w));
  }
  const auto symbols_of_bytes = byte_symbols();
  std::vector<std::string> symbols(symbols_of_bytes.begin(), symbols_of_bytes.end());
  const auto merges = learn_merges(words, symbols, static_cast<size_t>(vocab_size - 1), min_frequency, concat);

  BpeVocabulary vocab;
  vocab.pieces = std::move(symbols);
  vocab.pieces.push_back(kEndOfText);
  for (const auto& [a, b] : merges) vocab.merges.emplace_back(vocab.pieces[static_cast<size_t>(a)], vocab.pieces[static_cast<size_t>(b)]);
  return vocab;
}

void save_gpt2_tokenizer(const std::filesystem::path& folder, const BpeVocabulary& vocab, int max_length) {
  std::filesystem::create_directories(folder);
  nlohmann::json ids = nlohmann::json::object();
  for (size_t i = 0; i < vocab.pieces.size(); ++i) ids[vocab.pieces[i]] = static_cast<int>(i);
  write_text(folder / "vocab.json", ids.dump() + "\n");
  std::string merges = "#version: 0.2\n";
  for (const auto& [a, b] : vocab.merges) merges += a + " " + b + "\n";
  write_text(folder / "merges.txt", merges);
  const nlohmann::json config = {{"tokenizer_class", "GPT2Tokenizer"}, {"add_prefix_space", false},
                                 {"bos_token", kEndOfText},           {"eos_token", kEndOfText},
                                 {"unk_token", kEndOfText},           {"model_max_length", max_length}};
  write_text(folder / "tokenizer_config.json", config.dump(2) + "\n");
}

}  // namespace attnscope::train
