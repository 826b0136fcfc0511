// WordPiece training. Words come from the engine's own BERT pre-tokenizer: a
// WordPiece tokenizer whose vocabulary holds only the special tokens turns
// every word into one [UNK] whose span is exactly that word, so the rules for
// whitespace, punctuation and CJK stay in one place. Each word is then
// lowercased with accents stripped, as BertNormalizer does.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/tokenizer.h"
#include "core/unicode.h"
#include "train/tokenizer_train.h"

namespace attnscope::train {
namespace {

const std::vector<std::string> kSpecials = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
constexpr const char* kPrefix = "##";

// Lowercase, NFD, drop nonspacing marks and control characters.
std::u32string normalize(std::string_view word) {
  std::u32string lower, decomposed, out;
  for (const auto& cp : unicode::decode_utf8(word)) unicode::append_lowercase(cp.value, lower);
  for (char32_t c : lower) unicode::append_canonical_decomposition(c, decomposed);
  for (char32_t c : decomposed)
    if (!unicode::is_nonspacing_mark(c) && !unicode::is_other(c)) out.push_back(c);
  return out;
}

std::string utf8(char32_t c) {
  std::string s;
  unicode::append_utf8(s, c);
  return s;
}

std::string join_wordpiece(const std::string& left, const std::string& right) {
  return left + (right.starts_with(kPrefix) ? right.substr(2) : right);
}

}  // namespace

std::vector<std::string> train_wordpiece(const std::vector<std::string_view>& texts, int vocab_size, int min_frequency) {
  std::string specials_only;
  for (const auto& s : kSpecials) specials_only += s + "\n";
  const auto splitter = make_wordpiece(specials_only, true, true);

  std::unordered_map<std::u32string, long long> counts;
  for (std::string_view text : texts) {
    // Line by line keeps the token list small for large documents.
    for (size_t pos = 0; pos < text.size();) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(pos, end - pos);
      for (const Token& t : splitter->encode(line)) {
        if (t.special || t.end <= t.start) continue;
        std::u32string word = normalize(line.substr(t.start, t.end - t.start));
        if (!word.empty()) ++counts[std::move(word)];
      }
      pos = end + 1;
    }
  }

  // The alphabet: every character seen min_frequency times, plus all of
  // printable ASCII so that plain English text never needs [UNK].
  std::map<char32_t, long long> char_counts;
  for (const auto& [word, count] : counts)
    for (char32_t c : word) char_counts[c] += count;
  std::set<char32_t> alphabet;
  for (char32_t c = '!'; c <= '~'; ++c)
    if (c < 'A' || c > 'Z') alphabet.insert(c);
  for (const auto& [c, count] : char_counts)
    if (count >= min_frequency) alphabet.insert(c);

  std::vector<std::string> symbols = kSpecials;
  std::unordered_map<std::string, int> id_of;
  for (char32_t c : alphabet)
    for (const std::string& piece : {utf8(c), kPrefix + utf8(c)}) {
      id_of.emplace(piece, static_cast<int>(symbols.size()));
      symbols.push_back(piece);
    }
  if (static_cast<int>(symbols.size()) > vocab_size)
    throw Error("WordPiece vocabulary size " + std::to_string(vocab_size) + " is smaller than the " +
                std::to_string(symbols.size()) + " special tokens and characters");

  std::map<std::u32string, long long> sorted(counts.begin(), counts.end());
  std::vector<WordCount> words;
  for (const auto& [word, count] : sorted) {
    WordCount w;
    w.count = count;
    bool known = true;
    for (size_t i = 0; i < word.size() && known; ++i) {
      const auto it = id_of.find((i > 0 ? kPrefix : "") + utf8(word[i]));
      known = it != id_of.end();
      if (known) w.symbols.push_back(it->second);
    }
    if (known) words.push_back(std::move(w));
  }
  learn_merges(words, symbols, static_cast<size_t>(vocab_size), min_frequency, join_wordpiece);
  return symbols;
}

void save_wordpiece(const std::filesystem::path& folder, const std::vector<std::string>& vocab, int max_length) {
  std::filesystem::create_directories(folder);
  std::string text;
  for (const auto& piece : vocab) text += piece + "\n";
  const auto vocab_path = folder / "vocab.txt";
  write_file_atomically(vocab_path, text, Overwrite::Allow);
  const nlohmann::json config = {{"tokenizer_class", "BertTokenizer"}, {"do_lower_case", true},
                                 {"strip_accents", nullptr},          {"tokenize_chinese_chars", true},
                                 {"unk_token", "[UNK]"},              {"cls_token", "[CLS]"},
                                 {"sep_token", "[SEP]"},              {"pad_token", "[PAD]"},
                                 {"mask_token", "[MASK]"},            {"model_max_length", max_length}};
  const auto config_path = folder / "tokenizer_config.json";
  write_file_atomically(config_path, config.dump(2) + "\n", Overwrite::Allow);
}

}  // namespace attnscope::train
