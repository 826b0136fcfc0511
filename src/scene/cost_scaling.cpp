#include "scene/cost_scaling.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "core/error.h"
#include "core/forward.h"
#include "core/seq2seq.h"
#include "scene/ui_wake.h"

namespace attnscope {

struct ScalingJob::Job {
  std::shared_ptr<const Model> model;
  std::vector<int> planned;
  std::uint64_t generation = 0;
  std::atomic<bool> cancel{false};
};

namespace {

using Clock = std::chrono::steady_clock;

// Synthetic input: ids spread over the vocabulary. What the tokens say does
// not change the work, only how many there are.
std::vector<Token> synthetic_tokens(int n, int vocab) {
  std::vector<Token> tokens(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) tokens[static_cast<size_t>(t)].id = static_cast<int>((7919LL * t + 5) % vocab);
  return tokens;
}

std::shared_ptr<const AttentionSnapshot> timed_run(const std::shared_ptr<const Model>& model, int tokens,
                                                   const std::atomic<bool>* cancel) {
  RunOptions options;
  options.predict = RunOptions::Predict::None;
  options.top_k = 0;
  options.time_layers = true;
  options.cancel = cancel;
  std::vector<Token> input = synthetic_tokens(tokens, model->config.vocab_size);
  if (!model->encoder_decoder) return run_tokens(model, std::move(input), options);
  // The encoder reads the T tokens; the decoder only its start token.
  Token start;
  start.id = model->encoder_decoder->config.decoder_start_id;
  return run_seq2seq_tokens(model, std::move(input), {start}, options);
}

ScalingPoint point_of(const AttentionSnapshot& snap) {
  ScalingPoint p;
  p.tokens = snap.n_tokens;
  p.entries = static_cast<std::int64_t>(snap.n_heads) * snap.n_tokens * snap.n_tokens;
  for (const LayerTiming& l : snap.timing.layers) {
    p.mixing_ms += l.mixing_ms;
    p.projections_ms += l.projections_ms;
    p.mlp_ms += l.mlp_ms;
    p.total_ms += l.total_ms;
  }
  return p;
}

}  // namespace

const char* scaling_state_name(ScalingState state) {
  switch (state) {
    case ScalingState::Idle: return "idle";
    case ScalingState::Waiting: return "waiting";
    case ScalingState::Running: return "running";
    case ScalingState::Finished: return "finished";
    case ScalingState::Cancelled: return "cancelled";
    case ScalingState::Failed: return "failed";
  }
  return "";
}

std::vector<int> scaling_lengths(int context, int cap) {
  const int limit = std::min(context, cap);
  if (limit <= 0) return {};
  std::vector<int> lengths;
  for (int t = 16; t <= limit; t *= 2) lengths.push_back(t);
  if (lengths.empty() || lengths.back() != limit) lengths.push_back(limit);
  return lengths;
}

std::int64_t predicted_snapshot_bytes(const ModelConfig& c, int tokens) {
  const std::int64_t T = tokens, L = c.n_layers, H = c.n_heads;
  const std::int64_t per_head = T * T + 4 * T * c.head_dim;  // probs, then q, k, v and out
  const std::int64_t floats = L * H * per_head + (L + 2) * T * c.dim;  // + residual [L+1] and final hidden
  return floats * static_cast<std::int64_t>(sizeof(float));
}

ScalingJob::ScalingJob() : thread_([this] { loop(); }) {}

ScalingJob::~ScalingJob() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    if (current_) current_->cancel = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ScalingJob::start(std::shared_ptr<const Model> model, int cap) {
  auto job = std::make_shared<Job>();
  job->planned = scaling_lengths(model->config.max_positions, cap);
  job->model = std::move(model);
  {
    std::lock_guard lock(mutex_);
    if (current_) current_->cancel = true;
    job->generation = ++generation_;
    progress_ = ScalingProgress{};
    progress_.model = job->model;
    progress_.planned = job->planned;
    progress_.state = ScalingState::Waiting;
    pending_ = std::move(job);
  }
  wake_.notify_all();
}

void ScalingJob::cancel() {
  {
    std::lock_guard lock(mutex_);
    pending_.reset();
    if (current_) current_->cancel = true;
    if (!progress_.done() && progress_.state != ScalingState::Idle) progress_.state = ScalingState::Cancelled;
  }
  wake_.notify_all();
}

void ScalingJob::set_foreground_busy(bool busy) {
  {
    std::lock_guard lock(mutex_);
    if (foreground_busy_ == busy) return;
    foreground_busy_ = busy;
  }
  wake_.notify_all();
}

ScalingProgress ScalingJob::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

// Background work yields by waiting for the app's runs, not by a lower
// thread priority: the job's thread takes part in the shared pool's
// parallel_for calls, and a niced thread descheduled inside one would hold
// up the app's next call.
void ScalingJob::loop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || pending_; });
      if (stop_) return;
      job = std::move(pending_);
      pending_.reset();
      current_ = job;
    }
    measure(*job);
    std::lock_guard lock(mutex_);
    current_.reset();
  }
}

bool ScalingJob::wait_for_turn(const Job& job) {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return stop_ || job.cancel || !foreground_busy_; });
  return !stop_ && !job.cancel;
}

void ScalingJob::publish(const Job& job, const ScalingPoint* point, ScalingState state, const std::string& note) {
  {
    std::lock_guard lock(mutex_);
    // A cancelled or replaced job no longer owns the progress.
    if (job.cancel || job.generation != generation_) return;
    if (point) progress_.points.push_back(*point);
    progress_.state = state;
    if (!note.empty()) progress_.note = note;
  }
  notify_ui();  // the plot gains a point
}

void ScalingJob::measure(Job& job) {
  const Clock::time_point began = Clock::now();
  try {
    // One untimed run first: the first pass pays for allocations and cold caches.
    if (!job.planned.empty() && wait_for_turn(job)) timed_run(job.model, job.planned.front(), &job.cancel);
    for (int tokens : job.planned) {
      const double spent = std::chrono::duration<double>(Clock::now() - began).count();
      if (spent > kScalingBudgetSeconds) {
        publish(job, nullptr, ScalingState::Finished,
                "stopped before T = " + std::to_string(tokens) + ": the " +
                    std::to_string(static_cast<int>(kScalingBudgetSeconds)) + " s time budget was used up");
        return;
      }
      if (!job.model->encoder_decoder && predicted_snapshot_bytes(job.model->config, tokens) > kScalingMaxSnapshotBytes) {
        publish(job, nullptr, ScalingState::Finished,
                "stopped before T = " + std::to_string(tokens) + ": its captures would need more than " +
                    std::to_string(kScalingMaxSnapshotBytes >> 20) + " MB");
        return;
      }
      ScalingPoint best;
      for (int r = 0; r < kScalingRepeats; ++r) {
        if (!wait_for_turn(job)) return;
        publish(job, nullptr, ScalingState::Running);
        const ScalingPoint p = point_of(*timed_run(job.model, tokens, &job.cancel));
        if (r == 0 || p.total_ms < best.total_ms) best = p;
      }
      publish(job, &best, ScalingState::Running);
    }
    publish(job, nullptr, ScalingState::Finished);
  } catch (const Cancelled&) {
    // cancel() already said so.
  } catch (const std::exception& e) {
    publish(job, nullptr, ScalingState::Failed, e.what());
  }
}

}  // namespace attnscope
