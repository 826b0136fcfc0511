// SentencePiece-style BPE with byte fallback: the merge engine shared by
// llama2.c's tokenizer.bin (merge by score, as run.c's encode) and Llama
// tokenizer.json files (merge by rank), plus the tokenizer.bin reader.
//
// Encoding, as run.c does it:
//   1. split the text into UTF-8 characters (a lead byte plus at most three
//      continuation bytes; invalid bytes stand alone),
//   2. give the text its leading whitespace mark (a dummy " " token),
//   3. map each character to its token, or to byte tokens <0xXX> when the
//      vocabulary lacks it,
//   4. repeatedly merge the best adjacent pair (highest score / lowest rank;
//      the leftmost pair on ties) until no pair merges.
// Step 4 uses a heap instead of run.c's rescan of every pair, which gives the
// same merges in O(n log n) instead of O(n^2) for long pasted texts.
#include "tokenizer_sentencepiece.h"

#include <array>
#include <cstring>
#include <queue>
#include <span>

#include "error.h"
#include "mapped_file.h"

namespace attnscope {

namespace {

// "<0x41>" -> 0x41; -1 for any other piece.
int byte_of_piece(std::string_view piece) {
  if (piece.size() != 6 || piece.substr(0, 3) != "<0x" || piece[5] != '>') return -1;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  int hi = hex(piece[3]), lo = hex(piece[4]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

std::string byte_piece(unsigned char byte) {
  static const char* digits = "0123456789ABCDEF";
  return std::string("<0x") + digits[byte >> 4] + digits[byte & 15] + ">";
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  if (from.empty()) return std::string(text);
  size_t pos = 0;
  for (size_t hit; (hit = text.find(from, pos)) != std::string_view::npos; pos = hit + from.size()) {
    out.append(text.substr(pos, hit - pos));
    out.append(to);
  }
  out.append(text.substr(pos));
  return out;
}

// One character of the text to tokenize and the input bytes it stands for.
struct Unit {
  std::string text;
  size_t start = 0, end = 0;
};

// A token during merging; a doubly linked list over a vector keeps indices
// stable, so the left index of a pair also orders pairs left to right.
struct Symbol {
  int id = 0;  // -1 once merged into its left neighbour
  size_t start = 0, end = 0;
  int prev = -1, next = -1;
};

struct Candidate {
  double priority;  // higher merges first: a score, or minus a rank
  int left;
  int left_id, right_id, merged_id;
  bool operator<(const Candidate& other) const {  // "lower in the heap than"
    if (priority != other.priority) return priority < other.priority;
    return left > other.left;
  }
};

class SentencePieceTokenizer final : public Tokenizer {
 public:
  SentencePieceTokenizer(SentencePieceSpec spec, std::string source) : spec_(std::move(spec)), source_(std::move(source)) {
    const int n = static_cast<int>(spec_.pieces.size());
    byte_value_.resize(spec_.pieces.size());
    for (int id = 0; id < n; id++) {
      id_of_piece_.emplace(spec_.pieces[id], id);  // emplace keeps the first id of a duplicate
      byte_value_[id] = byte_of_piece(spec_.pieces[id]);
    }
    for (int b = 0; b < 256; b++) {
      if (spec_.byte_ids_by_offset) {
        byte_token_[b] = b + 3 < n ? b + 3 : -1;
      } else {
        auto it = id_of_piece_.find(byte_piece(static_cast<unsigned char>(b)));
        byte_token_[b] = it == id_of_piece_.end() ? -1 : it->second;
      }
    }
    bos_id = spec_.bos_id;
    eos_id = spec_.eos_id;
    unk_id = spec_.unk_id;
    pad_id = spec_.pad_id;
  }

  std::vector<Token> encode(std::string_view text) const override;
  int vocab_size() const override { return static_cast<int>(spec_.pieces.size()); }
  std::string piece(int id) const override { return spec_.pieces[checked(id)]; }

  // run.c's decode without its BOS rule (the generator strips the space
  // after BOS): byte tokens become the raw byte.
  std::string decode_piece(int id) const override {
    size_t i = checked(id);
    if (byte_value_[i] >= 0) return std::string(1, static_cast<char>(byte_value_[i]));
    return spec_.space_mark == " " ? spec_.pieces[i] : replace_all(spec_.pieces[i], spec_.space_mark, " ");
  }

  std::string display_piece(int id) const override {
    size_t i = checked(id);
    const std::string& p = spec_.pieces[i];
    if (spec_.special[i]) {  // llama2.c stores BOS as "\n<s>\n"
      size_t first = p.find_first_not_of('\n'), last = p.find_last_not_of('\n');
      return first == std::string::npos ? p : p.substr(first, last - first + 1);
    }
    if (byte_value_[i] >= 0) return p;
    return spec_.space_mark == " " ? p : replace_all(p, spec_.space_mark, " ");
  }

 private:
  size_t checked(int id) const {
    if (id < 0 || id >= vocab_size())
      throw Error(source_ + ": token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                  std::to_string(vocab_size() - 1) + ")");
    return static_cast<size_t>(id);
  }

  std::vector<Unit> split_units(std::string_view text) const;
  void encode_word(std::span<const Unit> word, int dummy_id, std::vector<Symbol>& out) const;
  bool pair_merge(int left_id, int right_id, std::string& buffer, double* priority, int* merged_id) const;

  SentencePieceSpec spec_;
  std::string source_;
  std::unordered_map<std::string, int> id_of_piece_;
  std::vector<int> byte_value_;       // [V] the byte a <0xXX> token stands for, or -1
  std::array<int, 256> byte_token_{};  // the token for each byte, or -1
};

// run.c's character loop: a new character starts at every non-continuation
// byte and takes at most four bytes.
std::vector<Unit> SentencePieceTokenizer::split_units(std::string_view text) const {
  std::vector<Unit> units;
  for (size_t i = 0; i < text.size();) {
    size_t end = i + 1;
    while (end < text.size() && end - i < 4 && is_continuation(static_cast<unsigned char>(text[end]))) end++;
    Unit unit{std::string(text.substr(i, end - i)), i, end};
    if (spec_.replace_spaces && unit.text == " ") unit.text = spec_.space_mark;
    units.push_back(std::move(unit));
    i = end;
  }
  return units;
}

bool SentencePieceTokenizer::pair_merge(int left_id, int right_id, std::string& buffer, double* priority,
                                        int* merged_id) const {
  if (spec_.order == SentencePieceSpec::MergeOrder::ByRank) {
    auto it = spec_.merges.find(static_cast<std::uint64_t>(left_id) << 32 | static_cast<std::uint32_t>(right_id));
    if (it == spec_.merges.end()) return false;
    *priority = -static_cast<double>(it->second.first);
    *merged_id = it->second.second;
    return true;
  }
  buffer.assign(spec_.pieces[left_id]);
  buffer.append(spec_.pieces[right_id]);
  auto it = id_of_piece_.find(buffer);
  // run.c starts its search at best_score = -1e10 and needs a strictly larger score.
  if (it == id_of_piece_.end() || !(spec_.scores[it->second] > -1e10f)) return false;
  *priority = spec_.scores[it->second];
  *merged_id = it->second;
  return true;
}

void SentencePieceTokenizer::encode_word(std::span<const Unit> word, int dummy_id, std::vector<Symbol>& out) const {
  std::vector<Symbol> symbols;
  if (dummy_id >= 0) symbols.push_back({dummy_id, 0, 0});

  if (spec_.ignore_merges && dummy_id < 0 && !word.empty()) {
    std::string whole;
    for (const Unit& u : word) whole += u.text;
    if (auto it = id_of_piece_.find(whole); it != id_of_piece_.end()) {
      out.push_back({it->second, word.front().start, word.back().end});
      return;
    }
  }

  bool last_was_unk = false;
  for (const Unit& unit : word) {
    if (auto it = id_of_piece_.find(unit.text); it != id_of_piece_.end()) {
      symbols.push_back({it->second, unit.start, unit.end});
      last_was_unk = false;
      continue;
    }
    bool have_bytes = spec_.byte_fallback;
    for (unsigned char b : unit.text) have_bytes = have_bytes && byte_token_[b] >= 0;
    if (have_bytes) {
      // Byte k covers input byte start + k when the character came straight
      // from the input; a substituted "▁" (from one space) shares its span.
      bool exact = unit.end - unit.start == unit.text.size();
      for (size_t k = 0; k < unit.text.size(); k++) {
        auto b = static_cast<unsigned char>(unit.text[k]);
        symbols.push_back({byte_token_[b], exact ? unit.start + k : unit.start, exact ? unit.start + k + 1 : unit.end});
      }
      last_was_unk = false;
    } else if (spec_.unk_id >= 0) {
      if (spec_.fuse_unk && last_was_unk) {
        symbols.back().end = unit.end;
      } else {
        symbols.push_back({spec_.unk_id, unit.start, unit.end});
      }
      last_was_unk = true;
    }
  }

  const int n = static_cast<int>(symbols.size());
  for (int i = 0; i < n; i++) {
    symbols[i].prev = i - 1;
    symbols[i].next = i + 1 < n ? i + 1 : -1;
  }
  std::string buffer;
  std::priority_queue<Candidate> heap;
  auto consider = [&](int left) {
    int right = symbols[left].next;
    if (right < 0) return;
    Candidate c{0, left, symbols[left].id, symbols[right].id, -1};
    if (pair_merge(c.left_id, c.right_id, buffer, &c.priority, &c.merged_id)) heap.push(c);
  };
  for (int i = 0; i + 1 < n; i++) consider(i);
  while (!heap.empty()) {
    Candidate c = heap.top();
    heap.pop();
    Symbol& left = symbols[c.left];
    // A heap entry is stale when either side has merged since it was pushed.
    if (left.id != c.left_id || left.next < 0 || symbols[left.next].id != c.right_id) continue;
    Symbol& right = symbols[left.next];
    left.id = c.merged_id;
    left.end = right.end;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = c.left;
    right.id = -1;
    if (left.prev >= 0) consider(left.prev);
    consider(c.left);
  }
  for (int i = n > 0 ? 0 : -1; i >= 0; i = symbols[i].next) out.push_back(symbols[i]);
}

std::vector<Token> SentencePieceTokenizer::encode(std::string_view text) const {
  std::vector<Unit> units = split_units(text);
  int dummy_id = -1;
  using Prefix = SentencePieceSpec::Prefix;
  if (!units.empty()) {
    if (spec_.prefix == Prefix::DummyToken) {
      auto it = id_of_piece_.find(" ");
      dummy_id = it == id_of_piece_.end() ? -1 : it->second;
    } else if (spec_.prefix == Prefix::Always ||
               (spec_.prefix == Prefix::IfMissing && units.front().text != spec_.space_mark)) {
      units.insert(units.begin(), Unit{spec_.space_mark, 0, 0});
    }
  }

  std::vector<Symbol> symbols;
  size_t word_start = 0;
  for (size_t i = 1; i <= units.size(); i++) {
    bool boundary = i == units.size() || (spec_.split_at_space_mark && units[i].text == spec_.space_mark);
    if (!boundary) continue;
    encode_word(std::span<const Unit>(units).subspan(word_start, i - word_start), word_start == 0 ? dummy_id : -1,
                symbols);
    word_start = i;
  }

  std::vector<Token> tokens;
  // Only tokens added around the text are special; an <unk> standing for
  // text covers real input bytes.
  auto add = [&](int id, size_t start, size_t end, bool special) {
    tokens.push_back({id, spec_.pieces[id], display_piece(id), start, end, special});
  };
  for (int id : spec_.prefix_ids) add(id, 0, 0, true);
  for (const Symbol& s : symbols) add(s.id, s.start, s.end, false);
  for (int id : spec_.suffix_ids) add(id, text.size(), text.size(), true);
  return tokens;
}

}  // namespace

std::unique_ptr<Tokenizer> make_sentencepiece(SentencePieceSpec spec, const std::string& source) {
  const size_t n = spec.pieces.size();
  if (n == 0) throw Error(source + ": the vocabulary is empty");
  if (n > static_cast<size_t>(INT32_MAX)) throw Error(source + ": the vocabulary has more than 2^31 tokens");
  if (spec.order == SentencePieceSpec::MergeOrder::ByScore && spec.scores.size() != n)
    throw Error(source + ": " + std::to_string(spec.scores.size()) + " scores for " + std::to_string(n) + " tokens");
  spec.special.resize(n, false);
  auto check_id = [&](int id, const char* what, bool may_be_absent = false) {
    if (may_be_absent && id == -1) return;
    if (id < 0 || id >= static_cast<int>(n))
      throw Error(source + ": " + what + " id " + std::to_string(id) + " is outside the vocabulary (0.." +
                  std::to_string(n - 1) + ")");
  };
  check_id(spec.bos_id, "BOS", true);
  check_id(spec.eos_id, "EOS", true);
  check_id(spec.unk_id, "unknown-token", true);
  check_id(spec.pad_id, "padding", true);
  for (int id : spec.prefix_ids) check_id(id, "added special token");
  for (int id : spec.suffix_ids) check_id(id, "added special token");
  for (const auto& [pair, merge] : spec.merges) check_id(merge.second, "merged token");
  return std::make_unique<SentencePieceTokenizer>(std::move(spec), source);
}

std::unique_ptr<Tokenizer> make_llama2c_tokenizer_named(std::string_view bytes, int vocab_size, bool add_bos,
                                                        const std::string& source) {
  if (vocab_size == 0) throw Error(source + ": vocab_size is 0");
  size_t offset = 0;
  auto read_i32 = [&]() {
    std::int32_t v;
    std::memcpy(&v, bytes.data() + offset, 4);
    offset += 4;
    return v;
  };
  if (bytes.size() < 4)
    throw Error(source + ": too short for the 4-byte max_token_length header (" + std::to_string(bytes.size()) +
                " bytes)");
  std::int32_t max_token_length = read_i32();
  if (max_token_length < 0)
    throw Error(source + ": max_token_length is " + std::to_string(max_token_length) + ", expected >= 0");

  SentencePieceSpec spec;
  // Each record takes at least 8 bytes, which bounds the reservation for a lying vocab_size.
  spec.pieces.reserve(std::min<size_t>(vocab_size > 0 ? vocab_size : SIZE_MAX, bytes.size() / 8));
  for (int index = 0; vocab_size < 0 ? offset < bytes.size() : index < vocab_size; index++) {
    const std::string where = source + ": token " + std::to_string(index) + ": ";
    size_t left = bytes.size() - offset;
    if (left < 8)
      throw Error(where + "truncated record: needs 8 bytes for score and length, " + std::to_string(left) + " left");
    float score;
    std::memcpy(&score, bytes.data() + offset, 4);
    offset += 4;
    std::int32_t length = read_i32();
    if (length < 0) throw Error(where + "negative length " + std::to_string(length));
    if (static_cast<size_t>(length) > left - 8)
      throw Error(where + "length " + std::to_string(length) + " runs past the end of the file (" +
                  std::to_string(left - 8) + " bytes left)");
    spec.pieces.emplace_back(bytes.substr(offset, static_cast<size_t>(length)));
    spec.scores.push_back(score);
    offset += static_cast<size_t>(length);
    if (spec.pieces.size() > static_cast<size_t>(INT32_MAX)) throw Error(where + "too many tokens");
  }

  const int n = static_cast<int>(spec.pieces.size());
  spec.order = SentencePieceSpec::MergeOrder::ByScore;
  spec.space_mark = " ";
  spec.prefix = SentencePieceSpec::Prefix::DummyToken;
  spec.byte_ids_by_offset = true;
  spec.unk_id = n > 0 ? 0 : -1;
  spec.bos_id = n > 1 ? 1 : -1;
  spec.eos_id = n > 2 ? 2 : -1;
  spec.special.assign(spec.pieces.size(), false);
  for (int id : {spec.unk_id, spec.bos_id, spec.eos_id})
    if (id >= 0) spec.special[id] = true;
  if (add_bos && spec.bos_id >= 0) spec.prefix_ids.push_back(spec.bos_id);
  return make_sentencepiece(std::move(spec), source);
}

std::unique_ptr<Tokenizer> make_llama2c_tokenizer(std::string_view tokenizer_bin, int vocab_size, bool add_bos) {
  return make_llama2c_tokenizer_named(tokenizer_bin, vocab_size, add_bos, "tokenizer.bin");
}

std::unique_ptr<Tokenizer> load_llama2c_tokenizer(const std::filesystem::path& path, bool add_bos) {
  MappedFile file = MappedFile::open(path);
  std::string_view bytes(reinterpret_cast<const char*>(file.bytes().data()), file.bytes().size());
  if (path.extension() == ".json") {
    nlohmann::json json = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) throw Error(path.string() + ": not valid JSON");
    try {
      return make_sentencepiece_from_json(json, add_bos);
    } catch (const std::exception& e) {
      rethrow_with_context(path.string(), e);
    }
  }
  return make_llama2c_tokenizer_named(bytes, -1, add_bos, path.string());
}

}  // namespace attnscope
