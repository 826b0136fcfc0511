// The forward pass of every family, read top to bottom: embeddings, blocks
// (attention then MLP, pre- or post-norm), final norm, output head. Every
// attention intermediate is written into the snapshot, which outlives the pass.
//
// Shape legend: L layers, H heads, Hkv key/value heads, T tokens, D model dim,
// Dh head dim, F feed-forward dim, V vocab.
#include "forward.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <utility>

#include "error.h"
#include "finite_check.h"
#include "ops.h"
#include "parallel.h"
#include "seq2seq.h"
#include "weight_panels.h"

namespace attnscope {
namespace {

// "<50300>" for an id past the tokenizer's vocabulary (padding rows of the
// embedding). Appended piece by piece: GCC 12 warns (-Wrestrict) on "<" + std::to_string(...).
std::string unknown_id_text(int id) {
  std::string text = "<";
  text += std::to_string(id);
  text += ">";
  return text;
}

void check_cancel(const RunOptions& options) {
  if (options.cancel && options.cancel->load(std::memory_order_relaxed)) throw Cancelled{};
}

// f(), its time added to *ms (nothing read when ms is null).
template <class F>
MatrixRM timed(double* ms, const F& f) {
  ScopedTime time(ms);
  return f();
}

// Token + position (+ segment 0) embeddings, then the BERT-family LayerNorm.
// Without `positions` the position rows count as zero.
MatrixRM embed(const Model& model, const std::vector<Token>& tokens, bool positions) {
  const ModelConfig& c = model.config;
  const ModelWeights& w = model.weights;
  const int T = static_cast<int>(tokens.size());
  MatrixRM x(T, c.dim);  // [T, D]
  int real_tokens = 0;  // RoBERTa: non-pad tokens so far
  for (int t = 0; t < T; ++t) {
    x.row(t) = token_embedding_row(model, tokens[t].id);
    int position = t;
    if (c.positions_after_pad)  // create_position_ids_from_input_ids: cumsum(id != pad) * (id != pad) + pad
      position = tokens[t].id == c.pad_token_id ? c.pad_token_id : c.pad_token_id + ++real_tokens;
    if (positions && w.position_embedding) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(w.position_embedding + static_cast<std::int64_t>(position) * c.dim, c.dim);
    if (w.token_type_embedding) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(w.token_type_embedding, c.dim);
  }
  if (w.embedding_norm.weight) layer_norm(x, w.embedding_norm, c.norm_eps);
  return x;
}

// Rows copied from an earlier snapshot: the first `rows` token positions of
// every capture. rows == 0 (and prev null) for a pass that computes everything.
struct Reused {
  const AttentionSnapshot* prev = nullptr;
  int rows = 0;  // P
};

// `out` [P + Tn, cols]: the earlier snapshot's first P rows, then `fresh`.
void stack_rows(MatrixRM& out, const MatrixRM* earlier, int P, const Eigen::Ref<const MatrixRM>& fresh) {
  out.resize(P + fresh.rows(), fresh.cols());
  if (P > 0) out.topRows(P) = earlier->topRows(P);
  out.bottomRows(fresh.rows()) = fresh;
}

// One head's probabilities for query rows P..T-1 (all of them in a full pass)
// and its output on those rows. q, k, v, probs are already [T, ...].
void head_rows(HeadCapture& cap, int P, bool plain_causal, const MatrixRM& mask, float scale, bool ablated) {
  const int T = static_cast<int>(cap.k.rows()), Tn = T - P;
  auto rows = cap.probs.bottomRows(Tn);  // [Tn, T]
  // scores = q·kᵀ/√Dh + mask, PyTorch: (q @ k.transpose(-1, -2)) / math.sqrt(Dh).
  // The scale is applied after the product, as there, but not inside the
  // product expression: Eigen would evaluate `(q * kᵀ) * scale` into a
  // temporary [Tn, T] and scale it in a second pass.
  rows.noalias() = cap.q.bottomRows(Tn) * cap.k.transpose();
  if (plain_causal) {
    causal_softmax_rows(rows, scale, P);
  } else {
    rows *= scale;
    if (mask.size()) rows += mask;
    softmax_rows(rows);
  }
  // head_mask: multiply the probabilities by 0 after the softmax, as transformers does.
  if (ablated) rows.setZero();
  auto out = cap.out.bottomRows(Tn);  // [Tn, Dh]
  if (!plain_causal) {
    out.noalias() = rows * cap.v;
    return;
  }
  // Above the diagonal a causal row is exactly 0: the triangular product skips it.
  out.noalias() = rows.rightCols(Tn).triangularView<Eigen::Lower>() * cap.v.bottomRows(Tn);
  if (P > 0) out.noalias() += rows.leftCols(P) * cap.v.topRows(P);
}

// -inf where a key is hidden from a query, for query rows P..T-1. [Tn, T]
MatrixRM attention_mask(int P, int T, bool causal, const std::set<int>& masked_keys) {
  const float neg_inf = -std::numeric_limits<float>::infinity();
  std::vector<char> key_hidden(static_cast<size_t>(T), 0);  // [T]
  for (int j : masked_keys) key_hidden[static_cast<size_t>(j)] = 1;
  MatrixRM mask = MatrixRM::Zero(T - P, T);
  for (int i = P; i < T; ++i)
    for (int j = 0; j < T; ++j)
      if ((causal && j > i) || key_hidden[static_cast<size_t>(j)]) mask(i - P, j) = neg_inf;
  return mask;
}

// Multi-head self-attention of one layer on the rows after the reused ones.
// Fills the layer's head captures ([T, ...], the first P rows copied) and
// returns the output projection.           h [Tn, D] -> [Tn, D]
// `timing` (null: untimed) receives the projections and the mixing apart.
MatrixRM attention(const Model& model, int layer, const MatrixRM& h, bool causal, const Interventions& iv, const Reused& reused,
                   HeadCapture* captures /* [H] */, LayerTiming* timing) {
  const ModelConfig& c = model.config;
  const LayerWeights& lw = model.weights.layers[static_cast<size_t>(layer)];
  const int P = reused.rows, Tn = static_cast<int>(h.rows()), T = P + Tn, Dh = c.head_dim;
  const int group = c.n_heads / c.n_kv_heads;  // query heads per kv head (GQA)

  std::optional<ScopedTime> projecting(std::in_place, timing ? &timing->projections_ms : nullptr);
  MatrixRM q = linear(h, lw.wq);  // [Tn, H*Dh]
  MatrixRM k = linear(h, lw.wk);  // [Tn, Hkv*Dh]
  MatrixRM v = linear(h, lw.wv);  // [Tn, Hkv*Dh]
  const RopeStyle rope = iv.positions ? c.rope : RopeStyle::None;
  apply_rope(q, c.n_heads, Dh, c.rope_theta, rope, P);
  apply_rope(k, c.n_kv_heads, Dh, c.rope_theta, rope, P);
  projecting.reset();
  std::optional<ScopedTime> mixing(std::in_place, timing ? &timing->mixing_ms : nullptr);

  // A plain causal mask needs no mask matrix: each query row only looks at
  // the keys up to it. Anything else (masked keys, no causal mask) goes
  // through the additive mask.
  const bool plain_causal = causal && iv.masked_keys.empty();
  const bool needs_mask = !plain_causal && (causal || !iv.masked_keys.empty());
  const MatrixRM mask = needs_mask ? attention_mask(P, T, causal, iv.masked_keys) : MatrixRM();  // [Tn, T]

  MatrixRM context(Tn, c.n_heads * Dh);  // [Tn, H*Dh] every head's output side by side
  const float scale = 1.0f / std::sqrt(static_cast<float>(Dh));
  parallel_for(c.n_heads, [&](int hd) {
    const int kv = hd / group;
    HeadCapture& cap = captures[hd];
    const HeadCapture* old = reused.prev ? &reused.prev->head(layer, hd) : nullptr;
    stack_rows(cap.q, old ? &old->q : nullptr, P, q.middleCols(hd * Dh, Dh));  // [T, Dh]
    stack_rows(cap.k, old ? &old->k : nullptr, P, k.middleCols(kv * Dh, Dh));  // [T, Dh]
    stack_rows(cap.v, old ? &old->v : nullptr, P, v.middleCols(kv * Dh, Dh));  // [T, Dh]
    cap.probs.resize(T, T);  // [T, T]
    cap.out.resize(T, Dh);   // [T, Dh]
    if (P > 0) {
      // A reused row saw only reused keys: the rest of it is 0 (causal).
      cap.probs.topLeftCorner(P, P) = old->probs.topLeftCorner(P, P);
      cap.probs.topRightCorner(P, Tn).setZero();
      cap.out.topRows(P) = old->out.topRows(P);
    }
    head_rows(cap, P, plain_causal, mask, scale, iv.is_ablated(layer, hd));
    context.middleCols(hd * Dh, Dh) = cap.out.bottomRows(Tn);
  });
  mixing.reset();
  ScopedTime output_projection(timing ? &timing->projections_ms : nullptr);
  return linear(context, lw.wo);  // [Tn, D]
}

// The feed-forward block.                  h [T, D] -> [T, D]
MatrixRM mlp(const Model& model, int layer, const MatrixRM& h) {
  const ModelConfig& c = model.config;
  const LayerWeights& lw = model.weights.layers[static_cast<size_t>(layer)];
  MatrixRM up = linear(h, lw.ffn_up);  // [T, F]
  if (c.activation == Activation::SwiGlu) {
    // Llama: down(silu(gate(x)) * up(x))
    MatrixRM gate = linear(h, lw.ffn_gate);  // [T, F]
    silu(gate);
    up.array() *= gate.array();
  } else {
    apply_activation(up, c.activation);
  }
  return linear(up, lw.ffn_down);  // [T, D]
}

}  // namespace

// Top-k by logit of each requested row, with softmax probabilities. Rows are
// split over the pool: at V = 50257 the selection costs as much as a GEMM row.
void predict(const Model& model, const Eigen::Ref<const MatrixRM>& logits /* [R, V] */, int first_position, int top_k,
             std::vector<std::vector<Prediction>>& top /* [T][k] */) {
  const int V = static_cast<int>(logits.cols());
  const int k = std::min(top_k, V);
  const int rows = static_cast<int>(logits.rows());
  const int chunks = std::min(rows, parallel_threads());
  parallel_for(chunks, [&](int chunk) {
    std::vector<int> order(static_cast<size_t>(V));
    std::vector<float> e(static_cast<size_t>(V));  // [V] exp(logit - max) of one row
    for (int r = rows * chunk / chunks; r < rows * (chunk + 1) / chunks; ++r) {
      auto row = logits.row(r);
      const float max = row.maxCoeff();
      // Vectorised float exp, summed in double over 1024-wide float partial
      // sums: a cast<double>() inside the expression would make exp scalar (5x slower).
      Eigen::Map<Eigen::ArrayXf> ex(e.data(), V);
      ex = row.array().transpose() - max;
      ex = ex.exp();
      double sum = 0;
      for (int b = 0; b < V; b += 1024) sum += ex.segment(b, std::min(1024, V - b)).sum();
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(),
                        [&](int a, int b) { return row(a) > row(b) || (row(a) == row(b) && a < b); });
      auto& out = top[static_cast<size_t>(first_position + r)];
      out.clear();
      for (int i = 0; i < k; ++i) {
        Prediction p;
        p.id = order[static_cast<size_t>(i)];
        p.logit = row(p.id);
        p.prob = static_cast<float>(std::exp(static_cast<double>(p.logit - max)) / sum);
        p.text = p.id < model.tokenizer->vocab_size() ? model.tokenizer->display_piece(p.id) : unknown_id_text(p.id);
        out.push_back(std::move(p));
      }
    }
  });
}

namespace {

// The output head on the rows it is asked for.   hidden [R, D] -> [R, V]
MatrixRM output_logits(const Model& model, MatrixRM hidden) {
  const ModelConfig& c = model.config;
  const ModelWeights& w = model.weights;
  if (c.masked_lm) {
    // MLM head: norm(gelu(transform(x))) · Eᵀ + bias
    hidden = linear(hidden, w.mlm_transform);
    // RobertaLMHead hard-codes the erf GELU whatever hidden_act says.
    apply_activation(hidden, c.family == Family::Roberta ? Activation::GeluErf : c.activation);
    layer_norm(hidden, w.mlm_norm, c.norm_eps);
  }
  return linear(hidden, output_head(model));
}

// Every block on the new rows of the residual stream x [Tn, D], in place,
// keeping the stream after each block in snap.residual ([T, D] each).
void run_blocks(const Model& model, const RunOptions& options, const Reused& reused, MatrixRM& x, AttentionSnapshot& snap) {
  const ModelConfig& c = model.config;
  const int P = reused.rows;
  const auto keep_residual = [&](size_t i) {
    snap.residual.emplace_back();
    stack_rows(snap.residual.back(), reused.prev ? &reused.prev->residual[i] : nullptr, P, x);
  };
  keep_residual(0);
  if (options.time_layers) snap.timing.layers.resize(static_cast<size_t>(c.n_layers));
  for (int l = 0; l < c.n_layers; ++l) {
    check_cancel(options);
    const LayerWeights& lw = model.weights.layers[static_cast<size_t>(l)];
    HeadCapture* caps = &snap.heads[static_cast<size_t>(l * c.n_heads)];
    LayerTiming* timing = options.time_layers ? &snap.timing.layers[static_cast<size_t>(l)] : nullptr;
    ScopedTime whole_block(timing ? &timing->total_ms : nullptr);
    double* mlp_ms = timing ? &timing->mlp_ms : nullptr;
    if (c.pre_norm) {
      // x = x + attn(norm(x)); x = x + mlp(norm(x))
      MatrixRM h = x;  // [Tn, D]
      apply_norm(h, lw.attn_norm, c.norm, c.norm_eps);
      x += attention(model, l, h, snap.causal, options.interventions, reused, caps, timing);
      h = x;
      apply_norm(h, lw.ffn_norm, c.norm, c.norm_eps);
      x += timed(mlp_ms, [&] { return mlp(model, l, h); });
    } else {
      // x = norm(x + attn(x)); x = norm(x + mlp(x))
      x += attention(model, l, x, snap.causal, options.interventions, reused, caps, timing);
      apply_norm(x, lw.attn_norm, c.norm, c.norm_eps);
      x += timed(mlp_ms, [&] { return mlp(model, l, x); });
      apply_norm(x, lw.ffn_norm, c.norm, c.norm_eps);
    }
    keep_residual(static_cast<size_t>(l + 1));
  }
}

// The rows of options.reuse a run on `tokens` may copy: its longest common
// token prefix with them, when it ran the same model with the same
// interventions and both masks are causal (a row then depends only on the
// tokens up to it). At least the last row is always recomputed.
Reused reusable_rows(const RunOptions& options, const std::shared_ptr<const Model>& model, const std::vector<Token>& tokens,
                     bool causal) {
  const AttentionSnapshot* prev = options.reuse.get();
  if (!prev || !causal || !prev->causal || prev->model != model || prev->decoder) return {};
  if (prev->interventions != options.interventions) return {};
  if (options.keep_logits && prev->logits.rows() != prev->n_tokens) return {};
  const size_t limit = std::min(prev->tokens.size(), tokens.size() - 1);
  size_t P = 0;
  while (P < limit && prev->tokens[P].id == tokens[P].id) ++P;
  return {P > 0 ? prev : nullptr, static_cast<int>(P)};
}

// Top-k of final_hidden's rows [from, to), in blocks that keep the [rows, V]
// logits small: a full [T, V] at T = 1024 and V = 50257 would be 200 MB that
// nobody keeps. 128 rows (26 MB) rather than 64: the LM-head GEMM at 64 rows
// runs about 20% slower.
void predict_hidden_rows(const Model& model, const MatrixRM& final_hidden /* [T, D] */, int from, int to, int top_k,
                         const std::atomic<bool>* cancel, std::vector<std::vector<Prediction>>& top /* [T][k] */) {
  constexpr int kRowsPerBlock = 128;
  for (int r = from; r < to; r += kRowsPerBlock) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled{};
    const int rows = std::min(kRowsPerBlock, to - r);
    predict(model, output_logits(model, final_hidden.middleRows(r, rows)), r, top_k, top);
  }
}

// The rows [first, end) that get top-k: all, the last, or the one asked for.
std::pair<int, int> predicted_rows(const Model& model, const RunOptions& options, const std::vector<Token>& tokens) {
  const int T = static_cast<int>(tokens.size());
  switch (options.predict) {
    case RunOptions::Predict::All: return {0, T};
    case RunOptions::Predict::Row: {
      const int row = options.predict_row >= 0 && options.predict_row < T ? options.predict_row
                                                                            : default_predicted_row(model, tokens);
      return {row, row + 1};
    }
    default: return {T - 1, T};
  }
}

// Logits and top-k for the rows that need them. Reused rows keep the earlier
// snapshot's top-k where it has them (the same hidden state gives the same
// logits); the rest are computed from final_hidden.
void output_head(const Model& model, const RunOptions& options, const Reused& reused, AttentionSnapshot& snap) {
  const ModelConfig& c = model.config;
  const int T = snap.n_tokens, P = reused.rows;
  snap.top.resize(static_cast<size_t>(T));
  if (!c.has_lm_head) return;
  const bool wants_top = options.predict != RunOptions::Predict::None && options.top_k > 0;
  auto [first, end] = predicted_rows(model, options, snap.tokens);
  const size_t k = static_cast<size_t>(std::min(options.top_k, c.vocab_size));
  if (wants_top && reused.prev)  // every reused row keeps its guesses, asked for or not: they cost a copy
    for (int r = 0; r < P; ++r)
      if (reused.prev->top[static_cast<size_t>(r)].size() == k) snap.top[static_cast<size_t>(r)] = reused.prev->top[static_cast<size_t>(r)];
  while (first < end && snap.top[static_cast<size_t>(first)].size() == k) ++first;
  if (options.keep_logits) {
    const MatrixRM fresh = output_logits(model, snap.final_hidden.bottomRows(T - P));  // [Tn, V]
    stack_rows(snap.logits, reused.prev ? &reused.prev->logits : nullptr, P, fresh);
    if (wants_top && first < end) predict(model, snap.logits.middleRows(first, end - first), first, options.top_k, snap.top);
    return;
  }
  if (wants_top) predict_hidden_rows(model, snap.final_hidden, first, end, options.top_k, options.cancel, snap.top);
}

std::shared_ptr<AttentionSnapshot> run(const std::shared_ptr<const Model>& model_ptr, std::vector<Token> tokens,
                                       std::string text, const RunOptions& options) {
  const Model& model = *model_ptr;
  const ModelConfig& c = model.config;
  const int T = static_cast<int>(tokens.size());
  if (T == 0) throw Error("nothing to run: the input has no tokens");
  if (T > c.max_positions)
    throw Error("input has " + std::to_string(T) + " tokens, more than the model's context of " + std::to_string(c.max_positions));
  for (const Token& tok : tokens)
    if (tok.id < 0 || tok.id >= c.vocab_size)
      throw Error("token id " + std::to_string(tok.id) + " is outside the vocabulary (0.." + std::to_string(c.vocab_size - 1) + ")");
  for (const auto& [layer, head] : options.interventions.ablated_heads)
    if (layer < 0 || layer >= c.n_layers || head < 0 || head >= c.n_heads)
      throw Error("cannot ablate layer " + std::to_string(layer) + " head " + std::to_string(head) + ": the model has " +
                  std::to_string(c.n_layers) + " layers of " + std::to_string(c.n_heads) + " heads");
  for (int key : options.interventions.masked_keys)
    if (key < 0 || key >= T)
      throw Error("cannot mask key " + std::to_string(key) + ": the input has " + std::to_string(T) + " tokens");

  auto snap = std::make_shared<AttentionSnapshot>();
  snap->model = model_ptr;
  snap->text = std::move(text);
  snap->tokens = std::move(tokens);
  snap->interventions = options.interventions;
  snap->causal = options.interventions.causal.value_or(c.causal);
  snap->n_layers = c.n_layers;
  snap->n_heads = c.n_heads;
  snap->n_tokens = T;
  snap->dim = c.dim;
  snap->head_dim = c.head_dim;
  snap->heads.resize(static_cast<size_t>(c.n_layers * c.n_heads));
  snap->residual.reserve(static_cast<size_t>(c.n_layers + 1));

  const Reused reused = reusable_rows(options, model_ptr, snap->tokens, snap->causal);
  const int P = reused.rows;

  const auto start = std::chrono::steady_clock::now();
  MatrixRM x = embed(model, snap->tokens, options.interventions.positions).bottomRows(T - P);  // [Tn, D] the residual stream of the new rows
  run_blocks(model, options, reused, x, *snap);
  if (model.weights.final_norm.weight) apply_norm(x, model.weights.final_norm, c.norm, c.norm_eps);
  stack_rows(snap->final_hidden, reused.prev ? &reused.prev->final_hidden : nullptr, P, x);
  output_head(model, options, reused, *snap);
  if (options.time_layers) {
    snap->timing.rows = T - P;
    snap->timing.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  snap->warnings = snapshot_non_finite_warnings(*snap);
  return snap;
}

}  // namespace

std::shared_ptr<const AttentionSnapshot> run_tokens(const std::shared_ptr<const Model>& model, std::vector<Token> tokens,
                                                    const RunOptions& options) {
  if (model->encoder_decoder)
    throw Error(ErrorKind::Unsupported, model->source.string() + ": an encoder-decoder model needs a source and a target (run_seq2seq_tokens)");
  return run(model, std::move(tokens), std::string(), options);
}

std::shared_ptr<const AttentionSnapshot> run_text(const std::shared_ptr<const Model>& model, std::string_view text,
                                                  const RunOptions& options, bool* truncated) {
  // Encoder-decoder models: the text is the source, the target the greedy translation.
  if (model->encoder_decoder) return run_translation(model, text, std::nullopt, options, 64, truncated);
  std::vector<Token> tokens = encode_for_context(*model, text, truncated);
  return run(model, std::move(tokens), std::string(text), options);
}

std::vector<Token> encode_for_context(const Model& model, std::string_view text, bool* truncated) {
  std::vector<Token> tokens = model.tokenizer->encode(text);
  const size_t context = static_cast<size_t>(model.config.max_positions);
  const bool cut = tokens.size() > context;
  if (cut) {
    // Keep a closing special token ([SEP]) so an encoder still sees a well-formed input.
    const bool keep_last = tokens.back().special;
    Token last = tokens.back();
    tokens.resize(context);
    if (keep_last) tokens.back() = last;
  }
  if (truncated) *truncated = cut;
  return tokens;
}

int default_predicted_row(const Model& model, const std::vector<Token>& tokens) {
  const int mask = model.config.masked_lm && model.tokenizer ? model.tokenizer->mask_id : -1;
  for (size_t j = 0; j < tokens.size() && mask >= 0; ++j)
    if (tokens[j].id == mask) return static_cast<int>(j);
  return static_cast<int>(tokens.size()) - 1;
}

std::vector<std::vector<Prediction>> complete_predictions(const AttentionSnapshot& snapshot, int top_k,
                                                          const std::atomic<bool>* cancel) {
  std::vector<std::vector<Prediction>> top = snapshot.top;  // [T][k]
  top.resize(static_cast<size_t>(snapshot.n_tokens));
  if (!snapshot.model || !snapshot.model->config.has_lm_head || snapshot.decoder || top_k <= 0) return top;
  const size_t k = static_cast<size_t>(std::min(top_k, snapshot.model->config.vocab_size));
  for (int r = 0; r < snapshot.n_tokens;) {
    if (top[static_cast<size_t>(r)].size() == k) {
      ++r;
      continue;
    }
    int end = r + 1;
    while (end < snapshot.n_tokens && top[static_cast<size_t>(end)].size() != k) ++end;
    predict_hidden_rows(*snapshot.model, snapshot.final_hidden, r, end, top_k, cancel, top);
    r = end;
  }
  return top;
}

}  // namespace attnscope
