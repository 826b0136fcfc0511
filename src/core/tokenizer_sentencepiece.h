// SentencePiece-style BPE with byte fallback, internal to attnscope_core.
// Two flavours share one merge engine:
//   - llama2.c tokenizer.bin: pieces carry a score; the adjacent pair whose
//     concatenation is in the vocabulary with the highest score merges first
//     (run.c's encode). Whitespace is a plain ' ' in the pieces.
//   - Hugging Face tokenizer.json (Llama, Mistral): model.type "BPE" with
//     byte_fallback; pairs merge by rank in the merges list. Whitespace is '▁'.
// The public entry points (make_llama2c_tokenizer, load_llama2c_tokenizer)
// are declared in tokenizer.h.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer.h"

namespace attnscope {

// A Llama/Mistral tokenizer.json. Special tokens around the text follow the
// json's TemplateProcessing post_processor when there is one; otherwise BOS
// is prepended when `add_bos` is set. Text is never scanned for special-token
// strings: "<s>" typed by a person is encoded as ordinary text.
std::unique_ptr<Tokenizer> make_sentencepiece_from_json(const nlohmann::json& tokenizer_json, bool add_bos);

// make_llama2c_tokenizer with the name used in error messages (normally the
// file path). vocab_size < 0 reads tokens until the data ends.
std::unique_ptr<Tokenizer> make_llama2c_tokenizer_named(std::string_view tokenizer_bin, int vocab_size, bool add_bos,
                                                        const std::string& source);

// Everything the shared engine needs to know about one vocabulary.
struct SentencePieceSpec {
  enum class MergeOrder { ByScore, ByRank };
  // How the text gets its leading whitespace mark before merging.
  enum class Prefix {
    None,
    DummyToken,  // llama2.c: the token for " " goes first when the text is non-empty
    Always,      // HF Prepend normalizer: "▁" when the text is non-empty
    IfMissing,   // HF Metaspace: "▁" unless the text already starts with one
  };

  std::vector<std::string> pieces;  // [V] vocabulary strings, whitespace written as `space_mark`
  std::vector<float> scores;        // [V] ByScore only
  std::vector<bool> special;        // [V] <unk>, <s>, </s> and other added special tokens
  // ByRank only: (left id << 32 | right id) -> {rank, merged id}.
  std::unordered_map<std::uint64_t, std::pair<int, int>> merges;
  MergeOrder order = MergeOrder::ByScore;
  std::string space_mark = " ";     // " " (llama2.c) or "▁" (tokenizer.json)
  Prefix prefix = Prefix::DummyToken;
  bool replace_spaces = false;      // input ' ' becomes `space_mark` before lookup
  bool split_at_space_mark = false; // HF Metaspace split: merges never cross a "▁" word start
  bool byte_fallback = true;
  bool byte_ids_by_offset = false;  // llama2.c: the token for byte b is b + 3
  bool fuse_unk = false;            // consecutive unknown characters become one <unk>
  bool ignore_merges = false;       // HF: a word found whole in the vocabulary is not split
  std::vector<int> prefix_ids;      // special tokens added before the text (BOS)
  std::vector<int> suffix_ids;      // and after it
  int bos_id = -1, eos_id = -1, unk_id = -1, pad_id = -1;
};

// Validates ids in `spec` (throws Error naming `source`) and builds the tokenizer.
std::unique_ptr<Tokenizer> make_sentencepiece(SentencePieceSpec spec, const std::string& source);

}  // namespace attnscope
