// The run behind every picture: the model on the scene's text with its
// interventions and, when heads are switched off, the same tokens without
// that, so the Predictions view can show what switching them off changed.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "core/forward.h"
#include "core/interventions.h"
#include "core/model.h"
#include "core/snapshot.h"

namespace attnscope {

constexpr int kSceneTopK = 10;  // predictions kept per position by the app and by figures alike

struct SceneRun {
  std::shared_ptr<const AttentionSnapshot> snapshot;
  std::shared_ptr<const AttentionSnapshot> baseline;  // null when no head (of any kind) is switched off
  bool truncated = false;                             // the text was cut to the model's context
};

// `reuse`: a baseline from an earlier run, taken instead of a new one when it
// has the same model, text, causal override and masked keys (otherwise its
// rows for a common token prefix are reused, see RunOptions::reuse).
// `previous`: the last snapshot shown, whose prefix rows a causal model
// reuses. `cancel` is checked between layers (a cancelled run throws Cancelled).
// Encoder-decoder models: `text` is the source; the decoder reads `target`
// (forced decoding) or, without one, writes the greedy translation. With
// heads switched off (of any kind) their baseline reads the same source and
// decoder tokens with every head on, so the decoder's predictions compare
// position by position. `predict_row`: top-k only for that row (the last when
// out of range) in both runs, for an app that completes the others later
// (complete_predictions); none: every row.
SceneRun run_scene(const std::shared_ptr<const Model>& model, const std::string& text,
                   const Interventions& interventions, const std::atomic<bool>* cancel = nullptr,
                   const std::shared_ptr<const AttentionSnapshot>& reuse = nullptr,
                   const std::shared_ptr<const AttentionSnapshot>& previous = nullptr,
                   const std::optional<std::string>& target = std::nullopt,
                   std::optional<int> predict_row = std::nullopt);

// The longest greedy translation the app and figures decode, in tokens.
constexpr int kSceneMaxTranslationTokens = 64;

}  // namespace attnscope
