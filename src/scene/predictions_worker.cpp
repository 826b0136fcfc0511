#include "scene/predictions_worker.h"

#include <exception>

#include "core/forward.h"
#include "scene/scene_run.h"

namespace attnscope {

namespace {

bool needs_completion(const AppState& state) {
  return predictions_missing(state.run.get()) || predictions_missing(state.baseline.get());
}

bool completed_for(const AppState& state) {
  const CompletedPredictions* c = state.completed_predictions.get();
  return c && c->snapshot == state.run && c->baseline == state.baseline;
}

}  // namespace

PredictionsWorker::PredictionsWorker()
    : mailbox_([](const Request& r, const std::atomic<bool>& cancel) { return complete(r, cancel); }, Superseded::Drop) {}

CompletedPredictions PredictionsWorker::complete(const Request& request, const std::atomic<bool>& cancel) {
  CompletedPredictions out;
  out.snapshot = request.snapshot;
  out.baseline = request.baseline;
  try {
    out.top = complete_predictions(*request.snapshot, kSceneTopK, &cancel);
    if (request.baseline) out.baseline_top = complete_predictions(*request.baseline, kSceneTopK, &cancel);
  } catch (const Cancelled&) {
    out.snapshot.reset();  // a newer run replaced this one; nothing to deliver
  } catch (const std::exception&) {
    // Out of memory, say: the rows stay as the run left them, and the view
    // says they were not computed instead of waiting for them.
    out.top = request.snapshot->top;
    out.baseline_top = request.baseline ? request.baseline->top : std::vector<std::vector<Prediction>>{};
  }
  return out;
}

void PredictionsWorker::update(AppState& state) {
  if (auto done = mailbox_.poll(); done && done->result.snapshot)
    state.completed_predictions = std::make_shared<const CompletedPredictions>(std::move(done->result));
  if (state.completed_predictions && state.completed_predictions->snapshot != state.run) state.completed_predictions.reset();
  if (!state.run || !needs_completion(state) || completed_for(state) || submitted_.lock() == state.run) return;
  submitted_ = state.run;
  mailbox_.submit({state.run, state.baseline});
}

bool PredictionsWorker::idle(const AppState& state) const {
  return !state.run || !needs_completion(state) || completed_for(state);
}

}  // namespace attnscope
