// GPT-2 byte-level BPE, as OpenAI's encoder.py and Hugging Face's ByteLevel BPE:
//   1. cut out added tokens typed literally ("<|endoftext|>" becomes its id),
//   2. split the rest into words with GPT-2's regex, written out by hand over
//      code points (\s is Unicode White_Space),
//   3. give each byte of a word its printable stand-in (bytes_to_unicode),
//   4. merge adjacent symbols, lowest merge rank first (leftmost on ties),
//      until no adjacent pair has a merge.
// Step 4 runs on a heap over a linked list, like Hugging Face's word.rs, so a
// single 100 kB "word" costs O(n log n) rather than OpenAI's O(n^2) rescans.
// Every byte belongs to exactly one token, so token spans tile the input even
// where a token boundary falls inside a multi-byte character.
#include <array>
#include <mutex>
#include <queue>

#include "error.h"
#include "tokenizer_specs.h"
#include "unicode.h"

namespace attnscope {

namespace {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves; the
// other 68 bytes get U+0100 upward in byte order (space -> Ġ, newline -> Ċ).
std::array<char32_t, 256> make_byte_symbols() {
  std::array<char32_t, 256> symbols{};
  std::array<bool, 256> printable{};
  for (int b = '!'; b <= '~'; ++b) printable[b] = true;
  for (int b = 0xA1; b <= 0xAC; ++b) printable[b] = true;
  for (int b = 0xAE; b <= 0xFF; ++b) printable[b] = true;
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) symbols[b] = printable[b] ? static_cast<char32_t>(b) : next++;
  return symbols;
}

const std::array<char32_t, 256>& byte_symbols() {
  static const std::array<char32_t, 256> symbols = make_byte_symbols();
  return symbols;
}

// A word as [first, last) indices into the decoded code points.
using WordRange = std::pair<std::size_t, std::size_t>;

enum class CharClass : unsigned char { Letter, Number, Space, Other };

CharClass classify(char32_t c) {
  if (unicode::is_letter(c)) return CharClass::Letter;
  if (unicode::is_number(c)) return CharClass::Number;
  if (unicode::is_white_space(c)) return CharClass::Space;
  return CharClass::Other;
}

// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Alternatives are tried in order at each position, exactly as the regex does.
void split_words(const std::vector<unicode::CodePoint>& chars, std::vector<WordRange>& words) {
  const std::size_t n = chars.size();
  std::vector<CharClass> classes(n);
  for (std::size_t i = 0; i < n; ++i) classes[i] = classify(chars[i].value);
  std::size_t i = 0;
  while (i < n) {
    const char32_t c = chars[i].value;
    if (c == '\'' && i + 1 < n) {
      const char32_t c1 = chars[i + 1].value;
      if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') {
        words.emplace_back(i, i + 2);
        i += 2;
        continue;
      }
      const char32_t c2 = i + 2 < n ? chars[i + 2].value : 0;
      if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
        words.emplace_back(i, i + 3);
        i += 3;
        continue;
      }
    }
    // " ?X+" for X in letters, numbers, other: an optional ASCII space, then a run of one class.
    const std::size_t body = (c == ' ' && i + 1 < n && classes[i + 1] != CharClass::Space) ? i + 1 : i;
    if (classes[body] != CharClass::Space) {
      std::size_t j = body + 1;
      while (j < n && classes[j] == classes[body]) ++j;
      words.emplace_back(i, j);
      i = j;
      continue;
    }
    // \s+(?!\S) backs off one character so the last space can start the next
    // word (" world"); a lone whitespace before a non-space is \s+ alone.
    std::size_t j = i;
    while (j < n && classes[j] == CharClass::Space) ++j;
    if (j < n && j - i >= 2) --j;
    words.emplace_back(i, j);
    i = j;
  }
}

std::uint64_t pair_key(int left, int right) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
}

std::string merge_location(const ByteLevelBpeSpec& spec, const BpeMerge& merge) {
  return spec.merge_location_is_line ? spec.merges_source + " line " + std::to_string(merge.location)
                                     : spec.merges_source + "[" + std::to_string(merge.location) + "]";
}

class ByteLevelBpeTokenizer final : public Tokenizer {
 public:
  explicit ByteLevelBpeTokenizer(const ByteLevelBpeSpec& spec);

  std::vector<Token> encode(std::string_view text) const override;
  int vocab_size() const override { return static_cast<int>(pieces_.size()); }
  std::string piece(int id) const override { return pieces_[checked(id)]; }
  std::string decode_piece(int id) const override { return raw_[checked(id)]; }
  std::string display_piece(int id) const override { return display_[checked(id)]; }

 private:
  struct Merge {
    int rank;
    int result;  // id of the merged symbol
  };
  // One token of a word and how many of the word's bytes it covers; id -1
  // for a byte whose symbol is missing from the vocabulary (it is skipped).
  struct WordPiece {
    int id;
    std::uint32_t length;
  };

  std::size_t checked(int id) const {
    if (id < 0 || id >= vocab_size()) {
      throw Error(source_ + ": token id " + std::to_string(id) + " is outside 0.." + std::to_string(vocab_size() - 1));
    }
    return static_cast<std::size_t>(id);
  }
  Token make_token(int id, std::size_t start, std::size_t end, bool special) const {
    const auto i = static_cast<std::size_t>(id);
    return Token{id, pieces_[i], display_[i], start, end, special};
  }
  void encode_run(std::string_view run, std::size_t base, std::vector<Token>& tokens) const;
  void encode_word(std::string_view word, std::vector<WordPiece>& out) const;
  void merge_word(std::string_view word, std::vector<WordPiece>& out) const;

  std::string source_;
  std::vector<std::string> pieces_;   // [V] vocabulary strings ("Ġcat")
  std::vector<std::string> raw_;      // [V] the bytes each id stands for (" cat")
  std::vector<std::string> display_;  // [V]
  StringIdMap id_of_piece_;
  std::unordered_map<std::uint64_t, Merge> merges_;  // (left id, right id) -> merge
  std::array<int, 256> byte_id_{};                   // id of each byte's symbol, or -1
  std::array<std::string, 256> byte_symbol_utf8_;
  std::vector<AddedToken> added_;
  std::vector<int> prefix_ids_, suffix_ids_;
  bool add_prefix_space_ = false;
  bool ignore_merges_ = false;

  // Words repeat a lot in real text; encode() may run on several threads.
  static constexpr std::size_t kMaxCachedWordBytes = 256;
  static constexpr std::size_t kMaxCachedWords = 1 << 16;
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<WordPiece>, StringViewHash, std::equal_to<>> cache_;
};

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(const ByteLevelBpeSpec& spec)
    : source_(spec.vocab_source), add_prefix_space_(spec.add_prefix_space), ignore_merges_(spec.ignore_merges) {
  for (const AddedToken& token : spec.added_tokens) {
    if (!token.content.empty()) added_.push_back(token);
  }
  pieces_ = pieces_by_id(spec.vocab, added_, spec.vocab_source);
  for (const auto& [piece, id] : spec.vocab) id_of_piece_.insert_or_assign(piece, id);
  for (const AddedToken& token : added_) id_of_piece_.try_emplace(token.content, token.id);

  const auto& symbols = byte_symbols();
  std::array<int, 0x144> byte_of_symbol;  // the symbols of bytes_to_unicode all lie below U+0144
  byte_of_symbol.fill(-1);
  for (int b = 0; b < 256; ++b) {
    byte_of_symbol[symbols[b]] = b;
    unicode::append_utf8(byte_symbol_utf8_[b], symbols[b]);
    const auto it = id_of_piece_.find(byte_symbol_utf8_[b]);
    byte_id_[b] = it == id_of_piece_.end() ? -1 : it->second;
  }

  raw_.resize(pieces_.size());
  display_.resize(pieces_.size());
  for (std::size_t id = 0; id < pieces_.size(); ++id) {
    // A symbol outside the byte table (an added token's own text) stands for itself.
    for (const unicode::CodePoint& cp : unicode::decode_utf8(pieces_[id])) {
      if (cp.value < byte_of_symbol.size() && byte_of_symbol[cp.value] >= 0) {
        raw_[id].push_back(static_cast<char>(byte_of_symbol[cp.value]));
      } else {
        raw_[id].append(pieces_[id], cp.start, cp.end - cp.start);
      }
    }
    display_[id] = display_bytes_as_text(raw_[id]);
  }
  for (const AddedToken& token : added_) display_[static_cast<std::size_t>(token.id)] = token.content;

  merges_.reserve(spec.merges.size());
  for (std::size_t rank = 0; rank < spec.merges.size(); ++rank) {
    const BpeMerge& merge = spec.merges[rank];
    const auto id_of = [&](const std::string& piece, const char* role) {
      const auto it = id_of_piece_.find(piece);
      if (it == id_of_piece_.end()) {
        throw Error(merge_location(spec, merge) + ": " + role + " " + quote_for_error(piece) + " is not in " +
                    spec.vocab_source);
      }
      return it->second;
    };
    const int left = id_of(merge.left, "merge part");
    const int right = id_of(merge.right, "merge part");
    const int result = id_of(merge.left + merge.right, "merged token");
    // A repeated pair keeps its later rank, as OpenAI's dict(zip(merges, range)) does.
    merges_.insert_or_assign(pair_key(left, right), Merge{static_cast<int>(rank), result});
  }

  for (const auto* ids : {&spec.prefix_ids, &spec.suffix_ids}) {
    for (int id : *ids) checked(id);
  }
  prefix_ids_ = spec.prefix_ids;
  suffix_ids_ = spec.suffix_ids;

  const auto find_added = [&](std::string_view name) {
    for (const AddedToken& token : added_) {
      if (token.content == name) return token.id;
    }
    return -1;
  };
  for (std::string_view name : {"<|endoftext|>", "<s>", "<|begin_of_text|>"}) {
    if (bos_id < 0) bos_id = find_added(name);
  }
  for (std::string_view name : {"<|endoftext|>", "</s>", "<|end_of_text|>"}) {
    if (eos_id < 0) eos_id = find_added(name);
  }
  unk_id = find_added("<unk>");
  pad_id = find_added("<pad>");
  mask_id = find_added("<mask>");
  if (!prefix_ids_.empty()) cls_id = prefix_ids_.front();
  if (!suffix_ids_.empty()) sep_id = suffix_ids_.back();
}

std::vector<Token> ByteLevelBpeTokenizer::encode(std::string_view text) const {
  return encode_between_added_tokens(
      text, prefix_ids_, added_, suffix_ids_,
      [this](int id, std::size_t start, std::size_t end, bool special) { return make_token(id, start, end, special); },
      [this](std::string_view run, std::size_t base, std::vector<Token>& tokens) { encode_run(run, base, tokens); });
}

void ByteLevelBpeTokenizer::encode_run(std::string_view run, std::size_t base, std::vector<Token>& tokens) const {
  // add_prefix_space encodes " " + run; the added space covers no input byte.
  std::string prefixed;
  std::size_t shift = 0;
  if (add_prefix_space_ && !run.empty() && run.front() != ' ') {
    prefixed.reserve(run.size() + 1);
    prefixed.push_back(' ');
    prefixed.append(run);
    run = prefixed;
    shift = 1;
  }
  const auto original_offset = [&](std::size_t x) { return base + (x >= shift ? x - shift : 0); };

  const std::vector<unicode::CodePoint> chars = unicode::decode_utf8(run);
  std::vector<WordRange> words;
  split_words(chars, words);
  std::vector<WordPiece> word_pieces;
  for (const auto& [first, last] : words) {
    const std::size_t start = chars[first].start, end = chars[last - 1].end;
    word_pieces.clear();
    encode_word(run.substr(start, end - start), word_pieces);
    std::size_t pos = start;
    for (const WordPiece& piece : word_pieces) {
      const std::size_t piece_start = pos;
      pos += piece.length;
      if (piece.id >= 0) tokens.push_back(make_token(piece.id, original_offset(piece_start), original_offset(pos), false));
    }
  }
}

void ByteLevelBpeTokenizer::encode_word(std::string_view word, std::vector<WordPiece>& out) const {
  const bool cacheable = word.size() <= kMaxCachedWordBytes;
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    const auto it = cache_.find(word);
    if (it != cache_.end()) {
      out = it->second;
      return;
    }
  }
  merge_word(word, out);
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (cache_.size() >= kMaxCachedWords) cache_.clear();
    cache_.emplace(std::string(word), out);
  }
}

void ByteLevelBpeTokenizer::merge_word(std::string_view word, std::vector<WordPiece>& out) const {
  if (ignore_merges_) {
    std::string symbols;
    for (char byte : word) symbols += byte_symbol_utf8_[static_cast<unsigned char>(byte)];
    const auto it = id_of_piece_.find(symbols);
    if (it != id_of_piece_.end()) {
      out.push_back({it->second, static_cast<std::uint32_t>(word.size())});
      return;
    }
  }

  // A doubly linked list over a vector: merges fold the right symbol into the
  // left one, so a symbol's index is a stable position for heap entries.
  struct Symbol {
    int id;
    int prev, next;
    std::uint32_t length;  // bytes covered; 0 once folded into its left neighbour
  };
  struct Candidate {
    int rank;
    int left;
  };
  const auto merges_later = [](const Candidate& a, const Candidate& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.left > b.left;
  };
  const int n = static_cast<int>(word.size());
  std::vector<Symbol> symbols(word.size());
  for (int i = 0; i < n; ++i) {
    symbols[i] = {byte_id_[static_cast<unsigned char>(word[i])], i - 1, i + 1 < n ? i + 1 : -1, 1};
  }
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(merges_later)> queue(merges_later);
  const auto find_merge = [&](int left) -> const Merge* {
    const int right = symbols[left].next;
    if (right < 0) return nullptr;
    const auto it = merges_.find(pair_key(symbols[left].id, symbols[right].id));
    return it == merges_.end() ? nullptr : &it->second;
  };
  const auto push_pair = [&](int left) {
    if (const Merge* merge = find_merge(left)) queue.push({merge->rank, left});
  };
  for (int i = 0; i + 1 < n; ++i) push_pair(i);

  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.left];
    if (left.length == 0) continue;
    // Entries go stale when a neighbour merged since they were pushed.
    const Merge* merge = find_merge(top.left);
    if (merge == nullptr || merge->rank != top.rank) continue;
    Symbol& right = symbols[left.next];
    left.id = merge->result;
    left.length += right.length;
    right.length = 0;
    left.next = right.next;
    if (left.next >= 0) symbols[left.next].prev = top.left;
    if (left.prev >= 0) push_pair(left.prev);
    push_pair(top.left);
  }
  for (int i = n > 0 ? 0 : -1; i >= 0; i = symbols[i].next) out.push_back({symbols[i].id, symbols[i].length});
}

}  // namespace

std::unique_ptr<Tokenizer> build_byte_level_bpe(ByteLevelBpeSpec spec) {
  return std::make_unique<ByteLevelBpeTokenizer>(spec);
}

std::vector<std::pair<std::size_t, std::size_t>> gpt2_split_words(std::string_view text) {
  const std::vector<unicode::CodePoint> chars = unicode::decode_utf8(text);
  std::vector<WordRange> words;
  split_words(chars, words);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  spans.reserve(words.size());
  for (const auto& [first, last] : words) spans.emplace_back(chars[first].start, chars[last - 1].end);
  return spans;
}

}  // namespace attnscope
