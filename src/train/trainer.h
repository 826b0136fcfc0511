// The training loop: batches drawn by (seed, step), forward + backward,
// global-norm clipping, AdamW under warmup + cosine, periodic validation, a
// progress line with tokens/s and ETA, and checkpoints to resume from.
#pragma once
#include <filesystem>
#include <functional>
#include <ostream>

#include "train/checkpoint.h"
#include "train/data.h"
#include "train/optimizer.h"
#include "train/transformer.h"

namespace attnscope::train {

struct TrainOptions {
  ModelShape shape;
  BatchOptions batches;              // batch size, sequence length, masking, special ids
  std::uint64_t seed = 1;
  int steps = 1000;                  // length of the LR schedule and of the run
  LrSchedule lr;                     // total_steps is set from `steps`
  AdamWConfig adam;
  double clip_norm = 1.0;
  int eval_every = 200;              // validation loss every this many steps (0 = never)
  int eval_batches = 8;
  int log_every = 10;
  int checkpoint_every = 500;        // 0 = only at the end
  std::filesystem::path checkpoint;  // empty = no checkpoints
  double max_seconds = 0;            // stop early after this long (0 = no limit)
};

struct StepStats {
  int step = 0;       // updates done after this one
  double loss = 0;
  double grad_norm = 0;
  double lr = 0;
};

class Trainer {
 public:
  // Fresh parameters from the seed.
  Trainer(const TrainOptions& options, const TokenStream* train, const TokenStream* validation);

  // Continues from a checkpoint of the same shape.
  void resume(const std::filesystem::path& checkpoint);
  void save(const std::filesystem::path& checkpoint) const;

  StepStats train_step();
  double validation_loss();  // mean over eval_batches fixed batches
  // Runs until options.steps or max_seconds; logs progress, validates and checkpoints.
  void run(std::ostream& log, const std::function<void(const StepStats&)>& on_step = {});

  int step() const { return step_; }
  Transformer<float>& model() { return model_; }
  const TrainOptions& options() const { return options_; }

 private:
  TrainOptions options_;
  const TokenStream* train_;
  const TokenStream* validation_;
  Transformer<float> model_;
  AdamW adam_;
  int step_ = 0;
};

// "1h02m", "3m05s", "12s"
std::string format_duration(double seconds);

// The log lines loss_plot.cpp reads back, for every trainer:
// "step 120/5000 | loss 5.1234 | grad 0.87 | lr 3.00e-04 | 5120 tok/s on 1.9 cores | 1m02s elapsed | ETA 40m10s"
struct ProgressLine {
  int step = 0, steps = 0;
  double loss = 0, grad_norm = 0, lr = 0;
  double tokens_per_second = 0, cores = 0;
  double elapsed = 0, remaining = 0;  // seconds
};
std::string format_progress(const ProgressLine& line);
// "step 250 | validation loss 4.8700"
std::string format_validation(int step, double loss);

}  // namespace attnscope::train
