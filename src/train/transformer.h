// A trainable GPT-2-style causal LM or BERT-style masked LM: forward pass
// with the activations its backward pass needs, and the backward pass of
// every op. Templated on the scalar so the gradient check can run in double.
//
// Shape legend: B sequences, T tokens per sequence, N = B·T rows, H heads,
// D model dim, Dh head dim, F feed-forward dim, V vocab, R rows with a target.
#pragma once
#include <vector>

#include "train/param_layout.h"
#include "train/tensor_math.h"

namespace attnscope::train {

// B sequences of T tokens, row-major.
struct Batch {
  int batch = 0;               // B
  int tokens = 0;              // T
  std::vector<int> ids;        // [B*T]
  std::vector<int> types;      // [B*T] BERT segment ids; empty = all 0
  std::vector<int> targets;    // [B*T] token to predict at each row, -1 = none
};

template <class S>
class Transformer {
 public:
  explicit Transformer(const ModelShape& shape);

  const ModelShape& shape() const { return shape_; }
  const ParamLayout& layout() const { return layout_; }

  std::vector<S> params;  // flat, see ParamLayout
  std::vector<S> grads;   // same layout; loss(…, true) adds to it

  // Mean cross-entropy over the rows that have a target. With `backward`,
  // adds d(loss)/d(params) to `grads` (zero them first for a fresh step).
  double loss(const Batch& batch, bool backward);

  // The output head on every row, as the engine computes it.   -> [N, V]
  Mat<S> logits(const Batch& batch);

 private:
  struct LayerCache {
    Mat<S> attn_in;                 // [N, D] GPT: ln1(x); BERT: x
    LayerNormCache<S> ln1, ln2;
    Mat<S> qkv;                     // [N, 3D]
    std::vector<Mat<S>> probs;      // [B*H] of [T, T]
    Mat<S> ctx;                     // [N, D] heads side by side
    Mat<S> mlp_in;                  // [N, D] GPT: ln2(x); BERT: ln1(x + attn)
    Mat<S> up_pre, up_act;          // [N, F]
  };
  struct Cache {
    int batch = 0, tokens = 0;
    LayerNormCache<S> emb_ln;       // BERT
    std::vector<LayerCache> layers; // [L]
    LayerNormCache<S> final_ln;     // GPT
    Mat<S> final_h;                 // [N, D]
    std::vector<int> rows;          // [R] rows that go through the head
    Mat<S> head_in;                 // [R, D]
    Mat<S> head_pre, head_act;      // [R, D] BERT transform
    LayerNormCache<S> head_ln;      // BERT
    Mat<S> head_out;                // [R, D] what multiplies the embeddings
  };

  S* p(std::size_t offset) { return params.data() + offset; }
  S* g(std::size_t offset) { return grads.data() + offset; }

  void forward(const Batch& batch, Cache& cache);  // up to final_h
  Mat<S> head_forward(Cache& cache);               // -> logits [R, V]
  Mat<S> attention_forward(const Batch& batch, const LayerOffsets& o, LayerCache& lc);
  Mat<S> mlp_forward(const LayerOffsets& o, LayerCache& lc);

  void backward(const Batch& batch, Cache& cache, Mat<S>& dlogits);
  Mat<S> attention_backward(const LayerOffsets& o, LayerCache& lc, int batch, int tokens, const Mat<S>& dout);
  Mat<S> mlp_backward(const LayerOffsets& o, LayerCache& lc, const Mat<S>& dout);

  ModelShape shape_;
  ParamLayout layout_;
  GeluKind gelu_;
};

extern template class Transformer<float>;
extern template class Transformer<double>;

}  // namespace attnscope::train
