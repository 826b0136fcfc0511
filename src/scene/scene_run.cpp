#include "scene/scene_run.h"

#include <algorithm>

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

bool any_head_off(const Interventions& iv) {
  return !iv.ablated_heads.empty() || !iv.ablated_decoder_heads.empty() || !iv.ablated_cross_heads.empty();
}

// The same source and decoder tokens with every head on: the next-token
// predictions at each decoder position as the whole model gives them, for the
// same prefix the ablated run read (its own greedy translation, or the forced target).
std::shared_ptr<const AttentionSnapshot> seq2seq_baseline(const std::shared_ptr<const Model>& model, const AttentionSnapshot& run,
                                                          RunOptions options,
                                                          const std::shared_ptr<const AttentionSnapshot>& reuse) {
  Interventions all_on = run.interventions;
  all_on.ablated_heads.clear();
  all_on.ablated_decoder_heads.clear();
  all_on.ablated_cross_heads.clear();
  const auto same_tokens = [](const std::vector<Token>& a, const std::vector<Token>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Token& x, const Token& y) { return x.id == y.id; });
  };
  if (reuse && reuse->model == model && reuse->decoder && !any_head_off(reuse->interventions) &&
      reuse->interventions.positions == all_on.positions && same_tokens(reuse->tokens, run.tokens) &&
      same_tokens(reuse->decoder->tokens, run.decoder->tokens))
    return reuse;
  options.interventions = all_on;
  options.reuse = nullptr;
  return run_seq2seq_tokens(model, run.tokens, run.decoder->tokens, options, run.text, run.decoder->target_text);
}

}  // namespace

SceneRun run_scene(const std::shared_ptr<const Model>& model, const std::string& text,
                   const Interventions& interventions, const std::atomic<bool>* cancel,
                   const std::shared_ptr<const AttentionSnapshot>& reuse,
                   const std::shared_ptr<const AttentionSnapshot>& previous, const std::optional<std::string>& target,
                   std::optional<int> predict_row) {
  RunOptions options;
  options.interventions = interventions;
  options.top_k = kSceneTopK;
  options.predict = predict_row ? RunOptions::Predict::Row : RunOptions::Predict::All;
  options.predict_row = predict_row.value_or(-1);
  options.cancel = cancel;
  options.reuse = previous;
  options.time_layers = true;  // the cost panel reads snapshot->timing
  SceneRun run;
  if (model->encoder_decoder) {
    run.snapshot = run_translation(model, text, target, options, kSceneMaxTranslationTokens, &run.truncated);
    if (any_head_off(interventions)) run.baseline = seq2seq_baseline(model, *run.snapshot, options, reuse);
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
