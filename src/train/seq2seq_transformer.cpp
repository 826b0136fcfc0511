// Forward pass of the trainable encoder-decoder, read top to bottom like the
// engine's src/core/seq2seq_forward.cpp, keeping what the backward pass needs.
#include "train/seq2seq_transformer.h"

#include <cmath>

#include "core/encoder_decoder.h"
#include "core/error.h"

namespace attnscope::train {

template <class S>
Seq2SeqTransformer<S>::Seq2SeqTransformer(const Seq2SeqShape& shape) : shape_(shape), layout_(make_seq2seq_layout(shape)) {
  params.assign(layout_.total, S(0));
  grads.assign(layout_.total, S(0));
  // The engine keeps the table in float, so the double model reads the same values.
  const std::vector<float> table = marian_sinusoid_table(shape.max_positions, shape.dim);
  positions_.assign(table.begin(), table.end());
}

template <class S>
void Seq2SeqTransformer<S>::check(const Seq2SeqBatch& b) const {
  const auto fail = [](const std::string& what) { throw Error("seq2seq batch: " + what); };
  if (b.batch <= 0 || b.source_tokens <= 0 || b.target_tokens <= 0) fail("empty");
  if (static_cast<int>(b.source_ids.size()) != b.batch * b.source_tokens) fail("source ids do not match B x Ts");
  if (static_cast<int>(b.decoder_ids.size()) != b.batch * b.target_tokens) fail("decoder ids do not match B x Tt");
  if (static_cast<int>(b.targets.size()) != b.batch * b.target_tokens) fail("targets do not match B x Tt");
  if (std::max(b.source_tokens, b.target_tokens) > shape_.max_positions)
    fail(std::to_string(std::max(b.source_tokens, b.target_tokens)) + " tokens, more than the model's " +
         std::to_string(shape_.max_positions) + " positions");
  for (const auto* ids : {&b.source_ids, &b.decoder_ids})
    for (int id : *ids)
      if (id < 0 || id >= shape_.vocab_size) fail("token id " + std::to_string(id) + " outside the vocabulary");
}

// x = shared[ids]·√D + P[position], positions from 0 in each sequence.
template <class S>
Mat<S> Seq2SeqTransformer<S>::embed(const std::vector<int>& ids, int tokens) {
  const int D = shape_.dim, N = static_cast<int>(ids.size());
  const S scale = static_cast<S>(std::sqrt(static_cast<double>(D)));
  ConstMatMap<S> table(p(layout_.shared), shape_.vocab_size, D);          // [V, D]
  ConstMatMap<S> pos(positions_.data(), shape_.max_positions, D);         // [P, D]
  Mat<S> x(N, D);                                                          // [N, D]
  for (int r = 0; r < N; ++r) x.row(r) = table.row(ids[static_cast<size_t>(r)]) * scale + pos.row(r % tokens);
  return x;
}

template <class S>
void Seq2SeqTransformer<S>::self_attention_block(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c, Mat<S>& x) {
  const int D = shape_.dim;
  c.in = x;
  linear_forward(c.in, p(o.q_w), p(o.q_b), D, 3 * D, c.q);  // [N, 3D] = q | k | v
  attention_forward<S>(a, {&c.q, 0}, {&c.q, D}, {&c.q, 2 * D}, c.probs, c.ctx);
  Mat<S> sum;  // [N, D]
  linear_forward(c.ctx, p(o.out_w), p(o.out_b), D, D, sum);
  sum += c.in;
  layer_norm_forward(sum, p(o.ln_w), p(o.ln_b), shape_.norm_eps, x, c.ln);
}

template <class S>
void Seq2SeqTransformer<S>::cross_attention_block(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c,
                                                  const Mat<S>& memory, Mat<S>& y) {
  const int D = shape_.dim;
  c.in = y;
  linear_forward(c.in, p(o.q_w), p(o.q_b), D, D, c.q);          // [Nt, D]
  linear_forward(memory, p(o.kv_w), p(o.kv_b), D, 2 * D, c.kv);  // [Ns, 2D] = k | v
  attention_forward<S>(a, {&c.q, 0}, {&c.kv, 0}, {&c.kv, D}, c.probs, c.ctx);
  Mat<S> sum;  // [Nt, D]
  linear_forward(c.ctx, p(o.out_w), p(o.out_b), D, D, sum);
  sum += c.in;
  layer_norm_forward(sum, p(o.ln_w), p(o.ln_b), shape_.norm_eps, y, c.ln);
}

template <class S>
void Seq2SeqTransformer<S>::ffn_block(const FfnOffsets& o, FfnCache& c, Mat<S>& x) {
  const int D = shape_.dim, F = shape_.ffn_dim;
  c.in = x;
  linear_forward(c.in, p(o.fc1_w), p(o.fc1_b), D, F, c.up_pre);  // [N, F]
  silu_forward(c.up_pre, c.up_act);
  Mat<S> sum;  // [N, D]
  linear_forward(c.up_act, p(o.fc2_w), p(o.fc2_b), F, D, sum);
  sum += c.in;
  layer_norm_forward(sum, p(o.ln_w), p(o.ln_b), shape_.norm_eps, x, c.ln);
}

template <class S>
void Seq2SeqTransformer<S>::forward(const Seq2SeqBatch& batch, Cache& cache) {
  check(batch);
  const int B = batch.batch, Ts = batch.source_tokens, Tt = batch.target_tokens, H = shape_.n_heads, Dh = shape_.head_dim();
  // Padding source tokens are keys nobody attends to, in the encoder and in cross-attention.
  cache.source_visible.resize(batch.source_ids.size());
  for (size_t i = 0; i < batch.source_ids.size(); ++i) cache.source_visible[i] = batch.source_ids[i] != shape_.pad_id;
  for (int b = 0; b < B; ++b)
    if (!cache.source_visible[static_cast<size_t>(b * Ts)])
      throw Error("seq2seq batch: source " + std::to_string(b) + " starts with padding");
  cache.encoder_self = {B, Ts, Ts, H, Dh, false, &cache.source_visible};
  cache.decoder_self = {B, Tt, Tt, H, Dh, true, nullptr};
  cache.cross = {B, Tt, Ts, H, Dh, false, &cache.source_visible};

  Mat<S> x = embed(batch.source_ids, Ts);  // [Ns, D]
  cache.encoder.resize(layout_.encoder.size());
  for (size_t l = 0; l < layout_.encoder.size(); ++l) {
    self_attention_block(layout_.encoder[l].self, cache.encoder_self, cache.encoder[l].self, x);
    ffn_block(layout_.encoder[l].ffn, cache.encoder[l].ffn, x);
  }
  cache.memory = std::move(x);  // no final norm: the last layer's output

  Mat<S> y = embed(batch.decoder_ids, Tt);  // [Nt, D]
  cache.decoder.resize(layout_.decoder.size());
  for (size_t l = 0; l < layout_.decoder.size(); ++l) {
    const DecoderLayerOffsets& o = layout_.decoder[l];
    self_attention_block(o.self, cache.decoder_self, cache.decoder[l].self, y);
    cross_attention_block(o.cross, cache.cross, cache.decoder[l].cross, cache.memory, y);
    ffn_block(o.ffn, cache.decoder[l].ffn, y);
  }
  cache.final_h = std::move(y);
}

// logits = h·sharedᵀ + final_logits_bias.       -> [R, V]
template <class S>
Mat<S> Seq2SeqTransformer<S>::head_forward(Cache& cache) {
  const int R = static_cast<int>(cache.rows.size());
  cache.head_in.resize(R, shape_.dim);
  for (int r = 0; r < R; ++r) cache.head_in.row(r) = cache.final_h.row(cache.rows[static_cast<size_t>(r)]);
  Mat<S> logits;
  tied_head_forward<S>(cache.head_in, p(layout_.shared), p(layout_.logits_bias), shape_.vocab_size, logits);
  return logits;
}

template <class S>
double Seq2SeqTransformer<S>::loss(const Seq2SeqBatch& batch, bool want_backward) {
  Cache cache;
  forward(batch, cache);
  std::vector<int> targets;  // [R]
  for (int r = 0; r < static_cast<int>(batch.targets.size()); ++r) {
    if (batch.targets[static_cast<size_t>(r)] < 0) continue;
    cache.rows.push_back(r);
    targets.push_back(batch.targets[static_cast<size_t>(r)]);
  }
  if (targets.empty()) throw Error("seq2seq batch: no position has a target");
  Mat<S> logits = head_forward(cache);
  const double value = cross_entropy(logits, targets, want_backward);
  if (want_backward) backward(batch, cache, logits);
  return value;
}

template <class S>
Mat<S> Seq2SeqTransformer<S>::logits(const Seq2SeqBatch& batch) {
  Cache cache;
  forward(batch, cache);
  for (int r = 0; r < batch.batch * batch.target_tokens; ++r) cache.rows.push_back(r);
  return head_forward(cache);
}

template <class S>
std::vector<Mat<S>> Seq2SeqTransformer<S>::cross_attention(const Seq2SeqBatch& batch, int layer) {
  if (layer < 0 || layer >= shape_.decoder_layers) throw Error("cross_attention: no decoder layer " + std::to_string(layer));
  Cache cache;
  forward(batch, cache);
  return std::move(cache.decoder[static_cast<size_t>(layer)].cross.probs);
}

template class Seq2SeqTransformer<float>;
template class Seq2SeqTransformer<double>;

}  // namespace attnscope::train
