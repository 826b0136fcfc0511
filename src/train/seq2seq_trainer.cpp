#include "train/seq2seq_trainer.h"

#include <cmath>

#include "core/error.h"
#include "train/training_loop.h"

namespace attnscope::train {
namespace {

constexpr const char* kCheckpointFormat = "attnscope-train-seq2seq-checkpoint";

}  // namespace

Seq2SeqTrainer::Seq2SeqTrainer(const Seq2SeqTrainOptions& options, const std::vector<TokenPair>* train,
                               const std::vector<TokenPair>* validation)
    : options_(options), train_(train), validation_(validation), model_(options.shape) {
  if (!train_ || train_->empty()) throw Error("seq2seq trainer: no training pairs");
  if (options_.batch_pairs <= 0) throw Error("seq2seq trainer: batch_pairs must be positive");
  options_.lr.total_steps = options_.steps;
  // Checked once here, so a bad pair fails before the first step, not mid-run.
  for (std::size_t i = 0; i < train_->size(); ++i) check_pair((*train_)[i], options_.shape, i);
  if (validation_)
    for (std::size_t i = 0; i < validation_->size(); ++i) check_pair((*validation_)[i], options_.shape, i);
  model_.params = initial_seq2seq_params(options_.shape, model_.layout(), options_.seed);
  adam_ = AdamW(model_.layout().total, options_.adam);
}

void Seq2SeqTrainer::resume(const std::filesystem::path& checkpoint) {
  const auto meta = read_checkpoint_metadata(checkpoint, kCheckpointFormat);
  const auto value = [&](const char* key) {
    const auto it = meta.find(key);
    if (it == meta.end()) throw Error(checkpoint.string() + ": no '" + key + "' in the checkpoint's metadata");
    return it->second;
  };
  const nlohmann::json mine = seq2seq_shape_to_json(options_.shape);
  nlohmann::json theirs;
  try {
    theirs = seq2seq_shape_to_json(seq2seq_shape_from_json(nlohmann::json::parse(value("shape"))));
    if (std::stoull(value("seed")) != options_.seed)
      throw Error(checkpoint.string() + ": checkpoint seed " + value("seed") + " differs from " + std::to_string(options_.seed));
    step_ = std::stoi(value("step"));
  } catch (const std::logic_error& e) {
    throw Error(checkpoint.string() + ": bad checkpoint metadata: " + e.what());
  }
  if (theirs != mine) throw Error(checkpoint.string() + ": checkpoint shape " + theirs.dump() + " differs from " + mine.dump());
  FlatTrainingState state = load_flat_checkpoint(checkpoint, model_.layout().params, model_.layout().total);
  model_.params = std::move(state.params);
  adam_.first_moment() = std::move(state.adam_m);
  adam_.second_moment() = std::move(state.adam_v);
}

void Seq2SeqTrainer::save(const std::filesystem::path& checkpoint) const {
  const std::map<std::string, std::string> metadata = {{"format", kCheckpointFormat},
                                                       {"shape", seq2seq_shape_to_json(options_.shape).dump()},
                                                       {"seed", std::to_string(options_.seed)},
                                                       {"step", std::to_string(step_)}};
  save_flat_checkpoint(checkpoint, model_.layout().params, model_.layout().total,
                       {model_.params, adam_.first_moment(), adam_.second_moment()}, metadata);
}

StepStats Seq2SeqTrainer::train_step() {
  const Seq2SeqBatch batch = make_seq2seq_batch(
      *train_, sample_pairs(train_->size(), options_.batch_pairs, options_.seed, static_cast<std::uint64_t>(step_)), options_.shape);
  std::fill(model_.grads.begin(), model_.grads.end(), 0.0f);
  StepStats stats;
  stats.loss = model_.loss(batch, true);
  if (!std::isfinite(stats.loss)) throw Error("training diverged at step " + std::to_string(step_) + ": loss is not finite");
  stats.grad_norm = clip_grad_norm(model_.grads, options_.clip_norm);
  stats.lr = options_.lr.at(step_);
  adam_.update(model_.params, model_.grads, model_.layout().params, stats.lr, step_);
  last_step_tokens_ = target_count(batch);
  stats.step = ++step_;
  return stats;
}

double Seq2SeqTrainer::validation_loss() {
  if (!validation_ || validation_->empty()) return 0.0;
  const std::size_t n = std::min(validation_->size(), static_cast<std::size_t>(std::max(0, options_.eval_pairs)));
  double sum = 0;
  long tokens = 0;
  for (std::size_t begin = 0; begin < n; begin += static_cast<std::size_t>(options_.batch_pairs)) {
    std::vector<std::size_t> picks;
    for (std::size_t i = begin; i < std::min(n, begin + static_cast<std::size_t>(options_.batch_pairs)); ++i) picks.push_back(i);
    const Seq2SeqBatch batch = make_seq2seq_batch(*validation_, picks, options_.shape);
    // Batches differ in length: weight each mean by its token count.
    const int count = target_count(batch);
    sum += model_.loss(batch, false) * count;
    tokens += count;
  }
  return tokens > 0 ? sum / static_cast<double>(tokens) : 0.0;
}

void Seq2SeqTrainer::run(std::ostream& log, const std::function<void(const StepStats&)>& on_step) {
  const LoopSchedule schedule{options_.steps,          options_.log_every, options_.eval_every, options_.checkpoint_every,
                              options_.checkpoint,     options_.max_seconds};
  const LoopHooks hooks{[this] { return train_step(); }, [this] { return static_cast<double>(last_step_tokens_); }, validation_ ? std::function<double()>([this] { return validation_loss(); }) : std::function<double()>(),
                        [this] { save(options_.checkpoint); }};
  run_training_loop(step_, schedule, hooks, log, on_step);
}

}  // namespace attnscope::train
