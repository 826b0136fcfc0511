// A trainable Marian-style encoder-decoder (MarianMTModel): post-LN layers,
// token embeddings scaled by √D plus fixed sinusoid positions from 0, SiLU
// feed-forward, causal decoder self-attention, cross-attention to the
// encoder output, one embedding matrix shared by both inputs and the output
// head, and final_logits_bias. Forward pass with the activations its
// backward pass needs, and the backward pass of every op. Templated on the
// scalar so the gradient check can run in double.
//
// Shape legend: B pairs, Ts source tokens, Tt decoder tokens, Ns = B·Ts and
// Nt = B·Tt rows, H heads, D model dim, Dh head dim, F feed-forward dim,
// V vocab, R decoder rows with a target.
#pragma once
#include <cstdint>
#include <vector>

#include "train/attention_math.h"
#include "train/seq2seq_layout.h"
#include "train/tensor_math.h"

namespace attnscope::train {

// B sentence pairs, each side padded with the pad id to its longest member.
struct Seq2SeqBatch {
  int batch = 0;                 // B
  int source_tokens = 0;         // Ts
  int target_tokens = 0;         // Tt
  std::vector<int> source_ids;   // [B*Ts] source then </s>, then pad
  std::vector<int> decoder_ids;  // [B*Tt] start token (= pad), target without </s>, then pad
  std::vector<int> targets;      // [B*Tt] target then </s>, -1 = nothing to predict
};

template <class S>
class Seq2SeqTransformer {
 public:
  explicit Seq2SeqTransformer(const Seq2SeqShape& shape);

  const Seq2SeqShape& shape() const { return shape_; }
  const Seq2SeqLayout& layout() const { return layout_; }

  std::vector<S> params;  // flat, see Seq2SeqLayout
  std::vector<S> grads;   // same layout; loss(…, true) adds to it

  // Mean cross-entropy over the decoder rows that have a target. With
  // `backward`, adds d(loss)/d(params) to `grads` (zero them first).
  double loss(const Seq2SeqBatch& batch, bool backward);

  // The output head on every decoder row, as the engine computes it.  -> [Nt, V]
  Mat<S> logits(const Seq2SeqBatch& batch);

  // Cross-attention probabilities of decoder layer `layer`: [B*H] of [Tt, Ts],
  // index b*H + h; padding source tokens get 0.
  std::vector<Mat<S>> cross_attention(const Seq2SeqBatch& batch, int layer);

 private:
  struct AttentionCache {
    Mat<S> in;                   // [Nq, D] the block's input (the queries' side)
    Mat<S> q;                    // self: [Nq, 3D] q | k | v; cross: [Nt, D]
    Mat<S> kv;                   // cross: [Ns, 2D] k | v from the encoder output
    std::vector<Mat<S>> probs;   // [B*H] of [Tq, Tk]
    Mat<S> ctx;                  // [Nq, D] heads side by side
    LayerNormCache<S> ln;
  };
  struct FfnCache {
    Mat<S> in;                   // [N, D]
    Mat<S> up_pre, up_act;       // [N, F]
    LayerNormCache<S> ln;
  };
  struct EncoderLayerCache {
    AttentionCache self;
    FfnCache ffn;
  };
  struct DecoderLayerCache {
    AttentionCache self, cross;
    FfnCache ffn;
  };
  struct Cache {
    AttentionShape encoder_self, decoder_self, cross;
    std::vector<std::uint8_t> source_visible;  // [Ns] 0 = padding
    std::vector<EncoderLayerCache> encoder;    // [L encoder]
    Mat<S> memory;                             // [Ns, D] encoder output
    std::vector<DecoderLayerCache> decoder;    // [L decoder]
    Mat<S> final_h;                            // [Nt, D]
    std::vector<int> rows;                     // [R] decoder rows through the head
    Mat<S> head_in;                            // [R, D]
  };

  S* p(std::size_t offset) { return params.data() + offset; }
  S* g(std::size_t offset) { return grads.data() + offset; }

  void check(const Seq2SeqBatch& batch) const;
  Mat<S> embed(const std::vector<int>& ids, int tokens);  // -> [N, D]
  void forward(const Seq2SeqBatch& batch, Cache& cache);   // up to final_h
  Mat<S> head_forward(Cache& cache);                       // -> logits [R, V]

  // Post-LN sublayers, in place: x = LN(x + f(x)).
  void self_attention_block(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c, Mat<S>& x);
  void cross_attention_block(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c, const Mat<S>& memory, Mat<S>& y);
  void ffn_block(const FfnOffsets& o, FfnCache& c, Mat<S>& x);

  // Each takes d(block output) and returns d(block input).
  void backward(const Seq2SeqBatch& batch, Cache& cache, Mat<S>& dlogits);
  Mat<S> self_attention_backward(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c, const Mat<S>& dout);
  // Also adds d(encoder output) to `dmemory`.
  Mat<S> cross_attention_backward(const AttentionOffsets& o, const AttentionShape& a, AttentionCache& c, const Mat<S>& memory,
                                  const Mat<S>& dout, Mat<S>& dmemory);
  Mat<S> ffn_backward(const FfnOffsets& o, FfnCache& c, const Mat<S>& dout);
  void embed_backward(const std::vector<int>& ids, const Mat<S>& dx);

  Seq2SeqShape shape_;
  Seq2SeqLayout layout_;
  std::vector<S> positions_;  // [P, D] Marian's fixed sinusoid table
};

extern template class Seq2SeqTransformer<float>;
extern template class Seq2SeqTransformer<double>;

}  // namespace attnscope::train
