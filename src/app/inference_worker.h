// Runs the forward pass off the UI thread. The UI submits the latest request
// every time the text, model or interventions change; a newer request
// supersedes a queued one and cancels a running one, so the worker is only
// ever busy with what the user last asked for. Results are immutable
// snapshots that the UI picks up by polling once per frame.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/forward.h"
#include "core/interventions.h"
#include "core/model.h"
#include "core/snapshot.h"

namespace attnscope::app {

struct InferenceRequest {
  std::shared_ptr<const Model> model;
  std::string text;
  Interventions interventions;
  int top_k = 10;
  bool want_baseline = true;  // also run without ablations when some head is ablated
};

struct InferenceResult {
  std::uint64_t id = 0;                               // the request's number, increasing
  std::shared_ptr<const AttentionSnapshot> snapshot;  // null on error
  std::shared_ptr<const AttentionSnapshot> baseline;  // null when nothing is ablated
  bool truncated = false;                             // the text was cut to the model's context
  std::string error;                                  // non-empty when the run failed
  double run_ms = 0;                                  // forward pass(es), tokenizer included
  std::chrono::steady_clock::time_point submitted;    // when the UI asked, for latency numbers
};

class InferenceWorker {
 public:
  InferenceWorker();
  ~InferenceWorker();
  InferenceWorker(const InferenceWorker&) = delete;
  InferenceWorker& operator=(const InferenceWorker&) = delete;

  // Returns the request's id.
  std::uint64_t submit(InferenceRequest request);
  // The newest finished result not yet taken, if any. Never blocks on a run.
  std::optional<InferenceResult> poll();
  // True while a request is queued or running.
  bool busy() const;

 private:
  void loop();
  InferenceResult run(const InferenceRequest& request, std::uint64_t id, const std::atomic<bool>& cancel);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<InferenceRequest> pending_;
  std::uint64_t pending_id_ = 0;
  std::chrono::steady_clock::time_point pending_time_;
  std::uint64_t next_id_ = 1;
  std::shared_ptr<std::atomic<bool>> running_cancel_;  // the running request's cancel flag
  bool running_ = false;
  std::optional<InferenceResult> done_;
  bool stop_ = false;

  // The baseline depends only on model, text and the non-ablation
  // interventions; toggling heads reuses it instead of running twice.
  // Touched by the worker thread only.
  std::shared_ptr<const AttentionSnapshot> cached_baseline_;

  std::thread thread_;
};

}  // namespace attnscope::app
