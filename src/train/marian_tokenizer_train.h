// SentencePiece unigram models for a Marian translation model, trained with
// the sentencepiece library itself and laid out as MarianTokenizer expects:
// source.spm (English) and target.spm (French), each with "</s>" = 0 and
// "<unk>" = 1 and neither "<s>" nor "<pad>"; vocab.json maps every piece of
// both to the model's ids ("</s>", "<unk>", the source pieces, the target
// pieces not already present, "<pad>" last); tokenizer_config.json and
// special_tokens_map.json as Hugging Face writes them.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "train/parallel_pair.h"

namespace attnscope::train {

// The serialized ModelProto of a unigram model of `sentences`.
std::string train_unigram_model(const std::vector<std::string>& sentences, int vocab_size);

void train_marian_tokenizers(const std::vector<ParallelPair>& pairs, int source_vocab, int target_vocab,
                             const std::filesystem::path& folder);

struct PieceStats {
  int words = 0;         // distinct words measured
  int max_pieces = 0;
  double mean_pieces = 0;
  int over_three = 0;    // words cut into more than three pieces
};
// How many pieces each distinct word of `sentences` becomes under `spm`.
PieceStats measure_pieces(const std::filesystem::path& spm, const std::vector<std::string>& sentences);

}  // namespace attnscope::train
