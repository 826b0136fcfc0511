// The encoder-decoder's training loop: batches of sentence pairs drawn by
// (seed, step), forward + backward, global-norm clipping, AdamW under warmup
// + cosine, validation loss on a fixed held-out set, the single-stack
// trainer's progress lines (target tokens/s and ETA), and checkpoints to
// resume from.
#pragma once
#include <filesystem>
#include <functional>
#include <ostream>
#include <vector>

#include "train/checkpoint.h"
#include "train/optimizer.h"
#include "train/seq2seq_data.h"
#include "train/seq2seq_transformer.h"
#include "train/trainer.h"

namespace attnscope::train {

struct Seq2SeqTrainOptions {
  Seq2SeqShape shape;
  int batch_pairs = 32;              // B sentence pairs per step
  std::uint64_t seed = 1;
  int steps = 1000;                  // length of the LR schedule and of the run
  LrSchedule lr;                     // total_steps is set from `steps`
  AdamWConfig adam;
  double clip_norm = 1.0;
  int eval_every = 200;              // validation loss every this many steps (0 = never)
  int eval_pairs = 256;              // the first this many validation pairs, in order
  int log_every = 10;
  int checkpoint_every = 500;        // 0 = only at the end
  std::filesystem::path checkpoint;  // empty = no checkpoints
  double max_seconds = 0;            // stop early after this long (0 = no limit)
};

class Seq2SeqTrainer {
 public:
  // Fresh parameters from the seed. Both pair lists must outlive the
  // trainer; `validation` may be null (no validation loss then).
  Seq2SeqTrainer(const Seq2SeqTrainOptions& options, const std::vector<TokenPair>* train, const std::vector<TokenPair>* validation);

  // Continues from a checkpoint of the same shape and seed.
  void resume(const std::filesystem::path& checkpoint);
  void save(const std::filesystem::path& checkpoint) const;

  StepStats train_step();
  // Mean cross-entropy per target token over the held-out pairs.
  double validation_loss();
  // Runs until options.steps or max_seconds; logs progress, validates and checkpoints.
  void run(std::ostream& log, const std::function<void(const StepStats&)>& on_step = {});

  int step() const { return step_; }
  int last_step_tokens() const { return last_step_tokens_; }  // target tokens of the latest step
  Seq2SeqTransformer<float>& model() { return model_; }
  const Seq2SeqTrainOptions& options() const { return options_; }

 private:
  Seq2SeqTrainOptions options_;
  const std::vector<TokenPair>* train_;
  const std::vector<TokenPair>* validation_;
  Seq2SeqTransformer<float> model_;
  AdamW adam_;
  int step_ = 0;
  int last_step_tokens_ = 0;
};

}  // namespace attnscope::train
