#include "scene/attention_view.h"

#include <algorithm>
#include <string>

#include "core/decoder_capture.h"
#include "scene/view_state.h"

namespace attnscope {

namespace {

// Up to `rows` leading rows: a capture may leave a tensor empty (a snapshot
// built without Q/K/V keeps only the probabilities).
MatrixRM top_rows(const MatrixRM& m, int rows) { return m.topRows(std::min<Eigen::Index>(rows, m.rows())); }

// The first `rows` query rows of a head; keys and values are kept whole
// because cross-attention's come from the source, and the decoder's beyond
// row n are masked for every kept row anyway.
HeadCapture first_rows(const HeadCapture& head, int rows, bool square) {
  HeadCapture out;
  out.q = top_rows(head.q, rows);      // [n, Dh]
  out.out = top_rows(head.out, rows);  // [n, Dh]
  if (square) {
    out.k = top_rows(head.k, rows);  // [n, Dh]
    out.v = top_rows(head.v, rows);  // [n, Dh]
    out.probs = head.probs.topLeftCorner(rows, rows);  // [n, n]
  } else {
    out.k = head.k;                         // [Ts, Dh]
    out.v = head.v;                         // [Ts, Dh]
    out.probs = top_rows(head.probs, rows);  // [n, Ts]
  }
  return out;
}

}  // namespace

int decoder_rows_at_step(int n_decoder_tokens, int step) {
  if (step < 0) return n_decoder_tokens;
  return std::min(step + 1, n_decoder_tokens);
}

std::shared_ptr<const AttentionSnapshot> attention_view(const std::shared_ptr<const AttentionSnapshot>& run,
                                                        AttentionKind kind, int step) {
  if (!run || !run->decoder || kind == AttentionKind::Self) return run;
  const DecoderCapture& dec = *run->decoder;
  const bool cross = kind == AttentionKind::Cross;
  const int rows = decoder_rows_at_step(dec.n_tokens, step);
  auto view = std::make_shared<AttentionSnapshot>();
  view->model = run->model;
  view->text = run->text + "  \u2192  " + dec.target_text;
  view->tokens.assign(dec.tokens.begin(), dec.tokens.begin() + rows);
  if (cross) view->key_tokens = run->tokens;
  view->interventions.ablated_heads = ablated_heads_of(run->interventions, kind);
  view->causal = !cross;
  view->kind = kind;
  view->n_layers = dec.n_layers;
  view->n_heads = dec.n_heads;
  view->n_tokens = rows;
  view->dim = run->dim;
  view->head_dim = run->head_dim;
  const auto& heads = cross ? dec.cross_heads : dec.self_heads;
  view->heads.reserve(heads.size());
  for (const HeadCapture& head : heads) view->heads.push_back(first_rows(head, rows, !cross));
  // T5's decoder bias, for the scores the views show; cross-attention has none.
  if (!cross)
    for (const MatrixRM& bias : dec.decoder_position_bias) view->position_bias.push_back(bias.topLeftCorner(rows, rows));  // [H] each [n, n]
  for (const MatrixRM& r : dec.residual) view->residual.push_back(r.topRows(rows));  // [Ld + 1] each [n, D]
  if (dec.final_hidden.rows() >= rows) view->final_hidden = dec.final_hidden.topRows(rows);  // [n, D]
  view->top.assign(dec.top.begin(), dec.top.begin() + std::min<std::ptrdiff_t>(rows, static_cast<std::ptrdiff_t>(dec.top.size())));
  view->warnings = run->warnings;
  return view;
}

void refresh_attention_view(AppState& state) {
  const bool decoder = state.run && state.run->decoder;
  state.snapshot = attention_view(state.run, decoder ? state.attention : AttentionKind::Self, state.step);
  state.decoder_snapshot = decoder ? attention_view(state.run, AttentionKind::DecoderSelf, state.step) : nullptr;
}

std::set<std::pair<int, int>>& ablated_heads_of(Interventions& interventions, AttentionKind kind) {
  switch (kind) {
    case AttentionKind::DecoderSelf: return interventions.ablated_decoder_heads;
    case AttentionKind::Cross: return interventions.ablated_cross_heads;
    case AttentionKind::Self: break;
  }
  return interventions.ablated_heads;
}

const std::set<std::pair<int, int>>& ablated_heads_of(const Interventions& interventions, AttentionKind kind) {
  return ablated_heads_of(const_cast<Interventions&>(interventions), kind);
}

}  // namespace attnscope
