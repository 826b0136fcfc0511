#include "scene/head_roles_worker.h"

#include <exception>

namespace attnscope {

const char* const kRoleProbeText =
    "When Mary and John went to the market, John gave a book to Mary. The old dog slept by the door because it "
    "was tired, and the children played in the garden until the sun went down.";

namespace {

RoleScoresResult score(const std::shared_ptr<const Model>& model, const std::string& text) {
  RoleScoresResult result;
  result.text = text;
  result.model = model.get();
  try {
    result.scores = std::make_shared<const HeadRoleScores>(score_heads_with_baselines(model, text, /*cut_to_context=*/true));
  } catch (const std::exception& e) {  // bad text, a vocabulary too small for the induction probe
    result.error = e.what();
  }
  return result;
}

}  // namespace

HeadRolesWorker::HeadRolesWorker()
    : mailbox_([](const Job& job, const std::atomic<bool>&) { return score(job.model, job.text); }, Superseded::Drop) {}

void HeadRolesWorker::poll() {
  auto done = mailbox_.poll();
  if (!done) return;
  const bool was_asked = asked_ && asked_->model.get() == done->result.model && asked_->text == done->result.text;
  if (was_asked) asked_.reset();
  if (done->result.model != cached_model_.lock().get()) return;  // scored on a model that has since been replaced
  if (cache_.size() >= kMaxCachedTexts) cache_.erase(cache_.begin());
  const std::string text = done->result.text;
  cache_[text] = std::make_shared<const RoleScoresResult>(std::move(done->result));
}

std::shared_ptr<const RoleScoresResult> HeadRolesWorker::request(const std::shared_ptr<const Model>& model,
                                                                 const std::string& text) {
  if (!model) return nullptr;
  if (model != cached_model_.lock()) {
    cache_.clear();
    cached_model_ = model;
  }
  if (auto it = cache_.find(text); it != cache_.end()) return it->second;
  const bool already_asked = asked_ && asked_->model == model && asked_->text == text;
  if (!already_asked) {
    asked_ = Job{model, text};
    mailbox_.submit(*asked_);
  }
  return nullptr;
}

}  // namespace attnscope
