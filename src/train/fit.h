// The whole recipe behind `attnscope-train fit`: corpus -> tokenizer ->
// token streams -> training -> Hugging Face folder.
#pragma once
#include <filesystem>
#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

#include "core/tokenizer.h"
#include "train/corpus_mix.h"
#include "train/hf_export.h"
#include "train/trainer.h"

namespace attnscope::train {

struct FitOptions {
  TrainOptions train;                   // shape.vocab_size is set from the tokenizer
  int vocab_size = 6000;                // tokenizer vocabulary
  std::filesystem::path out;            // the model folder
  std::filesystem::path corpora;        // ../shared/corpora
  corpus::CorpusMix mix;
  bool resume = false;                  // continue from train.checkpoint, reusing out's tokenizer
  int validation_every = 50;            // every n-th document is held out for validation
};

// Learns the architecture's tokenizer (GPT-2 BPE or WordPiece), writes its
// files into `folder`, and loads them back through the engine.
std::unique_ptr<Tokenizer> train_tokenizer(Arch arch, const std::vector<std::string_view>& documents, int vocab_size,
                                           const std::filesystem::path& folder, int max_length);
std::unique_ptr<Tokenizer> load_tokenizer(Arch arch, const std::filesystem::path& folder);

// Ids the exported config.json names.
SpecialIds special_ids(const Tokenizer& tokenizer);
// Fills the special-token ids of a batch description from the tokenizer.
void set_batch_specials(BatchOptions& batches, const Tokenizer& tokenizer);

void fit(FitOptions options, std::ostream& log);

}  // namespace attnscope::train
