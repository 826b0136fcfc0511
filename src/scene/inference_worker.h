// Runs the forward pass off the UI thread. The UI submits the latest request
// every time the text, model or interventions change; a newer request
// supersedes a queued one and cancels a running one, so the worker is only
// ever busy with what the user last asked for. Results are immutable
// snapshots that the UI picks up by polling once per frame.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/interventions.h"
#include "core/model.h"
#include "core/snapshot.h"
#include "scene/display_modes.h"
#include "scene/latest_wins.h"
#include "scene/scene_run.h"

namespace attnscope {

struct InferenceRequest {
  std::shared_ptr<const Model> model;
  std::string text;
  Interventions interventions;
  std::optional<std::string> target;  // encoder-decoder models: the forced target; none = greedy translation
  DisplayMode display_mode = DisplayMode::Raw;  // derived weights to have ready when the snapshot arrives
  // Set: top-k for this row only (the last when out of range), so the views
  // update sooner; PredictionsWorker completes the others. None: every row.
  std::optional<int> predict_row;
};

// Whether two requests ask for the same forward pass (display modes aside).
bool same_run(const InferenceRequest& a, const InferenceRequest& b);

struct InferenceResult {
  std::uint64_t id = 0;                             // the request's number, increasing
  SceneRun run;                                     // run.snapshot is null on error
  std::string error;                                // non-empty when the run failed
  double run_ms = 0;                                // forward pass(es), tokenizer included
  DisplayMode display_mode = DisplayMode::Raw;      // whose derived weights are ready for run.snapshot
  std::chrono::steady_clock::time_point submitted;  // when the UI asked, for latency numbers
};

class InferenceWorker {
 public:
  InferenceWorker();

  // Returns the request's id.
  std::uint64_t submit(InferenceRequest request) { return mailbox_.submit(std::move(request)); }
  // The newest finished result not yet taken, if any. Never blocks on a run.
  std::optional<InferenceResult> poll();
  // True while a request is queued or running.
  bool busy() const { return mailbox_.busy(); }

 private:
  InferenceResult run(const InferenceRequest& request, const std::atomic<bool>& cancel);

  // The baseline depends only on model, text and the non-ablation
  // interventions; toggling heads reuses it instead of running twice.
  // Touched by the worker thread only.
  std::shared_ptr<const AttentionSnapshot> cached_baseline_;
  // The last snapshot this worker made: typing at the end of the text
  // reuses its rows for the unchanged tokens (causal models).
  std::shared_ptr<const AttentionSnapshot> previous_;
  // The last request that ran and what it gave: the same request again (a
  // display mode asking for its matrices) derives them from that run
  // instead of running the model a second time.
  std::optional<InferenceRequest> last_request_;
  SceneRun last_run_;
  // A finished run that a newer request superseded is still shown, so fast
  // typing keeps the views moving instead of waiting for the typing to stop.
  LatestWins<InferenceRequest, InferenceResult> mailbox_;  // last: its thread uses the members above
};

}  // namespace attnscope
