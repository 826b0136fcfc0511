// Where a forward pass spent its time, layer by layer: the record behind the
// cost panel. Filled only when RunOptions::time_layers is set; reading the
// steady clock a few times per layer costs nanoseconds against milliseconds
// of matrix products, and the clock never touches a value the pass computes.
//
// Which products count where (forward.cpp, seq2seq_forward.cpp):
//   mixing      q·kᵀ, the scale, mask and softmax, probs·v for every head,
//               and copying q, k, v, probs and the head outputs into the
//               snapshot: the work that grows with T² (every query looks at
//               every key).
//   projections the Q, K, V projections (with RoPE) and the output
//               projection: T·D² work, each token alone.
//   mlp         up (and gate), the activation, down: T·D·F work.
//   total       the whole block: the three above plus the norms, the
//               residual adds and the copy of the residual stream.
// Encoder-decoder decoders add cross-attention (decoder queries against the
// encoder's keys) to mixing and its projections, including the keys and
// values of the encoder output, to projections.
//
// Shape legend: L layers, Ld decoder layers.
#pragma once
#include <chrono>
#include <vector>

namespace attnscope {

struct LayerTiming {
  double mixing_ms = 0;       // scores, softmax, weighted sum (T² work)
  double projections_ms = 0;  // Q/K/V and output projections (T·D² work)
  double mlp_ms = 0;          // feed-forward block (T·D·F work)
  double total_ms = 0;        // the whole block, >= the three parts together
  // Decoder layers only: the share of mixing_ms that is cross-attention.
  double cross_mixing_ms = 0;

  double attention_ms() const { return mixing_ms + projections_ms; }
};

struct ForwardTiming {
  std::vector<LayerTiming> layers;          // [L] the (encoder) stack; empty when not timed
  std::vector<LayerTiming> decoder_layers;  // [Ld] encoder-decoder models only
  int rows = 0;          // query rows computed; fewer than T when a causal run reused an earlier run's rows
  int decoder_rows = 0;  // decoder rows computed (encoder-decoder models)
  double total_ms = 0;   // embeddings to output head, the whole pass

  bool empty() const { return layers.empty(); }
};

// Adds the time from construction to destruction to *target; does nothing,
// not even read the clock, when target is null (the untimed path).
class ScopedTime {
 public:
  explicit ScopedTime(double* target) : target_(target) {
    if (target_) start_ = std::chrono::steady_clock::now();
  }
  ~ScopedTime() {
    if (target_) *target_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }
  ScopedTime(const ScopedTime&) = delete;
  ScopedTime& operator=(const ScopedTime&) = delete;

 private:
  double* target_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace attnscope
