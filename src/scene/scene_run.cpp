#include "scene/scene_run.h"

#include "core/error.h"
#include "core/seq2seq.h"

namespace attnscope {

namespace {

bool same_inputs(const AttentionSnapshot& s, const std::shared_ptr<const Model>& model, const std::string& text,
                 const Interventions& without_ablation) {
  return s.model == model && s.interventions.causal == without_ablation.causal &&
         s.interventions.positions == without_ablation.positions &&
         s.interventions.masked_keys == without_ablation.masked_keys && s.text == text;
}

}  // namespace

SceneRun run_scene(const std::shared_ptr<const Model>& model, const std::string& text,
                   const Interventions& interventions, const std::atomic<bool>* cancel,
                   const std::shared_ptr<const AttentionSnapshot>& reuse,
                   const std::shared_ptr<const AttentionSnapshot>& previous, const std::optional<std::string>& target) {
  RunOptions options;
  options.interventions = interventions;
  options.top_k = kSceneTopK;
  options.predict = RunOptions::Predict::All;
  options.cancel = cancel;
  options.reuse = previous;
  options.time_layers = true;  // the cost panel reads snapshot->timing
  SceneRun run;
  if (model->encoder_decoder) {
    run.snapshot = run_translation(model, text, target, options, kSceneMaxTranslationTokens, &run.truncated);
    return run;
  }
  if (target) throw Error(ErrorKind::Usage, "a target needs an encoder-decoder model (Marian, T5)");
  run.snapshot = run_text(model, text, options, &run.truncated);
  if (interventions.ablated_heads.empty()) return run;

  Interventions without_ablation = interventions;
  without_ablation.ablated_heads.clear();
  // The baseline runs the same text, so it is cut to the context the same way.
  const std::string& seen = run.snapshot->text;
  if (reuse && same_inputs(*reuse, model, seen, without_ablation)) {
    run.baseline = reuse;
    return run;
  }
  options.interventions = without_ablation;
  options.reuse = reuse;
  run.baseline = run_text(model, seen, options);
  return run;
}

}  // namespace attnscope
