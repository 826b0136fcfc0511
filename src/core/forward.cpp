// The forward pass of every family, read top to bottom: embeddings, blocks
// (attention then MLP, pre- or post-norm), final norm, output head. Every
// attention intermediate is written into the snapshot, which outlives the pass.
//
// Shape legend: L layers, H heads, Hkv key/value heads, T tokens, D model dim,
// Dh head dim, F feed-forward dim, V vocab.
#include "forward.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "error.h"
#include "finite_check.h"
#include "ops.h"
#include "parallel.h"
#include "seq2seq.h"

namespace attnscope {
namespace {

void check_cancel(const RunOptions& options) {
  if (options.cancel && options.cancel->load(std::memory_order_relaxed)) throw Cancelled{};
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
    x.row(t) = Eigen::Map<const Eigen::RowVectorXf>(w.token_embedding + static_cast<std::int64_t>(tokens[t].id) * c.dim, c.dim);
    int position = t;
    if (c.positions_after_pad)  // create_position_ids_from_input_ids: cumsum(id != pad) * (id != pad) + pad
      position = tokens[t].id == c.pad_token_id ? c.pad_token_id : c.pad_token_id + ++real_tokens;
    if (positions && w.position_embedding) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(w.position_embedding + static_cast<std::int64_t>(position) * c.dim, c.dim);
    if (w.token_type_embedding) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(w.token_type_embedding, c.dim);
  }
  if (w.embedding_norm.weight) layer_norm(x, w.embedding_norm, c.norm_eps);
  return x;
}

// Multi-head self-attention of one layer. Fills the layer's head captures and
// returns the output projection.          h [T, D] -> [T, D]
MatrixRM attention(const Model& model, int layer, const MatrixRM& h, bool causal, const Interventions& iv,
                   HeadCapture* captures /* [H] */) {
  const ModelConfig& c = model.config;
  const LayerWeights& lw = model.weights.layers[static_cast<size_t>(layer)];
  const int T = static_cast<int>(h.rows()), Dh = c.head_dim;
  const int group = c.n_heads / c.n_kv_heads;  // query heads per kv head (GQA)

  MatrixRM q = linear(h, lw.wq);  // [T, H*Dh]
  MatrixRM k = linear(h, lw.wk);  // [T, Hkv*Dh]
  MatrixRM v = linear(h, lw.wv);  // [T, Hkv*Dh]
  const RopeStyle rope = iv.positions ? c.rope : RopeStyle::None;
  apply_rope(q, c.n_heads, Dh, c.rope_theta, rope);
  apply_rope(k, c.n_kv_heads, Dh, c.rope_theta, rope);

  // A plain causal mask needs no [T, T] mask matrix: each query row only
  // looks at its first i + 1 keys. Anything else (masked keys, no causal
  // mask) goes through the additive mask.
  const bool plain_causal = causal && iv.masked_keys.empty();
  const bool needs_mask = !plain_causal && (causal || !iv.masked_keys.empty());
  const float neg_inf = -std::numeric_limits<float>::infinity();
  MatrixRM mask;  // [T, T] -inf where a key is hidden from a query
  if (needs_mask) {
    std::vector<char> key_hidden(static_cast<size_t>(T), 0);  // [T]
    for (int j : iv.masked_keys) key_hidden[static_cast<size_t>(j)] = 1;
    mask = MatrixRM::Zero(T, T);
    for (int i = 0; i < T; ++i)
      for (int j = 0; j < T; ++j)
        if ((causal && j > i) || key_hidden[static_cast<size_t>(j)]) mask(i, j) = neg_inf;
  }

  MatrixRM context(T, c.n_heads * Dh);  // [T, H*Dh] every head's output side by side
  const float scale = 1.0f / std::sqrt(static_cast<float>(Dh));
  parallel_for(c.n_heads, [&](int hd) {
    const int kv = hd / group;
    HeadCapture& cap = captures[hd];
    cap.q = q.middleCols(hd * Dh, Dh);  // [T, Dh]
    cap.k = k.middleCols(kv * Dh, Dh);  // [T, Dh]
    cap.v = v.middleCols(kv * Dh, Dh);  // [T, Dh]
    // scores = q·kᵀ/√Dh + mask, PyTorch: (q @ k.transpose(-1, -2)) / math.sqrt(Dh).
    // The scale is applied after the product, as there, but not inside the
    // product expression: Eigen would evaluate `(q * kᵀ) * scale` into a
    // temporary [T, T] and scale it in a second pass.
    cap.probs.noalias() = cap.q * cap.k.transpose();  // [T, T]
    if (plain_causal) {
      causal_softmax_rows(cap.probs, scale);
    } else {
      cap.probs *= scale;
      if (needs_mask) cap.probs += mask;
      softmax_rows(cap.probs);
    }
    // head_mask: multiply the probabilities by 0 after the softmax, as transformers does.
    if (iv.is_ablated(layer, hd)) cap.probs.setZero();
    // Above the diagonal a causal row is exactly 0: the triangular product skips it.
    if (plain_causal)
      cap.out.noalias() = cap.probs.triangularView<Eigen::Lower>() * cap.v;  // [T, Dh]
    else
      cap.out.noalias() = cap.probs * cap.v;  // [T, Dh]
    context.middleCols(hd * Dh, Dh) = cap.out;
  });
  return linear(context, lw.wo);  // [T, D]
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
        p.text = p.id < model.tokenizer->vocab_size() ? model.tokenizer->display_piece(p.id) : "<" + std::to_string(p.id) + ">";
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
  return matmul_transposed(hidden, w.lm_head, c.vocab_size, w.lm_head_bias);
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

  MatrixRM x = embed(model, snap->tokens, options.interventions.positions);  // [T, D] the residual stream
  snap->residual.push_back(x);
  for (int l = 0; l < c.n_layers; ++l) {
    check_cancel(options);
    const LayerWeights& lw = model.weights.layers[static_cast<size_t>(l)];
    HeadCapture* caps = &snap->heads[static_cast<size_t>(l * c.n_heads)];
    if (c.pre_norm) {
      // x = x + attn(norm(x)); x = x + mlp(norm(x))
      MatrixRM h = x;
      apply_norm(h, lw.attn_norm, c.norm, c.norm_eps);
      x += attention(model, l, h, snap->causal, options.interventions, caps);
      h = x;
      apply_norm(h, lw.ffn_norm, c.norm, c.norm_eps);
      x += mlp(model, l, h);
    } else {
      // x = norm(x + attn(x)); x = norm(x + mlp(x))
      x += attention(model, l, x, snap->causal, options.interventions, caps);
      apply_norm(x, lw.attn_norm, c.norm, c.norm_eps);
      x += mlp(model, l, x);
      apply_norm(x, lw.ffn_norm, c.norm, c.norm_eps);
    }
    snap->residual.push_back(x);
  }
  if (model.weights.final_norm.weight) apply_norm(x, model.weights.final_norm, c.norm, c.norm_eps);
  snap->final_hidden = std::move(x);

  snap->top.resize(static_cast<size_t>(T));
  if (c.has_lm_head && options.keep_logits) {
    snap->logits = output_logits(model, snap->final_hidden);  // [T, V]
    if (options.predict != RunOptions::Predict::None && options.top_k > 0) {
      const int first = options.predict == RunOptions::Predict::All ? 0 : T - 1;
      predict(model, snap->logits.middleRows(first, T - first), first, options.top_k, snap->top);
    }
  } else if (c.has_lm_head && options.predict != RunOptions::Predict::None && options.top_k > 0) {
    // Row blocks keep the [rows, V] logits small: a full [T, V] at T = 1024 and
    // V = 50257 would be 200 MB that nobody keeps. 128 rows (26 MB) rather than
    // 64: the LM-head GEMM at 64 rows runs about 20% slower.
    constexpr int kRowsPerBlock = 128;
    const int first = options.predict == RunOptions::Predict::All ? 0 : T - 1;
    for (int r = first; r < T; r += kRowsPerBlock) {
      check_cancel(options);
      const int rows = std::min(kRowsPerBlock, T - r);
      predict(model, output_logits(model, snap->final_hidden.middleRows(r, rows)), r, options.top_k, snap->top);
    }
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
  std::vector<Token> tokens = model->tokenizer->encode(text);
  const size_t context = static_cast<size_t>(model->config.max_positions);
  const bool cut = tokens.size() > context;
  if (cut) {
    // Keep a closing special token ([SEP]) so an encoder still sees a well-formed input.
    const bool keep_last = tokens.back().special;
    Token last = tokens.back();
    tokens.resize(context);
    if (keep_last) tokens.back() = last;
  }
  if (truncated) *truncated = cut;
  return run(model, std::move(tokens), std::string(text), options);
}

}  // namespace attnscope
