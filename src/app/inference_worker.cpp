#include "app/inference_worker.h"

#include <exception>

namespace attnscope::app {

using Clock = std::chrono::steady_clock;

InferenceWorker::InferenceWorker() : thread_([this] { loop(); }) {}

InferenceWorker::~InferenceWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    pending_.reset();
    if (running_cancel_) running_cancel_->store(true);
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t InferenceWorker::submit(InferenceRequest request) {
  std::lock_guard lock(mutex_);
  pending_ = std::move(request);
  pending_id_ = next_id_++;
  pending_time_ = Clock::now();
  if (running_cancel_) running_cancel_->store(true);
  wake_.notify_all();
  return pending_id_;
}

std::optional<InferenceResult> InferenceWorker::poll() {
  std::lock_guard lock(mutex_);
  std::optional<InferenceResult> out = std::move(done_);
  done_.reset();
  return out;
}

bool InferenceWorker::busy() const {
  std::lock_guard lock(mutex_);
  return pending_.has_value() || running_ || done_.has_value();
}

void InferenceWorker::loop() {
  for (;;) {
    InferenceRequest request;
    std::uint64_t id = 0;
    Clock::time_point submitted;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
      if (stop_) return;
      request = std::move(*pending_);
      pending_.reset();
      id = pending_id_;
      submitted = pending_time_;
      running_cancel_ = cancel;
      running_ = true;
    }
    InferenceResult result = run(request, id, *cancel);
    result.submitted = submitted;
    std::lock_guard lock(mutex_);
    running_ = false;
    running_cancel_.reset();
    // A cancelled run has no result; a finished run that a newer request has
    // already superseded is still shown, so that fast typing keeps the views
    // moving instead of waiting for the typing to stop.
    if (!cancel->load()) done_ = std::move(result);
  }
}

namespace {

bool same_inputs(const AttentionSnapshot& s, const InferenceRequest& r, const Interventions& without_ablation) {
  return s.model == r.model && s.interventions.causal == without_ablation.causal &&
         s.interventions.masked_keys == without_ablation.masked_keys && s.text == r.text;
}

}  // namespace

InferenceResult InferenceWorker::run(const InferenceRequest& request, std::uint64_t id, const std::atomic<bool>& cancel) {
  InferenceResult result;
  result.id = id;
  const auto start = Clock::now();
  try {
    RunOptions options;
    options.interventions = request.interventions;
    options.top_k = request.top_k;
    options.predict = RunOptions::Predict::All;
    options.cancel = &cancel;
    result.snapshot = run_text(request.model, request.text, options, &result.truncated);

    if (request.want_baseline && !request.interventions.ablated_heads.empty()) {
      Interventions without_ablation = request.interventions;
      without_ablation.ablated_heads.clear();
      // The snapshot's text is the (possibly cut) input; the baseline reuses it
      // so that both runs see the same tokens.
      InferenceRequest baseline_request = request;
      baseline_request.text = result.snapshot->text;
      if (cached_baseline_ && same_inputs(*cached_baseline_, baseline_request, without_ablation)) {
        result.baseline = cached_baseline_;
      } else {
        options.interventions = without_ablation;
        result.baseline = run_text(request.model, baseline_request.text, options);
        cached_baseline_ = result.baseline;
      }
    }
  } catch (const Cancelled&) {
    result.snapshot.reset();
    result.error = "cancelled";
  } catch (const std::exception& e) {
    result.snapshot.reset();
    result.error = e.what();
  }
  result.run_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return result;
}

}  // namespace attnscope::app
