// One kind of an encoder-decoder run's attention presented as an ordinary
// snapshot, so that the heatmap, head, model, Q/K/V and predictions views
// show decoder self-attention or cross-attention with the code they use for
// encoder self-attention.
//
// Shape legend: L encoder layers, Ld decoder layers, H heads, Ts source
// tokens, Tt decoder tokens, n = decoder rows kept (step + 1), Dh head dim.
#pragma once
#include <memory>
#include <set>
#include <utility>

#include "core/attention_kind.h"
#include "core/snapshot.h"

namespace attnscope {

struct AppState;

// The snapshot the attention views read:
//   Self (or any kind of a run without a decoder): `run` itself.
//   DecoderSelf: queries and keys are the decoder tokens 0..step, probs [n, n],
//     with the decoder's predictions (row i predicts decoder input i + 1).
//   Cross: queries are the decoder tokens 0..step, keys the source tokens
//     (AttentionSnapshot::key_tokens), probs [n, Ts].
// The decoder kinds carry the run's switched-off heads of their own kind as
// `interventions.ablated_heads`. step = -1 (or past the end) keeps every row.
std::shared_ptr<const AttentionSnapshot> attention_view(const std::shared_ptr<const AttentionSnapshot>& run,
                                                        AttentionKind kind, int step);

// The decoder rows a step keeps: step + 1, or all Tt for -1 or a step past the end.
int decoder_rows_at_step(int n_decoder_tokens, int step);

// Sets state.snapshot and state.decoder_snapshot from state.run for the
// scene's attention kind and step. Call after a run arrives and after the kind
// or the step changes; it never runs the model.
void refresh_attention_view(AppState& state);

// The switched-off heads of one kind: what head toggles of that kind edit.
std::set<std::pair<int, int>>& ablated_heads_of(Interventions& interventions, AttentionKind kind);
const std::set<std::pair<int, int>>& ablated_heads_of(const Interventions& interventions, AttentionKind kind);

}  // namespace attnscope
