// The encoder-decoder forward pass (Marian, T5), read top to bottom:
// embeddings, position bias, one attention routine for all three kinds,
// the FFN, the encoder stack, the decoder stack (with a key/value cache so
// greedy decoding feeds one token per step), the output head, and the runs.
//
// Shape legend: L encoder layers, Ld decoder layers, H heads, Ts source
// tokens, Tt decoder tokens, n new decoder rows, D model dim, Dh head dim,
// F feed-forward dim, V vocab.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "error.h"
#include "ops.h"
#include "parallel.h"
#include "seq2seq.h"

namespace attnscope {
namespace {

const float kNegInf = -std::numeric_limits<float>::infinity();

using HeadSet = std::set<std::pair<int, int>>;

void check_cancel(const std::atomic<bool>* cancel) {
  if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled{};
}

const EncoderDecoder& decoder_of(const Model& model) {
  if (!model.encoder_decoder) throw Error(ErrorKind::Unsupported, model.source.string() + ": not an encoder-decoder model");
  return *model.encoder_decoder;
}

// ---- embeddings ------------------------------------------------------------

// x = E[id] * scale + P[first + t] (Marian); T5 has no scale and no table.
MatrixRM embed(const Model& model, const std::vector<int>& ids, int first, const float* positions) {
  const ModelConfig& c = model.config;
  const float scale = decoder_of(model).config.embedding_scale;
  MatrixRM x(static_cast<int>(ids.size()), c.dim);  // [n, D]
  for (int t = 0; t < static_cast<int>(ids.size()); ++t) {
    x.row(t) =
        Eigen::Map<const Eigen::RowVectorXf>(model.weights.token_embedding + static_cast<std::int64_t>(ids[t]) * c.dim, c.dim) * scale;
    if (positions) x.row(t) += Eigen::Map<const Eigen::RowVectorXf>(positions + static_cast<std::int64_t>(first + t) * c.dim, c.dim);
  }
  return x;
}

// T5: bias[h](i, j) = table[bucket(j - i)][h] for queries first..first+n-1
// and keys 0..Tk-1. Empty without a table.          -> [H] each [n, Tk]
std::vector<MatrixRM> position_bias(const Model& model, const float* table, bool bidirectional, int first, int n, int Tk) {
  if (!table) return {};
  const EncoderDecoderConfig& dc = decoder_of(model).config;
  const int H = model.config.n_heads;
  std::vector<MatrixRM> bias(static_cast<size_t>(H), MatrixRM(n, Tk));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < Tk; ++j) {
      const int bucket = relative_position_bucket(j - (first + i), bidirectional, dc.relative_buckets, dc.relative_max_distance);
      for (int h = 0; h < H; ++h) bias[static_cast<size_t>(h)](i, j) = table[bucket * H + h];
    }
  return bias;
}

// ---- attention ---------------------------------------------------------------

// Keys and values of one attention block, split per head.
struct KeyValues {
  std::vector<MatrixRM> k, v;  // [H] each [Tk, Dh]
};

// Appends the rows of x's keys and values to `kv`.        x [n, D]
void append_keys(const MatrixRM& x, const Linear& wk, const Linear& wv, int H, int Dh, KeyValues& kv) {
  MatrixRM k = linear(x, wk), v = linear(x, wv);  // [n, H*Dh]
  kv.k.resize(static_cast<size_t>(H));
  kv.v.resize(static_cast<size_t>(H));
  for (int h = 0; h < H; ++h) {
    for (auto [all, part] : {std::pair{&kv.k[static_cast<size_t>(h)], &k}, std::pair{&kv.v[static_cast<size_t>(h)], &v}}) {
      const Eigen::Index old_rows = all->rows();
      all->conservativeResize(old_rows + part->rows(), Dh);
      all->bottomRows(part->rows()) = part->middleCols(h * Dh, Dh);
    }
  }
}

struct AttentionCall {
  int layer = 0;
  int first = 0;                                // position of the first query row
  bool causal = false;                          // a query at position p sees keys 0..p
  const std::vector<MatrixRM>* bias = nullptr;  // [H] each [n, Tk], or null
  const HeadSet* ablated = nullptr;             // (layer, head) pairs to zero
  HeadCapture* captures = nullptr;              // [H] or null
  LayerTiming* timing = nullptr;                // the layer's timing, or null (untimed)
  bool cross = false;                           // cross-attention: its mixing also counts in cross_mixing_ms
};

// Where attend() adds the time of its products; null pointers when untimed.
double* projections_ms(LayerTiming* t) { return t ? &t->projections_ms : nullptr; }
double* mlp_ms(LayerTiming* t) { return t ? &t->mlp_ms : nullptr; }
double* total_ms(LayerTiming* t) { return t ? &t->total_ms : nullptr; }
LayerTiming* layer_timing(std::vector<LayerTiming>* timing, int layer) {
  return timing ? &(*timing)[static_cast<size_t>(layer)] : nullptr;
}

// f(), its time added to *ms (nothing read when ms is null).
template <class F>
MatrixRM timed(double* ms, const F& f) {
  ScopedTime time(ms);
  return f();
}

// Multi-head attention of query rows x over `kv`, output projected.   x [n, D] -> [n, D]
MatrixRM attend(const Model& model, const MatrixRM& x, const Linear& wq, const Linear& wo, const KeyValues& kv, const AttentionCall& call) {
  const ModelConfig& c = model.config;
  const int n = static_cast<int>(x.rows()), Dh = c.head_dim;
  const float scale = decoder_of(model).config.scale_scores ? 1.0f / std::sqrt(static_cast<float>(Dh)) : 1.0f;
  MatrixRM q = timed(projections_ms(call.timing), [&] { return linear(x, wq); });  // [n, H*Dh]
  MatrixRM context(n, c.n_heads * Dh);  // [n, H*Dh]
  const auto mixing_start = std::chrono::steady_clock::now();
  parallel_for(c.n_heads, [&](int h) {
    const MatrixRM& k = kv.k[static_cast<size_t>(h)];  // [Tk, Dh]
    const MatrixRM& v = kv.v[static_cast<size_t>(h)];  // [Tk, Dh]
    MatrixRM qh = q.middleCols(h * Dh, Dh);            // [n, Dh]
    MatrixRM probs = qh * k.transpose();               // [n, Tk] scores
    probs *= scale;
    if (call.bias) probs += (*call.bias)[static_cast<size_t>(h)];
    if (call.causal)
      for (int i = 0; i < n; ++i)
        probs.row(i).tail(probs.cols() - std::min<Eigen::Index>(call.first + i + 1, probs.cols())).setConstant(kNegInf);
    softmax_rows(probs);
    // head_mask: the probabilities times 0 after the softmax, as transformers does.
    if (call.ablated && call.ablated->count({call.layer, h})) probs.setZero();
    MatrixRM out = probs * v;  // [n, Dh]
    context.middleCols(h * Dh, Dh) = out;
    if (call.captures) call.captures[h] = HeadCapture{std::move(qh), k, v, std::move(probs), std::move(out)};
  });
  if (call.timing) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - mixing_start).count();
    call.timing->mixing_ms += ms;
    if (call.cross) call.timing->cross_mixing_ms += ms;
  }
  return timed(projections_ms(call.timing), [&] { return linear(context, wo); });  // [n, D]
}

// ---- feed-forward --------------------------------------------------------------

// Marian's "swish" is read as Activation::SwiGlu, but its FFN is not gated:
// only the SiLU applies here.
void activate(MatrixRM& x, Activation act) {
  if (act == Activation::SwiGlu)
    silu(x);
  else
    apply_activation(x, act);
}

// wo(act(wi x)), or T5 v1.1's wo(act(wi_0 x) * wi_1 x).     x [n, D] -> [n, D]
MatrixRM ffn(const Model& model, const LayerWeights& lw, const MatrixRM& x) {
  MatrixRM up = linear(x, lw.ffn_up);  // [n, F]
  if (decoder_of(model).config.gated_ffn) {
    MatrixRM gate = linear(x, lw.ffn_gate);  // [n, F]
    activate(gate, model.config.activation);
    up.array() *= gate.array();
  } else {
    activate(up, model.config.activation);
  }
  return linear(up, lw.ffn_down);
}

// A residual sub-block: pre-norm x += f(norm(x)) (T5), post-norm x = norm(x + f(x)) (Marian).
template <class Block>
void residual_block(const Model& model, MatrixRM& x, const Norm& norm, const Block& block) {
  const ModelConfig& c = model.config;
  if (c.pre_norm) {
    MatrixRM h = x;
    apply_norm(h, norm, c.norm, c.norm_eps);
    x += block(h);
  } else {
    x += block(x);
    apply_norm(x, norm, c.norm, c.norm_eps);
  }
}

// ---- encoder -------------------------------------------------------------------

struct EncoderRun {
  MatrixRM output;                      // [Ts, D] what cross-attention reads (after T5's final norm)
  std::vector<MatrixRM> residual;       // [L + 1] each [Ts, D]
  std::vector<MatrixRM> position_bias;  // T5: [H] each [Ts, Ts]
};

// Without `positions` Marian's sinusoids count as zero and T5's bias is left out.
// `timing`: [L] layer timings to fill, or null.
EncoderRun encode(const Model& model, const std::vector<int>& ids, const HeadSet& ablated, bool positions,
                  HeadCapture* captures /* [L*H] or null */, const std::atomic<bool>* cancel,
                  std::vector<LayerTiming>* timing = nullptr) {
  const ModelConfig& c = model.config;
  const int Ts = static_cast<int>(ids.size());
  EncoderRun run;
  const EncoderDecoderWeights& edw = decoder_of(model).weights;
  MatrixRM x = embed(model, ids, 0, positions ? model.weights.position_embedding : nullptr);  // [Ts, D] the residual stream
  run.position_bias = position_bias(model, positions ? edw.encoder_relative_bias : nullptr, true, 0, Ts, Ts);
  run.residual.push_back(x);
  for (int l = 0; l < c.n_layers; ++l) {
    check_cancel(cancel);
    const LayerWeights& lw = model.weights.layers[static_cast<size_t>(l)];
    LayerTiming* t = layer_timing(timing, l);
    ScopedTime whole_block(total_ms(t));
    AttentionCall call{
        l, 0, false, run.position_bias.empty() ? nullptr : &run.position_bias, &ablated, captures ? captures + l * c.n_heads : nullptr, t};
    residual_block(model, x, lw.attn_norm, [&](const MatrixRM& h) {
      KeyValues kv;
      {
        ScopedTime keys(projections_ms(t));
        append_keys(h, lw.wk, lw.wv, c.n_heads, c.head_dim, kv);
      }
      return attend(model, h, lw.wq, lw.wo, kv, call);
    });
    residual_block(model, x, lw.ffn_norm, [&](const MatrixRM& h) { return timed(mlp_ms(t), [&] { return ffn(model, lw, h); }); });
    run.residual.push_back(x);
  }
  if (model.weights.final_norm.weight) apply_norm(x, model.weights.final_norm, c.norm, c.norm_eps);
  run.output = std::move(x);
  return run;
}

// ---- decoder -------------------------------------------------------------------

struct DecoderState {
  std::vector<KeyValues> self;   // [Ld] keys/values of every position so far
  std::vector<KeyValues> cross;  // [Ld] of the encoder output, computed once
  int length = 0;                // positions already in `self`
};

// `timing`: [Ld] decoder layer timings, which count the encoder output's
// cross keys and values as projections; null when untimed.
DecoderState start_decoder(const Model& model, const MatrixRM& encoder_output, std::vector<LayerTiming>* timing = nullptr) {
  const EncoderDecoder& ed = decoder_of(model);
  DecoderState state;
  state.self.resize(ed.weights.layers.size());
  for (size_t l = 0; l < ed.weights.layers.size(); ++l) {
    const DecoderLayerWeights& lw = ed.weights.layers[l];
    LayerTiming* t = layer_timing(timing, static_cast<int>(l));
    ScopedTime whole(total_ms(t));  // first, so that it encloses the projection time
    ScopedTime keys(projections_ms(t));
    KeyValues kv;
    append_keys(encoder_output, lw.cross.wk, lw.cross.wv, model.config.n_heads, model.config.head_dim, kv);
    state.cross.push_back(std::move(kv));
  }
  return state;
}

struct DecoderRequest {
  const HeadSet* self_ablated = nullptr;
  const HeadSet* cross_ablated = nullptr;
  DecoderCapture* capture = nullptr;  // filled when set (a whole run from position 0)
  const std::atomic<bool>* cancel = nullptr;
  bool positions = true;  // false: no position embedding rows and no relative bias
  std::vector<LayerTiming>* timing = nullptr;  // [Ld] to fill, or null
};

// Feeds `ids` at positions state.length, state.length + 1, ... and returns
// the decoder's last hidden state of those rows (after T5's final norm).   -> [n, D]
MatrixRM decode(const Model& model, const std::vector<int>& ids, DecoderState& state, const DecoderRequest& request) {
  const ModelConfig& c = model.config;
  const EncoderDecoder& ed = decoder_of(model);
  const int first = state.length, n = static_cast<int>(ids.size()), H = c.n_heads;
  DecoderCapture* cap = request.capture;
  MatrixRM y = embed(model, ids, first, request.positions ? ed.weights.decoder_position_embedding : nullptr);  // [n, D]
  const float* bias_table = request.positions ? ed.weights.decoder_relative_bias : nullptr;
  const std::vector<MatrixRM> bias = position_bias(model, bias_table, false, first, n, first + n);
  if (cap) cap->residual.push_back(y);
  for (int l = 0; l < ed.config.n_decoder_layers; ++l) {
    check_cancel(request.cancel);
    const DecoderLayerWeights& lw = ed.weights.layers[static_cast<size_t>(l)];
    LayerTiming* t = layer_timing(request.timing, l);
    ScopedTime whole_block(total_ms(t));
    AttentionCall self{
        l, first, true, bias.empty() ? nullptr : &bias, request.self_ablated, cap ? &cap->self_heads[static_cast<size_t>(l * H)] : nullptr, t};
    residual_block(model, y, lw.self.attn_norm, [&](const MatrixRM& h) {
      {
        ScopedTime keys(projections_ms(t));
        append_keys(h, lw.self.wk, lw.self.wv, H, c.head_dim, state.self[static_cast<size_t>(l)]);
      }
      return attend(model, h, lw.self.wq, lw.self.wo, state.self[static_cast<size_t>(l)], self);
    });
    // Cross-attention has no position bias and no mask.
    AttentionCall cross{l, first, false, nullptr, request.cross_ablated, cap ? &cap->cross_heads[static_cast<size_t>(l * H)] : nullptr, t, true};
    residual_block(model, y, lw.cross.norm, [&](const MatrixRM& h) {
      return attend(model, h, lw.cross.wq, lw.cross.wo, state.cross[static_cast<size_t>(l)], cross);
    });
    residual_block(model, y, lw.self.ffn_norm, [&](const MatrixRM& h) { return timed(mlp_ms(t), [&] { return ffn(model, lw.self, h); }); });
    if (cap) cap->residual.push_back(y);
  }
  state.length += n;
  if (ed.weights.final_norm.weight) apply_norm(y, ed.weights.final_norm, c.norm, c.norm_eps);
  if (cap) cap->decoder_position_bias = bias;
  return y;
}

// ---- output head ---------------------------------------------------------------

// logits = (y * scale) · Eᵀ + final_logits_bias.          y [n, D] -> [n, V]
MatrixRM output_logits(const Model& model, MatrixRM y) {
  y *= decoder_of(model).config.logits_scale;
  return matmul_transposed(y, model.weights.lm_head, model.config.vocab_size, model.weights.lm_head_bias);
}

void suppress(const Model& model, Eigen::Ref<MatrixRM> logits) {
  for (int id : decoder_of(model).config.suppressed_ids)
    if (id >= 0 && id < logits.cols()) logits.col(id).setConstant(kNegInf);
}

// ---- checks ----------------------------------------------------------------------

void check_ids(const Model& model, const std::vector<Token>& tokens, const char* side) {
  const ModelConfig& c = model.config;
  if (tokens.empty()) throw Error(ErrorKind::OutOfRange, std::string("nothing to run: the ") + side + " has no tokens");
  if (decoder_of(model).config.sinusoidal_positions && static_cast<int>(tokens.size()) > c.max_positions)
    throw Error(ErrorKind::OutOfRange, std::string("the ") + side + " has " + std::to_string(tokens.size()) +
                                           " tokens, more than the model's " + std::to_string(c.max_positions) + " positions");
  for (const Token& t : tokens)
    if (t.id < 0 || t.id >= c.vocab_size)
      throw Error(ErrorKind::OutOfRange,
                  "token id " + std::to_string(t.id) + " is outside the vocabulary (0.." + std::to_string(c.vocab_size - 1) + ")");
}

void check_heads(const HeadSet& heads, int layers, int n_heads, const char* kind) {
  for (const auto& [layer, head] : heads)
    if (layer < 0 || layer >= layers || head < 0 || head >= n_heads)
      throw Error(ErrorKind::OutOfRange, std::string("cannot ablate ") + kind + " layer " + std::to_string(layer) + " head " +
                                             std::to_string(head) + ": the model has " + std::to_string(layers) + " " + kind +
                                             " layers of " + std::to_string(n_heads) + " heads");
}

void check_interventions(const Model& model, const Interventions& iv) {
  const int L = model.config.n_layers, Ld = decoder_of(model).config.n_decoder_layers, H = model.config.n_heads;
  check_heads(iv.ablated_heads, L, H, "encoder");
  check_heads(iv.ablated_decoder_heads, Ld, H, "decoder");
  check_heads(iv.ablated_cross_heads, Ld, H, "cross-attention");
  if (!iv.masked_keys.empty() || iv.causal)
    throw Error(ErrorKind::Unsupported, "masked keys and the causal switch are not available for encoder-decoder models");
}

std::vector<int> ids_of(const std::vector<Token>& tokens) {
  std::vector<int> ids;
  for (const Token& t : tokens) ids.push_back(t.id);
  return ids;
}

// The decoder rows' logits and predictions into the capture.
void fill_predictions(const Model& model, DecoderCapture& cap, const RunOptions& options) {
  MatrixRM logits = output_logits(model, cap.final_hidden);  // [Tt, V]
  cap.top.resize(static_cast<size_t>(cap.n_tokens));
  if (options.top_k > 0 && options.predict != RunOptions::Predict::None) {
    MatrixRM shown = logits;  // what generation could choose from
    suppress(model, shown);
    const int first = options.predict == RunOptions::Predict::Last ? cap.n_tokens - 1 : 0;
    predict(model, shown.middleRows(first, cap.n_tokens - first), first, options.top_k, cap.top);
  }
  if (options.keep_logits) cap.logits = std::move(logits);
}

}  // namespace

bool is_encoder_decoder(const Model& model) { return model.encoder_decoder != nullptr; }

std::shared_ptr<const AttentionSnapshot> run_seq2seq_tokens(const std::shared_ptr<const Model>& model_ptr, std::vector<Token> source,
                                                            std::vector<Token> decoder_input, const RunOptions& options,
                                                            std::string source_text, std::string target_text) {
  const Model& model = *model_ptr;
  const ModelConfig& c = model.config;
  const EncoderDecoder& ed = decoder_of(model);
  check_ids(model, source, "source");
  check_ids(model, decoder_input, "target");
  check_interventions(model, options.interventions);

  auto snap = std::make_shared<AttentionSnapshot>();
  snap->model = model_ptr;
  snap->text = std::move(source_text);
  snap->tokens = std::move(source);
  snap->interventions = options.interventions;
  snap->causal = false;
  snap->n_layers = c.n_layers;
  snap->n_heads = c.n_heads;
  snap->n_tokens = static_cast<int>(snap->tokens.size());
  snap->dim = c.dim;
  snap->head_dim = c.head_dim;
  snap->heads.resize(static_cast<size_t>(c.n_layers * c.n_heads));
  snap->top.resize(static_cast<size_t>(snap->n_tokens));  // the encoder predicts nothing

  const Interventions& iv = options.interventions;
  const auto start = std::chrono::steady_clock::now();
  ForwardTiming& timing = snap->timing;
  if (options.time_layers) {
    timing.layers.resize(static_cast<size_t>(c.n_layers));
    timing.decoder_layers.resize(static_cast<size_t>(ed.config.n_decoder_layers));
    timing.rows = snap->n_tokens;
    timing.decoder_rows = static_cast<int>(decoder_input.size());
  }
  std::vector<LayerTiming>* encoder_timing = options.time_layers ? &timing.layers : nullptr;
  std::vector<LayerTiming>* decoder_timing = options.time_layers ? &timing.decoder_layers : nullptr;
  EncoderRun enc = encode(model, ids_of(snap->tokens), iv.ablated_heads, iv.positions, snap->heads.data(), options.cancel,
                          encoder_timing);
  snap->residual = std::move(enc.residual);
  snap->final_hidden = enc.output;

  auto cap = std::make_shared<DecoderCapture>();
  cap->target_text = std::move(target_text);
  cap->tokens = std::move(decoder_input);
  cap->n_layers = ed.config.n_decoder_layers;
  cap->n_heads = c.n_heads;
  cap->n_tokens = static_cast<int>(cap->tokens.size());
  cap->self_heads.resize(static_cast<size_t>(cap->n_layers * c.n_heads));
  cap->cross_heads.resize(cap->self_heads.size());
  cap->encoder_position_bias = std::move(enc.position_bias);
  DecoderState state = start_decoder(model, enc.output, decoder_timing);
  DecoderRequest request{&iv.ablated_decoder_heads, &iv.ablated_cross_heads, cap.get(), options.cancel, iv.positions, decoder_timing};
  cap->final_hidden = decode(model, ids_of(cap->tokens), state, request);
  fill_predictions(model, *cap, options);
  if (options.time_layers)
    timing.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  snap->decoder = std::move(cap);
  return snap;
}

GreedyTranslation translate_greedy(const std::shared_ptr<const Model>& model_ptr, const std::vector<Token>& source, int max_new_tokens,
                                   const Interventions& interventions, const std::atomic<bool>* cancel) {
  const Model& model = *model_ptr;
  const EncoderDecoderConfig& dc = decoder_of(model).config;
  check_ids(model, source, "source");
  check_interventions(model, interventions);
  if (dc.sinusoidal_positions) max_new_tokens = std::min(max_new_tokens, model.config.max_positions - 1);
  const EncoderRun enc = encode(model, ids_of(source), interventions.ablated_heads, interventions.positions, nullptr, cancel);
  DecoderState state = start_decoder(model, enc.output);
  const DecoderRequest request{&interventions.ablated_decoder_heads, &interventions.ablated_cross_heads, nullptr, cancel,
                               interventions.positions};

  GreedyTranslation out;
  out.ids = {dc.decoder_start_id};
  out.step_logits.resize(0, model.config.vocab_size);
  for (int step = 0; step < max_new_tokens; ++step) {
    MatrixRM logits = output_logits(model, decode(model, {out.ids.back()}, state, request));  // [1, V]
    suppress(model, logits);
    Eigen::Index best = 0;
    logits.row(0).maxCoeff(&best);  // the first maximum wins ties, as torch.argmax
    out.step_logits.conservativeResize(step + 1, Eigen::NoChange);
    out.step_logits.row(step) = logits.row(0);
    out.ids.push_back(static_cast<int>(best));
    if (best == dc.eos_id) break;
  }
  return out;
}

}  // namespace attnscope
