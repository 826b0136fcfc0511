// BERT's WordPiece, as Hugging Face's BertNormalizer + BertPreTokenizer + WordPiece:
//   1. cut out special tokens typed literally ("[MASK]"), case-sensitive, before
//      any normalization,
//   2. normalize: drop NUL, U+FFFD and control characters (C* except tab, newline,
//      CR); whitespace becomes ' '; CJK ideographs become one-character words;
//      strip accents (NFD, drop Mn); lowercase (full mapping),
//   3. split on whitespace and around every punctuation character,
//   4. greedy longest-match-first inside each word, continuations prefixed "##";
//      a word with an unmatchable remainder, or over 100 characters, is [UNK].
// Normalization changes lengths ("É" is 2 bytes, "e" is 1; "İ" lowercases to two
// code points), so every normalized character carries the byte range of the input
// character it came from, and a token's span is the union of its characters' ranges.
#include <algorithm>
#include <span>

#include "error.h"
#include "regular_file.h"
#include "tokenizer_specs.h"
#include "unicode.h"

namespace attnscope {

namespace {

// A character after normalization and the input bytes [start, end) it came from.
struct NormalizedChar {
  char32_t value;
  std::size_t start, end;
};

bool is_bert_punctuation(char32_t c) {
  // ASCII symbols such as $ + < = > ^ ` | ~ are not Unicode P*, but BERT splits them too.
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  return c >= 0x80 && unicode::is_punctuation(c);
}

class WordPieceTokenizer final : public Tokenizer {
 public:
  explicit WordPieceTokenizer(const WordPieceSpec& spec);

  std::vector<Token> encode(std::string_view text) const override;
  int vocab_size() const override { return static_cast<int>(pieces_.size()); }
  std::string piece(int id) const override { return pieces_[checked(id)]; }
  std::string decode_piece(int id) const override {
    const std::string& p = pieces_[checked(id)];
    return p.starts_with(prefix_) ? p.substr(prefix_.size()) : p;
  }
  // BertViz shows "##ing" as it is: the mark says the piece continues a word.
  std::string display_piece(int id) const override { return pieces_[checked(id)]; }

 private:
  std::size_t checked(int id) const {
    if (id < 0 || id >= vocab_size()) {
      throw Error(source_ + ": token id " + std::to_string(id) + " is outside 0.." + std::to_string(vocab_size() - 1));
    }
    return static_cast<std::size_t>(id);
  }
  Token make_token(int id, std::size_t start, std::size_t end, bool special) const {
    const std::string& p = pieces_[static_cast<std::size_t>(id)];
    return Token{id, p, p, start, end, special};
  }
  void normalize(std::string_view run, std::size_t base, std::vector<NormalizedChar>& out) const;
  void encode_run(std::string_view run, std::size_t base, std::vector<Token>& tokens) const;
  void encode_word(std::span<const NormalizedChar> word, std::vector<Token>& tokens) const;

  std::string source_;
  std::vector<std::string> pieces_;  // [V]
  StringIdMap id_of_piece_;
  std::size_t longest_piece_bytes_ = 0;
  std::string prefix_;
  std::size_t max_input_chars_per_word_;
  bool clean_text_, handle_chinese_chars_, strip_accents_, lowercase_;
  std::vector<AddedToken> added_;
  std::vector<int> prefix_ids_, suffix_ids_;
};

WordPieceTokenizer::WordPieceTokenizer(const WordPieceSpec& spec)
    : source_(spec.source),
      prefix_(spec.continuing_prefix),
      max_input_chars_per_word_(spec.max_input_chars_per_word),
      clean_text_(spec.clean_text),
      handle_chinese_chars_(spec.handle_chinese_chars),
      strip_accents_(spec.strip_accents),
      lowercase_(spec.lowercase) {
  for (const AddedToken& token : spec.added_tokens) {
    if (!token.content.empty()) added_.push_back(token);
  }
  pieces_ = pieces_by_id(spec.vocab, added_, spec.source);
  // Python's load_vocab and Hugging Face both let a repeated line win.
  for (const auto& [piece, id] : spec.vocab) {
    id_of_piece_.insert_or_assign(piece, id);
    longest_piece_bytes_ = std::max(longest_piece_bytes_, piece.size());
  }
  for (const AddedToken& token : added_) id_of_piece_.try_emplace(token.content, token.id);

  const auto find = [&](const std::string& name) {
    const auto it = id_of_piece_.find(name);
    return it == id_of_piece_.end() ? -1 : it->second;
  };
  unk_id = find(spec.unk_token);
  if (unk_id < 0) throw Error(spec.source + ": the unknown token " + quote_for_error(spec.unk_token) + " is not in the vocabulary");
  cls_id = find(spec.cls_token);
  sep_id = find(spec.sep_token);
  mask_id = find(spec.mask_token);
  pad_id = find(spec.pad_token);
  for (const std::string* name : {&spec.pad_token, &spec.unk_token, &spec.cls_token, &spec.sep_token, &spec.mask_token}) {
    const int id = find(*name);
    const bool listed = std::any_of(added_.begin(), added_.end(), [&](const AddedToken& t) { return t.content == *name; });
    if (id >= 0 && !name->empty() && !listed) added_.push_back({*name, id});
  }
  prefix_ids_ = spec.prefix_ids.value_or(cls_id >= 0 ? std::vector<int>{cls_id} : std::vector<int>{});
  suffix_ids_ = spec.suffix_ids.value_or(sep_id >= 0 ? std::vector<int>{sep_id} : std::vector<int>{});
  for (const auto* ids : {&prefix_ids_, &suffix_ids_}) {
    for (int id : *ids) checked(id);
  }
}

std::vector<Token> WordPieceTokenizer::encode(std::string_view text) const {
  return encode_between_added_tokens(
      text, prefix_ids_, added_, suffix_ids_,
      [this](int id, std::size_t start, std::size_t end, bool special) { return make_token(id, start, end, special); },
      [this](std::string_view run, std::size_t base, std::vector<Token>& tokens) { encode_run(run, base, tokens); });
}

void WordPieceTokenizer::normalize(std::string_view run, std::size_t base, std::vector<NormalizedChar>& out) const {
  std::vector<NormalizedChar> cleaned;
  cleaned.reserve(run.size());
  for (const unicode::CodePoint& cp : unicode::decode_utf8(run, base)) {
    char32_t c = cp.value;
    if (clean_text_) {
      const bool kept_control = c == '\t' || c == '\n' || c == '\r';
      if (c == 0 || c == unicode::kReplacement || (unicode::is_other(c) && !kept_control)) continue;
      if (unicode::is_white_space(c) || unicode::is_space_separator(c)) c = ' ';
    }
    if (handle_chinese_chars_ && unicode::is_cjk_ideograph(c)) {
      cleaned.push_back({' ', cp.start, cp.start});
      cleaned.push_back({c, cp.start, cp.end});
      cleaned.push_back({' ', cp.end, cp.end});
    } else {
      cleaned.push_back({c, cp.start, cp.end});
    }
  }

  std::u32string mapped;
  if (strip_accents_) {
    std::vector<NormalizedChar> decomposed;
    decomposed.reserve(cleaned.size());
    for (const NormalizedChar& ch : cleaned) {
      mapped.clear();
      unicode::append_canonical_decomposition(ch.value, mapped);
      for (char32_t d : mapped) decomposed.push_back({d, ch.start, ch.end});
    }
    // Canonical ordering finishes NFD: combining marks sort by combining class.
    const auto by_class = [](const NormalizedChar& a, const NormalizedChar& b) {
      return unicode::combining_class(a.value) < unicode::combining_class(b.value);
    };
    for (std::size_t i = 0; i < decomposed.size();) {
      std::size_t j = i;
      while (j < decomposed.size() && unicode::combining_class(decomposed[j].value) != 0) ++j;
      if (j - i > 1) {
        const auto first = decomposed.begin() + static_cast<std::ptrdiff_t>(i);
        const auto last = decomposed.begin() + static_cast<std::ptrdiff_t>(j);
        std::stable_sort(first, last, by_class);
        // Marks from different input characters may have swapped places; giving
        // the run one shared span keeps token spans in input order.
        std::size_t start = first->start, end = first->end;
        for (auto it = first; it != last; ++it) start = std::min(start, it->start), end = std::max(end, it->end);
        for (auto it = first; it != last; ++it) it->start = start, it->end = end;
      }
      i = j > i ? j : i + 1;
    }
    cleaned.clear();
    for (const NormalizedChar& ch : decomposed) {
      if (!unicode::is_nonspacing_mark(ch.value)) cleaned.push_back(ch);
    }
  }
  if (!lowercase_) {
    out = std::move(cleaned);
    return;
  }
  out.reserve(cleaned.size());
  for (const NormalizedChar& ch : cleaned) {
    mapped.clear();
    unicode::append_lowercase(ch.value, mapped);
    for (char32_t l : mapped) out.push_back({l, ch.start, ch.end});
  }
}

void WordPieceTokenizer::encode_run(std::string_view run, std::size_t base, std::vector<Token>& tokens) const {
  std::vector<NormalizedChar> chars;
  normalize(run, base, chars);
  const std::span<const NormalizedChar> all(chars);
  std::size_t word_start = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const char32_t c = chars[i].value;
    const bool space = unicode::is_white_space(c);
    const bool punctuation = !space && is_bert_punctuation(c);
    if (!space && !punctuation) {
      if (!in_word) word_start = i;
      in_word = true;
      continue;
    }
    if (in_word) encode_word(all.subspan(word_start, i - word_start), tokens);
    in_word = false;
    if (punctuation) encode_word(all.subspan(i, 1), tokens);
  }
  if (in_word) encode_word(all.subspan(word_start), tokens);
}

void WordPieceTokenizer::encode_word(std::span<const NormalizedChar> word, std::vector<Token>& tokens) const {
  const auto span_of = [&](std::size_t first, std::size_t last) {
    std::size_t start = word[first].start, end = word[first].end;
    for (std::size_t k = first + 1; k < last; ++k) {
      start = std::min(start, word[k].start);
      end = std::max(end, word[k].end);
    }
    return std::pair{start, end};
  };
  const std::size_t n = word.size();
  const auto unknown_word = [&] {
    const auto [start, end] = span_of(0, n);
    tokens.push_back(make_token(unk_id, start, end, false));
  };
  if (n > max_input_chars_per_word_) return unknown_word();

  std::string text;                       // the word in UTF-8
  std::vector<std::size_t> offsets(n + 1);  // byte offset of each character in `text`
  for (std::size_t k = 0; k < n; ++k) {
    offsets[k] = text.size();
    unicode::append_utf8(text, word[k].value);
  }
  offsets[n] = text.size();

  struct Match {
    int id;
    std::size_t first, last;
  };
  std::vector<Match> matches;
  std::string candidate;
  for (std::size_t first = 0; first < n;) {
    const std::string_view mark = first > 0 ? std::string_view(prefix_) : std::string_view();
    int found = -1;
    std::size_t last = n;
    for (; last > first; --last) {
      const std::size_t bytes = offsets[last] - offsets[first];
      if (mark.size() + bytes > longest_piece_bytes_) continue;
      candidate.assign(mark);
      candidate.append(text, offsets[first], bytes);
      const auto it = id_of_piece_.find(candidate);
      if (it != id_of_piece_.end()) {
        found = it->second;
        break;
      }
    }
    if (found < 0) return unknown_word();
    matches.push_back({found, first, last});
    first = last;
  }
  for (const Match& m : matches) {
    const auto [start, end] = span_of(m.first, m.last);
    tokens.push_back(make_token(m.id, start, end, false));
  }
}

}  // namespace

PieceIds parse_vocab_txt(std::string_view vocab_txt, const std::string& source) {
  PieceIds vocab;
  // A repeated entry would silently give a token (even [CLS]) another id.
  std::unordered_map<std::string_view, std::size_t> first_line;
  std::size_t pos = 0;
  while (pos < vocab_txt.size()) {
    std::size_t newline = vocab_txt.find('\n', pos);
    if (newline == std::string_view::npos) newline = vocab_txt.size();
    std::string_view line = vocab_txt.substr(pos, newline - pos);
    pos = newline + 1;
    // Hugging Face trims trailing whitespace, which also handles CRLF files.
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    const std::size_t line_number = vocab.size() + 1;
    auto [seen, inserted] = first_line.emplace(line, line_number);
    if (!inserted)
      throw Error(source + " line " + std::to_string(line_number) + ": duplicate entry " + quote_for_error(line) +
                  " (first on line " + std::to_string(seen->second) + ")");
    vocab.emplace_back(std::string(line), static_cast<int>(vocab.size()));
  }
  return vocab;
}

std::unique_ptr<Tokenizer> build_wordpiece(WordPieceSpec spec) { return std::make_unique<WordPieceTokenizer>(spec); }

std::unique_ptr<Tokenizer> make_wordpiece(std::string_view vocab_txt, bool lowercase, bool strip_accents) {
  WordPieceSpec spec;
  spec.vocab = parse_vocab_txt(vocab_txt);
  spec.lowercase = lowercase;
  spec.strip_accents = strip_accents;
  return build_wordpiece(std::move(spec));
}

namespace {

// tokenizer_config.json writes a token either as "[CLS]" or as {"content": "[CLS]", ...}.
void read_token_name(const nlohmann::json& config, const char* key, std::string& name) {
  if (!config.contains(key)) return;
  const nlohmann::json& value = config[key];
  if (value.is_string()) name = value.get<std::string>();
  if (value.is_object() && value.contains("content") && value["content"].is_string()) {
    name = value["content"].get<std::string>();
  }
}

bool read_bool(const nlohmann::json& config, const char* key, bool fallback) {
  return config.contains(key) && config[key].is_boolean() ? config[key].get<bool>() : fallback;
}

}  // namespace

std::unique_ptr<Tokenizer> load_wordpiece(const std::filesystem::path& folder) {
  const auto vocab_path = folder / "vocab.txt";
  if (entry_exists(vocab_path)) {
    WordPieceSpec spec;
    spec.source = vocab_path.string();
    spec.vocab = parse_vocab_txt(read_text_file(vocab_path), spec.source);
    const auto config_path = folder / "tokenizer_config.json";
    if (entry_exists(config_path)) {
      const nlohmann::json config = parse_json_text(read_text_file(config_path), config_path.string());
      if (!config.is_object()) throw Error(config_path.string() + ": expected a JSON object");
      // BertTokenizer's defaults: do_lower_case true; strip_accents null follows it.
      spec.lowercase = read_bool(config, "do_lower_case", true);
      spec.strip_accents = read_bool(config, "strip_accents", spec.lowercase);
      spec.handle_chinese_chars = read_bool(config, "tokenize_chinese_chars", true);
      read_token_name(config, "unk_token", spec.unk_token);
      read_token_name(config, "cls_token", spec.cls_token);
      read_token_name(config, "sep_token", spec.sep_token);
      read_token_name(config, "mask_token", spec.mask_token);
      read_token_name(config, "pad_token", spec.pad_token);
    }
    return build_wordpiece(std::move(spec));
  }
  const auto json_path = folder / "tokenizer.json";
  if (entry_exists(json_path)) {
    return wordpiece_from_json(parse_json_text(read_text_file(json_path), json_path.string()), json_path.string());
  }
  throw Error(folder.string() + ": no WordPiece tokenizer (expected vocab.txt or tokenizer.json)");
}

}  // namespace attnscope
