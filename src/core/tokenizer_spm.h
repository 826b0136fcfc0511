// SentencePiece model files (.model / .spm, a serialized ModelProto) through
// the sentencepiece library: T5's spiece.model and Marian's source.spm /
// target.spm. Normalization (nmt_nfkc), the dummy prefix and the unigram
// Viterbi search are the library's, so ids match Hugging Face's slow
// tokenizers exactly.
#pragma once
#include <filesystem>
#include <memory>

#include "tokenizer.h"

namespace attnscope {

// T5Tokenizer: spiece.model ids are the model's ids, followed by
// `<extra_id_N>` at (spm size + extra_ids - 1 - N). Appends </s>. An
// <extra_id_N> typed in the text is one token and swallows the whitespace
// on both sides; </s>, <unk> and <pad> typed in the text are matched too.
std::unique_ptr<Tokenizer> load_t5_tokenizer(const std::filesystem::path& folder);

// A Llama-style tokenizer.model (BPE with byte fallback): the library's ids,
// BOS before the text when `add_bos`; text is not scanned for "<s>".
std::unique_ptr<Tokenizer> load_llama_sentencepiece(const std::filesystem::path& tokenizer_model, bool add_bos);

// MarianTokenizer: source.spm (or target.spm) cuts the text into pieces and
// vocab.json gives each piece its id (an unknown piece -> <unk>); the .spm's
// own ids are never used. Appends </s>. Throws Error naming a missing file.
struct MarianTokenizers {
  std::unique_ptr<Tokenizer> source;
  std::unique_ptr<Tokenizer> target;
};
MarianTokenizers load_marian_tokenizers(const std::filesystem::path& folder);

}  // namespace attnscope
