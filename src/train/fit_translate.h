// The whole recipe behind `attnscope-train fit-translate`: generated English
// -> French pairs -> Marian SentencePiece tokenizers -> token pairs ->
// encoder-decoder training -> a Marian-format Hugging Face folder.
#pragma once
#include <filesystem>
#include <ostream>

#include "train/seq2seq_trainer.h"

namespace attnscope::train {

struct FitTranslateOptions {
  Seq2SeqTrainOptions train;      // shape.vocab_size, pad_id and eos_id are set from the tokenizers
  int train_pairs = 1000000;      // generated training pairs (the train split only)
  int validation_pairs = 512;     // from the selection split, for the validation loss
  int tokenizer_pairs = 200000;   // the first pairs, for the SentencePiece models
  int source_vocab = 4000, target_vocab = 6000;
  std::filesystem::path lexicon;  // the lexicon folder
  std::filesystem::path out;      // the model folder
  bool resume = false;            // continue from train.checkpoint with out's tokenizers
};

void fit_translate(FitTranslateOptions options, std::ostream& log);

}  // namespace attnscope::train
