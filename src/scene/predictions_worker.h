// Completes the predictions of the app's run off the UI thread (see
// completed_predictions.h): when a run arrives with rows left out, the rows
// of it and of its baseline are computed here, and a newer run cancels an
// older completion.
#pragma once
#include <cstdint>
#include <memory>

#include "scene/completed_predictions.h"
#include "scene/latest_wins.h"
#include "scene/view_state.h"

namespace attnscope {

class PredictionsWorker {
 public:
  PredictionsWorker();
  // Takes finished predictions into state.completed_predictions (dropping
  // those of a run no longer shown, which would keep its snapshot alive), then
  // submits the state's run when rows of it or of its baseline are missing and
  // not yet asked for. Call once per frame, before drawing.
  void update(AppState& state);
  // True when the state's run and baseline have every row, here or in the run.
  bool idle(const AppState& state) const;

 private:
  struct Request {
    std::shared_ptr<const AttentionSnapshot> snapshot, baseline;
  };
  static CompletedPredictions complete(const Request& request, const std::atomic<bool>& cancel);

  std::weak_ptr<const AttentionSnapshot> submitted_;  // the run last asked for, not kept alive here
  LatestWins<Request, CompletedPredictions> mailbox_;  // last: its thread stops before the members above go
};

}  // namespace attnscope
