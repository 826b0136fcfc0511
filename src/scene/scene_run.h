// The run behind every picture: the model on the scene's text with its
// interventions and, when heads are switched off, the same tokens without
// that, so the Predictions view can show what switching them off changed.
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "core/forward.h"
#include "core/interventions.h"
#include "core/model.h"
#include "core/snapshot.h"

namespace attnscope {

constexpr int kSceneTopK = 10;  // predictions kept per position by the app and by figures alike

struct SceneRun {
  std::shared_ptr<const AttentionSnapshot> snapshot;
  std::shared_ptr<const AttentionSnapshot> baseline;  // null when no head is switched off
  bool truncated = false;                             // the text was cut to the model's context
};

// `reuse`: a baseline from an earlier run, taken instead of a new one when it
// has the same model, text, causal override and masked keys (otherwise its
// rows for a common token prefix are reused, see RunOptions::reuse).
// `previous`: the last snapshot shown, whose prefix rows a causal model
// reuses. `cancel` is checked between layers (a cancelled run throws Cancelled).
SceneRun run_scene(const std::shared_ptr<const Model>& model, const std::string& text,
                   const Interventions& interventions, const std::atomic<bool>* cancel = nullptr,
                   const std::shared_ptr<const AttentionSnapshot>& reuse = nullptr,
                   const std::shared_ptr<const AttentionSnapshot>& previous = nullptr);

}  // namespace attnscope
