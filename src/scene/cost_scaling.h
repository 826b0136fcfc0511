// The scaling measurement behind the cost panel's plot: the loaded model run
// on synthetic inputs of T = 16, 32, 64, ... tokens, up to its context (at
// most kScalingMaxTokens), timing attention's T² mixing against the T-linear
// projections and MLP. A low-priority background job: one forward pass at a
// time, waiting while the app's own run is busy, cancelled when the model
// changes or the panel closes. Never on the UI thread.
//
// Shape legend: L layers, H heads, T tokens, D model dim, Dh head dim.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/model.h"

namespace attnscope {

constexpr int kScalingMaxTokens = 1024;         // longest input measured, whatever the context
constexpr int kScalingRepeats = 5;              // runs per length; the fastest counts (the least disturbed)
constexpr double kScalingBudgetSeconds = 30;    // no longer length is started after this much measuring
constexpr std::int64_t kScalingMaxSnapshotBytes = std::int64_t{512} << 20;  // a longer run's captures would not fit

// 16, 32, 64, ... up to min(context, cap), then the limit itself when it is
// not a power of two; a context under 16 gives just the context.
std::vector<int> scaling_lengths(int context, int cap = kScalingMaxTokens);

// Bytes of the float tensors a snapshot of `tokens` tokens holds for a
// decoder-only model (attention_cost.h counts a real one): probabilities,
// q, k, v and head outputs per head, the residual stream and the final hidden state.
std::int64_t predicted_snapshot_bytes(const ModelConfig& config, int tokens);

// One measured length. Times are the whole stack's (every layer summed), of
// the fastest of the repeats; for an encoder-decoder model the encoder's,
// with the source of T tokens and a one-token decoder.
struct ScalingPoint {
  int tokens = 0;                   // T
  std::int64_t entries = 0;         // attention weights per layer: H·T²
  double mixing_ms = 0;             // q·kᵀ, softmax, probs·v
  double projections_ms = 0;        // Q/K/V and output projections
  double mlp_ms = 0;                // feed-forward
  double total_ms = 0;              // the blocks, everything included
  double linear_ms() const { return projections_ms + mlp_ms; }
};

enum class ScalingState { Idle, Waiting, Running, Finished, Cancelled, Failed };
const char* scaling_state_name(ScalingState state);

struct ScalingProgress {
  std::shared_ptr<const Model> model;  // the model measured
  std::vector<int> planned;            // the lengths it will try
  std::vector<ScalingPoint> points;    // those measured so far, in order
  ScalingState state = ScalingState::Idle;
  std::string note;                    // why it stopped before the last planned length, or the error
  bool done() const { return state == ScalingState::Finished || state == ScalingState::Failed; }
};

class ScalingJob {
 public:
  ScalingJob();
  ~ScalingJob();
  ScalingJob(const ScalingJob&) = delete;
  ScalingJob& operator=(const ScalingJob&) = delete;

  // Measures `model`, cancelling whatever was being measured. `cap`: longest length.
  void start(std::shared_ptr<const Model> model, int cap = kScalingMaxTokens);
  // Stops the current job after at most one layer; its points so far stay.
  void cancel();
  // While true, the job starts no run: the app's own forward pass goes first.
  void set_foreground_busy(bool busy);
  ScalingProgress progress() const;  // a copy, safe to read on any thread

 private:
  struct Job;
  void loop();
  void measure(Job& job);
  bool wait_for_turn(const Job& job);  // false when cancelled
  void publish(const Job& job, const ScalingPoint* point, ScalingState state, const std::string& note = {});

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<Job> pending_, current_;
  ScalingProgress progress_;
  std::uint64_t generation_ = 0;  // of the job `progress_` describes
  bool foreground_busy_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace attnscope
