// Learning tokenizers from text, written in the formats the engine reads:
//  - GPT-2 byte-level BPE (vocab.json + merges.txt): words cut by GPT-2's own
//    pre-tokenization regex (the engine's gpt2_split_words), every byte a
//    base symbol, then the most frequent adjacent pair merged until the
//    vocabulary is full; "<|endoftext|>" is the last id.
//  - WordPiece (vocab.txt, lowercase): words cut and normalised by the
//    engine's own BERT pre-tokenizer, then the same pair merging over
//    characters with "##" marking continuations (as Hugging Face's WordPiece
//    trainer does); [PAD] [UNK] [CLS] [SEP] [MASK] come first.
// Ties between equally frequent pairs go to the smaller pair of ids, so the
// result depends only on the text.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attnscope::train {

struct BpeVocabulary {
  std::vector<std::string> pieces;                          // id -> vocabulary string ("Ġcat")
  std::vector<std::pair<std::string, std::string>> merges;  // in rank order
};

// `texts` are separate documents (no word spans across them).
BpeVocabulary train_byte_level_bpe(const std::vector<std::string_view>& texts, int vocab_size, int min_frequency = 2);
// vocab.json, merges.txt and tokenizer_config.json.
void save_gpt2_tokenizer(const std::filesystem::path& folder, const BpeVocabulary& vocab, int max_length);

// Returns vocab.txt's lines, id order.
std::vector<std::string> train_wordpiece(const std::vector<std::string_view>& texts, int vocab_size, int min_frequency = 2);
// vocab.txt and tokenizer_config.json (do_lower_case).
void save_wordpiece(const std::filesystem::path& folder, const std::vector<std::string>& vocab, int max_length);

// ---- shared by both trainers (bpe_merges.cpp) ----

// A distinct word as symbol ids, with how often it occurs.
struct WordCount {
  std::vector<int> symbols;
  long long count = 0;
};

// Repeatedly merges the most frequent adjacent symbol pair in `words` until
// `symbols` holds `target_size` entries or no pair occurs `min_frequency`
// times. join(left, right) names the merged symbol. Appends new symbols to
// `symbols` and returns the merges as pairs of symbol ids.
std::vector<std::pair<int, int>> learn_merges(std::vector<WordCount>& words, std::vector<std::string>& symbols,
                                              std::size_t target_size, long long min_frequency,
                                              std::string (*join)(const std::string&, const std::string&));

}  // namespace attnscope::train
