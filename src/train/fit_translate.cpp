#include "train/fit_translate.h"

#include <chrono>

#include "core/error.h"
#include "core/tokenizer_spm.h"
#include "train/marian_tokenizer_train.h"
#include "train/parallel_corpus.h"
#include "train/parallel_lexicon.h"
#include "train/seq2seq_export.h"

namespace attnscope::train {

namespace {

std::vector<int> ids_of(const Tokenizer& tokenizer, const std::string& text) {
  std::vector<int> ids;
  for (const Token& t : tokenizer.encode(text)) ids.push_back(t.id);
  return ids;
}

// Pairs that would not fit the position table are left out (and counted).
std::vector<TokenPair> tokenize_pairs(const MarianTokenizers& tokenizers, const std::vector<ParallelPair>& pairs, int max_positions,
                                      std::ostream& log) {
  std::vector<TokenPair> out;
  out.reserve(pairs.size());
  int dropped = 0;
  for (const ParallelPair& p : pairs) {
    TokenPair t{ids_of(*tokenizers.source, p.source), ids_of(*tokenizers.target, p.target)};
    if (static_cast<int>(t.source.size()) > max_positions || static_cast<int>(t.target.size()) > max_positions)
      ++dropped;
    else
      out.push_back(std::move(t));
  }
  if (dropped) log << "left out " << dropped << " pairs longer than " << max_positions << " tokens\n";
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void fit_translate(FitTranslateOptions options, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  const ParallelLexicon lexicon = load_parallel_lexicon(options.lexicon);
  const auto seed = options.train.seed;
  const std::vector<ParallelPair> train = generate_pairs(lexicon, Split::Train, options.train_pairs, seed);
  const std::vector<ParallelPair> validation = generate_pairs(lexicon, Split::Selection, options.validation_pairs, seed + 1);
  log << "generated " << train.size() << " training pairs in " << seconds_since(start) << " s\n";

  if (!options.resume) {
    const std::vector<ParallelPair> text(train.begin(), train.begin() + std::min<std::size_t>(train.size(), options.tokenizer_pairs));
    train_marian_tokenizers(text, options.source_vocab, options.target_vocab, options.out);
  }
  const MarianTokenizers tokenizers = load_marian_tokenizers(options.out);
  Seq2SeqShape& shape = options.train.shape;
  shape.vocab_size = tokenizers.source->vocab_size();
  shape.pad_id = shape.vocab_size - 1;  // Marian: <pad> is the last id, and the decoder's start token
  shape.eos_id = 0;
  const std::vector<TokenPair> train_ids = tokenize_pairs(tokenizers, train, shape.max_positions, log);
  const std::vector<TokenPair> validation_ids = tokenize_pairs(tokenizers, validation, shape.max_positions, log);
  log << "tokenizers: joint vocabulary " << shape.vocab_size << "; data ready after " << seconds_since(start) << " s\n";

  options.train.lr.total_steps = options.train.steps;
  Seq2SeqTrainer trainer(options.train, &train_ids, &validation_ids);
  if (options.resume) trainer.resume(options.train.checkpoint);
  trainer.run(log);
  export_marian_model(options.out, shape, trainer.model().layout(), trainer.model().params);
  log << "wrote " << options.out.string() << " after " << seconds_since(start) << " s\n";
}

}  // namespace attnscope::train
