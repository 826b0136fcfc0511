#include "scene/pair_worker.h"

#include <algorithm>

namespace attnscope {

Interventions pair_b_interventions(const Interventions& a) {
  Interventions b = a;
  b.masked_keys.clear();
  return b;
}

bool PairWorker::Inputs::operator==(const Inputs& other) const {
  const Interventions &x = interventions, &y = other.interventions;
  return model == other.model && text == other.text && x.ablated_heads == y.ablated_heads && x.causal == y.causal &&
         x.positions == y.positions && x.masked_keys == y.masked_keys;
}

std::optional<PairWorker::Inputs> PairWorker::wanted(const AppState& state) {
  if (!state.show.minimal_pair || !state.model || state.encoder_decoder() || state.text_b.empty()) return std::nullopt;
  return Inputs{state.model, state.text_b, pair_b_interventions(state.interventions)};
}

void PairWorker::apply(AppState& state, InferenceResult& result) {
  last_applied_ = std::max(last_applied_, result.id);
  if (!result.run.snapshot) {
    if (result.error != "cancelled") state.error_b = result.error;
    return;
  }
  if (result.run.snapshot->model != state.model) return;  // a run for a model since replaced
  state.snapshot_b = std::move(result.run.snapshot);
  state.error_b.clear();
}

void PairWorker::update(AppState& state) {
  if (auto result = worker_.poll()) apply(state, *result);
  if (state.snapshot_b && state.snapshot_b->model != state.model) state.snapshot_b.reset();
  const std::optional<Inputs> want = wanted(state);
  if (!want) {
    // An emptied sentence B shows nothing rather than the last B typed.
    if (state.text_b.empty()) {
      state.snapshot_b.reset();
      submitted_.reset();
    }
    return;
  }
  if (submitted_ && *submitted_ == *want) return;
  InferenceRequest request;
  request.model = want->model;
  request.text = want->text;
  request.interventions = want->interventions;
  last_submitted_ = worker_.submit(std::move(request));
  submitted_ = want;
}

bool PairWorker::idle(const AppState& state) const {
  const std::optional<Inputs> want = wanted(state);
  if (!want) return true;
  return submitted_ && *submitted_ == *want && !worker_.busy() && last_applied_ >= last_submitted_;
}

}  // namespace attnscope
