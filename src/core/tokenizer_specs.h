// Internal to attnscope_core: everything a byte-level BPE or WordPiece
// tokenizer is built from, whichever file format it came from (vocab.json +
// merges.txt, vocab.txt + tokenizer_config.json, or tokenizer.json). The file
// readers fill a spec; one builder per model checks it and makes the tokenizer.
#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer.h"

namespace attnscope {

// (vocabulary string, id) in file order.
using PieceIds = std::vector<std::pair<std::string, int>>;

// string -> id, searchable with a string_view (no allocation per lookup).
struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StringIdMap = std::unordered_map<std::string, int, StringViewHash, std::equal_to<>>;

// A string matched literally in the raw text before any other rule, e.g.
// "<|endoftext|>" or "[MASK]"; the longest one wins where several start.
struct AddedToken {
  std::string content;
  int id = 0;
  bool lstrip = false;  // also swallows the whitespace before it (RoBERTa's "<mask>")
  bool rstrip = false;  // also swallows the whitespace after it
};

struct BpeMerge {
  std::string left, right;
  std::size_t location = 0;  // line number in merges.txt, or index in model.merges
};

struct ByteLevelBpeSpec {
  std::string vocab_source = "vocab.json";  // names used in error messages
  std::string merges_source = "merges.txt";
  bool merge_location_is_line = true;       // false: location is an array index
  PieceIds vocab;
  std::vector<BpeMerge> merges;             // in rank order
  std::vector<AddedToken> added_tokens;
  std::vector<int> prefix_ids, suffix_ids;  // added around the text (a template post-processor)
  bool add_prefix_space = false;            // ByteLevel add_prefix_space: "Hello" is encoded as " Hello"
  bool ignore_merges = false;               // a word already in the vocabulary is one token
};

struct WordPieceSpec {
  std::string source = "vocab.txt";
  PieceIds vocab;
  std::string unk_token = "[UNK]";
  std::string continuing_prefix = "##";
  std::size_t max_input_chars_per_word = 100;
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;
  bool lowercase = true;
  // Names of the special tokens; each one present in the vocabulary is also
  // matched literally in the text.
  std::string cls_token = "[CLS]", sep_token = "[SEP]", mask_token = "[MASK]", pad_token = "[PAD]";
  std::vector<AddedToken> added_tokens;  // extra literal matches (tokenizer.json added_tokens)
  // What surrounds the text; unset means [CLS] ... [SEP] when both exist.
  std::optional<std::vector<int>> prefix_ids, suffix_ids;
};

std::unique_ptr<Tokenizer> build_byte_level_bpe(ByteLevelBpeSpec spec);
std::unique_ptr<Tokenizer> build_wordpiece(WordPieceSpec spec);

// vocab.json / merges.txt / vocab.txt readers; `source` names the file in errors.
PieceIds parse_vocab_json(std::string_view vocab_json, const std::string& source);
PieceIds vocab_from_json_object(const nlohmann::json& object, const std::string& where);
std::vector<BpeMerge> parse_merges_txt(std::string_view merges_txt, const std::string& source);
PieceIds parse_vocab_txt(std::string_view vocab_txt, const std::string& source = "vocab.txt");
nlohmann::json parse_json_text(std::string_view text, const std::string& source);
std::string read_text_file(const std::filesystem::path& path);

// ---- helpers shared by the tokenizers (tokenizer_common.cpp) ----

// id -> vocabulary string. Ids must lie in 0..N-1 for N entries (vocabulary plus
// added tokens), which also bounds memory for hostile files; gaps stay "".
std::vector<std::string> pieces_by_id(const PieceIds& vocab, const std::vector<AddedToken>& added,
                                      const std::string& source);

// The text cut at added-token matches: plain runs have added_index -1.
struct TextRun {
  std::size_t start = 0, end = 0;
  int added_index = -1;  // index into the added-token list
};
std::vector<TextRun> split_on_added_tokens(std::string_view text, const std::vector<AddedToken>& added);

// The shape every HF tokenizer's encode() shares: the prefix specials ([CLS]),
// then each added-token match as a special token and `encode_run(run, start,
// tokens)` on the text between, then the suffix specials ([SEP]).
// make_token(id, start, end, special) builds a token with its display string.
template <class MakeToken, class EncodeRun>
std::vector<Token> encode_between_added_tokens(std::string_view text, const std::vector<int>& prefix_ids,
                                               const std::vector<AddedToken>& added, const std::vector<int>& suffix_ids,
                                               const MakeToken& make_token, const EncodeRun& encode_run) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 3 + prefix_ids.size() + suffix_ids.size() + 1);
  for (int id : prefix_ids) tokens.push_back(make_token(id, 0, 0, true));
  for (const TextRun& run : split_on_added_tokens(text, added)) {
    if (run.added_index >= 0)
      tokens.push_back(make_token(added[static_cast<std::size_t>(run.added_index)].id, run.start, run.end, true));
    else
      encode_run(text.substr(run.start, run.end - run.start), run.start, tokens);
  }
  for (int id : suffix_ids) tokens.push_back(make_token(id, text.size(), text.size(), true));
  return tokens;
}

// GPT-2's pre-tokenization regex applied to `text`: the byte ranges [start, end)
// of its words, in order, tiling the text. Tokenizer training uses the same rule.
std::vector<std::pair<std::size_t, std::size_t>> gpt2_split_words(std::string_view text);

// A piece of file content fit for a one-line error message.
std::string quote_for_error(std::string_view text);
std::string json_excerpt(const nlohmann::json& value);

// tokenizer.json of one specific kind, for the folder loaders.
std::unique_ptr<Tokenizer> byte_level_bpe_from_json(const nlohmann::json& tokenizer_json, const std::string& source);
std::unique_ptr<Tokenizer> wordpiece_from_json(const nlohmann::json& tokenizer_json, const std::string& source);

}  // namespace attnscope
