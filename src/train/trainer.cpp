#include "train/trainer.h"

#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "train/training_loop.h"

namespace attnscope::train {
namespace {

// Validation batches come from their own stream of seeds, the same every time.
constexpr std::uint64_t kValidationSeedOffset = 0x5EED0F7A11ull;

}  // namespace

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%lds", s);
  return buffer;
}

std::string format_progress(const ProgressLine& p) {
  char line[256];
  std::snprintf(line, sizeof line, "step %d/%d | loss %.4f | grad %.2f | lr %.2e | %.0f tok/s on %.1f cores | %s elapsed | ETA %s",
                p.step, p.steps, p.loss, p.grad_norm, p.lr, p.tokens_per_second, p.cores, format_duration(p.elapsed).c_str(),
                format_duration(p.remaining).c_str());
  return line;
}

std::string format_validation(int step, double loss) {
  char line[96];
  std::snprintf(line, sizeof line, "step %d | validation loss %.4f", step, loss);
  return line;
}

Trainer::Trainer(const TrainOptions& options, const TokenStream* train, const TokenStream* validation)
    : options_(options), train_(train), validation_(validation), model_(options.shape) {
  if (!train_) throw Error("trainer: no training text");
  options_.lr.total_steps = options_.steps;
  options_.batches.arch = options_.shape.arch;
  options_.batches.vocab_size = options_.shape.vocab_size;
  if (options_.batches.tokens > options_.shape.max_positions)
    throw Error("trainer: sequences of " + std::to_string(options_.batches.tokens) + " tokens exceed the model's " +
                std::to_string(options_.shape.max_positions) + " positions");
  model_.params = initial_params(options_.shape, model_.layout(), options_.seed);
  adam_ = AdamW(model_.layout().total, options_.adam);
}

void Trainer::resume(const std::filesystem::path& checkpoint) {
  CheckpointState state = load_checkpoint(checkpoint);
  if (shape_to_json(state.shape) != shape_to_json(options_.shape))
    throw Error(checkpoint.string() + ": checkpoint shape " + shape_to_json(state.shape).dump() + " differs from " +
                shape_to_json(options_.shape).dump());
  if (state.seed != options_.seed)
    throw Error(checkpoint.string() + ": checkpoint seed " + std::to_string(state.seed) + " differs from " + std::to_string(options_.seed));
  model_.params = std::move(state.params);
  adam_.first_moment() = std::move(state.adam_m);
  adam_.second_moment() = std::move(state.adam_v);
  step_ = state.step;
}

void Trainer::save(const std::filesystem::path& checkpoint) const {
  CheckpointState state;
  state.shape = options_.shape;
  state.seed = options_.seed;
  state.step = step_;
  state.params = model_.params;
  state.adam_m = adam_.first_moment();
  state.adam_v = adam_.second_moment();
  save_checkpoint(checkpoint, state);
}

StepStats Trainer::train_step() {
  const Batch batch = sample_batch(*train_, options_.batches, options_.seed, static_cast<std::uint64_t>(step_));
  std::fill(model_.grads.begin(), model_.grads.end(), 0.0f);
  StepStats stats;
  stats.loss = model_.loss(batch, true);
  if (!std::isfinite(stats.loss)) throw Error("training diverged at step " + std::to_string(step_) + ": loss is not finite");
  stats.grad_norm = clip_grad_norm(model_.grads, options_.clip_norm);
  stats.lr = options_.lr.at(step_);
  adam_.update(model_.params, model_.grads, model_.layout(), stats.lr, step_);
  stats.step = ++step_;
  return stats;
}

double Trainer::validation_loss() {
  const TokenStream* stream = validation_ ? validation_ : train_;
  double sum = 0;
  for (int i = 0; i < options_.eval_batches; ++i)
    sum += model_.loss(sample_batch(*stream, options_.batches, options_.seed + kValidationSeedOffset, static_cast<std::uint64_t>(i)), false);
  return options_.eval_batches > 0 ? sum / options_.eval_batches : 0.0;
}

void Trainer::run(std::ostream& log, const std::function<void(const StepStats&)>& on_step) {
  const LoopSchedule schedule{options_.steps,          options_.log_every, options_.eval_every, options_.checkpoint_every,
                              options_.checkpoint,     options_.max_seconds};
  const LoopHooks hooks{[this] { return train_step(); }, [this] { return static_cast<double>(static_cast<double>(options_.batches.batch) * options_.batches.tokens); }, [this] { return validation_loss(); },
                        [this] { save(options_.checkpoint); }};
  run_training_loop(step_, schedule, hooks, log, on_step);
}

}  // namespace attnscope::train
