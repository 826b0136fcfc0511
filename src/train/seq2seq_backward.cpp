// Backward pass of the trainable encoder-decoder: the forward pass of
// seq2seq_transformer.cpp read bottom to top, each op's gradient in
// tensor_math.cpp and attention_math.cpp.
#include "train/seq2seq_transformer.h"

#include <cmath>

namespace attnscope::train {

template <class S>
void Seq2SeqTransformer<S>::backward(const Seq2SeqBatch& batch, Cache& cache, Mat<S>& dlogits) {
  const int D = shape_.dim;
  Mat<S> dhead_in;  // [R, D]
  tied_head_backward<S>(cache.head_in, p(layout_.shared), dlogits, shape_.vocab_size, dhead_in, g(layout_.shared),
                        g(layout_.logits_bias));
  Mat<S> dy = Mat<S>::Zero(cache.final_h.rows(), D);  // [Nt, D]
  for (int r = 0; r < static_cast<int>(cache.rows.size()); ++r) dy.row(cache.rows[static_cast<size_t>(r)]) += dhead_in.row(r);

  // Decoder, last layer first; every layer's cross-attention adds to d(memory).
  Mat<S> dmemory = Mat<S>::Zero(cache.memory.rows(), D);  // [Ns, D]
  for (int l = shape_.decoder_layers - 1; l >= 0; --l) {
    const DecoderLayerOffsets& o = layout_.decoder[static_cast<size_t>(l)];
    DecoderLayerCache& c = cache.decoder[static_cast<size_t>(l)];
    dy = ffn_backward(o.ffn, c.ffn, dy);
    dy = cross_attention_backward(o.cross, cache.cross, c.cross, cache.memory, dy, dmemory);
    dy = self_attention_backward(o.self, cache.decoder_self, c.self, dy);
  }
  embed_backward(batch.decoder_ids, dy);

  Mat<S> dx = std::move(dmemory);  // [Ns, D]
  for (int l = shape_.encoder_layers - 1; l >= 0; --l) {
    const EncoderLayerOffsets& o = layout_.encoder[static_cast<size_t>(l)];
    EncoderLayerCache& c = cache.encoder[static_cast<size_t>(l)];
    dx = ffn_backward(o.ffn, c.ffn, dx);
    dx = self_attention_backward(o.self, cache.encoder_self, c.self, dx);
  }
  embed_backward(batch.source_ids, dx);
}

// out = LN(x + f(x)): dsum = LN'(dout), dx = dsum + f'(dsum).
template <class S>
Mat<S> Seq2SeqTransformer<S>::ffn_backward(const FfnOffsets& o, FfnCache& c, const Mat<S>& dout) {
  const int D = shape_.dim, F = shape_.ffn_dim;
  Mat<S> dsum, dact, dpre, din;
  layer_norm_backward(dout, p(o.ln_w), c.ln, dsum, g(o.ln_w), g(o.ln_b));  // [N, D]
  linear_backward(c.up_act, p(o.fc2_w), dsum, F, D, &dact, g(o.fc2_w), g(o.fc2_b));  // [N, F]
  silu_backward(c.up_pre, dact, dpre);
  linear_backward(c.in, p(o.fc1_w), dpre, D, F, &din, g(o.fc1_w), g(o.fc1_b));  // [N, D]
  return din + dsum;
}

template <class S>
Mat<S> Seq2SeqTransformer<S>::self_attention_backward(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c,
                                                      const Mat<S>& dout) {
  const int D = shape_.dim;
  Mat<S> dsum, dctx, din;
  layer_norm_backward(dout, p(o.ln_w), c.ln, dsum, g(o.ln_w), g(o.ln_b));  // [N, D]
  linear_backward(c.ctx, p(o.out_w), dsum, D, D, &dctx, g(o.out_w), g(o.out_b));
  Mat<S> dqkv(c.q.rows(), 3 * D);  // [N, 3D]
  attention_backward<S>(a, {&c.q, 0}, {&c.q, D}, {&c.q, 2 * D}, c.probs, dctx, {&dqkv, 0}, {&dqkv, D}, {&dqkv, 2 * D});
  linear_backward(c.in, p(o.q_w), dqkv, D, 3 * D, &din, g(o.q_w), g(o.q_b));
  return din + dsum;
}

template <class S>
Mat<S> Seq2SeqTransformer<S>::cross_attention_backward(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c,
                                                       const Mat<S>& memory, const Mat<S>& dout, Mat<S>& dmemory) {
  const int D = shape_.dim;
  Mat<S> dsum, dctx, din, dmem;
  layer_norm_backward(dout, p(o.ln_w), c.ln, dsum, g(o.ln_w), g(o.ln_b));  // [Nt, D]
  linear_backward(c.ctx, p(o.out_w), dsum, D, D, &dctx, g(o.out_w), g(o.out_b));
  Mat<S> dq(c.q.rows(), D);        // [Nt, D]
  Mat<S> dkv(c.kv.rows(), 2 * D);  // [Ns, 2D]
  attention_backward<S>(a, {&c.q, 0}, {&c.kv, 0}, {&c.kv, D}, c.probs, dctx, {&dq, 0}, {&dkv, 0}, {&dkv, D});
  linear_backward(memory, p(o.kv_w), dkv, D, 2 * D, &dmem, g(o.kv_w), g(o.kv_b));
  dmemory += dmem;
  linear_backward(c.in, p(o.q_w), dq, D, D, &din, g(o.q_w), g(o.q_b));
  return din + dsum;
}

// Embedding rows gather, so their gradients scatter-add, times the √D scale.
template <class S>
void Seq2SeqTransformer<S>::embed_backward(const std::vector<int>& ids, const Mat<S>& dx) {
  const int D = shape_.dim;
  const S scale = static_cast<S>(std::sqrt(static_cast<double>(D)));
  MatMap<S> dshared(g(layout_.shared), shape_.vocab_size, D);  // [V, D]
  for (int r = 0; r < static_cast<int>(ids.size()); ++r) dshared.row(ids[static_cast<size_t>(r)]) += dx.row(r) * scale;
}

#define ATTNSCOPE_INSTANTIATE_SEQ2SEQ_BACKWARD(S)                                                                               \
  template void Seq2SeqTransformer<S>::backward(const Seq2SeqBatch&, Cache&, Mat<S>&);                                          \
  template Mat<S> Seq2SeqTransformer<S>::ffn_backward(const FfnOffsets&, FfnCache&, const Mat<S>&);                             \
  template Mat<S> Seq2SeqTransformer<S>::self_attention_backward(const AttentionOffsets&, const AttentionShape&, AttentionCache&, \
                                                                 const Mat<S>&);                                                \
  template Mat<S> Seq2SeqTransformer<S>::cross_attention_backward(const AttentionOffsets&, const AttentionShape&,              \
                                                                  AttentionCache&, const Mat<S>&, const Mat<S>&, Mat<S>&);      \
  template void Seq2SeqTransformer<S>::embed_backward(const std::vector<int>&, const Mat<S>&);

ATTNSCOPE_INSTANTIATE_SEQ2SEQ_BACKWARD(float)
ATTNSCOPE_INSTANTIATE_SEQ2SEQ_BACKWARD(double)

}  // namespace attnscope::train
