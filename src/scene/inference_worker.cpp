#include "scene/inference_worker.h"

#include <exception>

namespace attnscope {

bool same_run(const InferenceRequest& a, const InferenceRequest& b) {
  return a.model == b.model && a.text == b.text && a.interventions == b.interventions && a.target == b.target;
}

InferenceWorker::InferenceWorker()
    : mailbox_([this](const InferenceRequest& r, const std::atomic<bool>& cancel) { return run(r, cancel); },
               Superseded::Keep) {}

std::optional<InferenceResult> InferenceWorker::poll() {
  auto delivery = mailbox_.poll();
  if (!delivery) return std::nullopt;
  delivery->result.id = delivery->id;
  delivery->result.submitted = delivery->submitted;
  return std::move(delivery->result);
}

InferenceResult InferenceWorker::run(const InferenceRequest& request, const std::atomic<bool>& cancel) {
  InferenceResult result;
  const auto start = std::chrono::steady_clock::now();
  try {
    if (last_request_ && same_run(*last_request_, request)) {
      result.run = last_run_;
    } else {
      result.run = run_scene(request.model, request.text, request.interventions, &cancel, cached_baseline_, previous_,
                             request.target, request.predict_row);
      if (result.run.baseline) cached_baseline_ = result.run.baseline;
      previous_ = result.run.snapshot;
      last_request_ = request;
      last_run_ = result.run;
    }
    precompute_display_mode(*result.run.snapshot, request.display_mode);
    result.display_mode = request.display_mode;
  } catch (const Cancelled&) {
    result.run = {};
    result.error = "cancelled";
  } catch (const std::exception& e) {
    result.run = {};
    result.error = e.what();
  }
  result.run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace attnscope
