// Sentence B of the minimal pair, run on a worker thread of its own while the
// minimal-pair view is open: typing in B, switching heads off or loading a
// model reruns it, and the UI only ever polls, as for sentence A.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "scene/inference_worker.h"
#include "scene/view_state.h"

namespace attnscope {

// The interventions sentence B runs with: A's switched-off heads, causal
// override and position switch. Masked keys are positions in A, so B keeps none.
Interventions pair_b_interventions(const Interventions& a);

class PairWorker {
 public:
  // Takes a finished run into state.snapshot_b (or its error into
  // state.error_b), then submits a new run when B's inputs changed. Call once
  // per frame, before drawing.
  void update(AppState& state);
  // True when nothing is queued or running and sentence B on screen is the
  // one the state asks for (always, while the view is closed).
  bool idle(const AppState& state) const;

 private:
  struct Inputs {
    std::shared_ptr<const Model> model;
    std::string text;
    Interventions interventions;
    bool operator==(const Inputs& other) const;
  };
  // What B should be run on now; nullopt when there is nothing to run.
  static std::optional<Inputs> wanted(const AppState& state);
  void apply(AppState& state, InferenceResult& result);

  std::optional<Inputs> submitted_;
  std::uint64_t last_submitted_ = 0, last_applied_ = 0;
  InferenceWorker worker_;  // last: its thread stops before the members above go
};

}  // namespace attnscope
