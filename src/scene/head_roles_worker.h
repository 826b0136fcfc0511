// Computes head role scores off the UI thread and keeps them per model and
// text, so switching between the current text and the probe text, or back
// to a text already scored, costs nothing.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/model.h"
#include "scene/head_roles.h"
#include "scene/latest_wins.h"

namespace attnscope {

// The built-in probe text: ordinary prose with names, pronouns and
// determiners. Like any text, it is cut to a model's context when longer.
extern const char* const kRoleProbeText;

enum class RoleTextSource { CurrentText, ProbeText };

struct RoleScoresResult {
  std::string text;                              // what was scored
  std::shared_ptr<const HeadRoleScores> scores;  // null when it failed
  std::string error;                             // why it failed ("the text has no tokens ...")
  const Model* model = nullptr;                  // identity of the model it was computed on, never dereferenced
};

class HeadRolesWorker {
 public:
  HeadRolesWorker();

  // Picks up finished work. Call once per frame.
  void poll();
  // The result for `text` on `model`, or null while it is being computed; the
  // first call for a pair not in the cache starts the computation. A new
  // model empties the cache.
  std::shared_ptr<const RoleScoresResult> request(const std::shared_ptr<const Model>& model, const std::string& text);
  // True while a computation is queued, running or not yet picked up.
  bool busy() const { return mailbox_.busy() || asked_.has_value(); }

 private:
  struct Job {
    std::shared_ptr<const Model> model;
    std::string text;
  };
  static constexpr size_t kMaxCachedTexts = 16;

  // The cache's model; weak, so a model freed and another allocated at its address is never taken for it.
  std::weak_ptr<const Model> cached_model_;
  std::map<std::string, std::shared_ptr<const RoleScoresResult>> cache_;  // by text
  std::optional<Job> asked_;  // submitted, not yet back
  LatestWins<Job, RoleScoresResult> mailbox_;  // last: its thread starts once the members above exist
};

}  // namespace attnscope
