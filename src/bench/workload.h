// What one forward pass has to do, independent of how it is done: its FLOPs,
// the weight bytes it must read, and the same matrix products done by plain
// Eigen as a yardstick for our own overhead.
//
// Shape legend: L layers, H heads, Hkv key/value heads, T tokens, D model dim,
// Dh head dim, F feed-forward dim, V vocab.
#pragma once
#include <Eigen/Core>
#include <vector>

#include "core/model.h"

namespace attnscope::bench {

struct Flops {
  double linear = 0;     // 2·T·in·out per dense layer
  double attention = 0;  // 2·2·T·T·Dh per head (q·kᵀ and probs·v, full T×T)
  double lm_head = 0;    // 2·T·D·V (plus the masked-LM transform where there is one)
  double total() const { return linear + attention + lm_head; }
};

Flops forward_flops(const ModelConfig& config, int n_tokens);

// Floats one dense layer stores: its weights and bias (0 for an absent layer).
double linear_floats(const Linear& layer);

// Bytes of float32 weights one pass reads: every layer, the norms, the output
// head (read in full even when tied to the embeddings), and T embedding rows.
double weight_bytes_read(const Model& model, int n_tokens);

// The forward's matrix products alone, in order, each one plain Eigen product
// into a preallocated Eigen::MatrixXf, reading the model's own weights. Inputs
// are fixed random matrices of the right shapes: only the arithmetic and the
// weight traffic are the same as the real pass.
class GemmReference {
 public:
  GemmReference(const Model& model, int n_tokens);
  void run();  // one pass's worth of products on the calling thread

 private:
  void linear(const Linear& layer, const Eigen::MatrixXf& x, Eigen::MatrixXf& y);

  const Model& model_;
  Eigen::MatrixXf x_;        // [T, D]     input of the D-wide layers
  Eigen::MatrixXf q_, k_, v_;  // [T, H*Dh], [T, Hkv*Dh], [T, Hkv*Dh]
  Eigen::MatrixXf probs_;    // [T, T]     input of probs·v
  Eigen::MatrixXf scores_;   // [T, T]
  Eigen::MatrixXf context_;  // [T, H*Dh]
  Eigen::MatrixXf d_out_;    // [T, D]
  Eigen::MatrixXf hidden_;   // [T, F]     input of the down projection
  Eigen::MatrixXf f_out_;    // [T, F]
  Eigen::MatrixXf logits_;   // [T, V]
};

}  // namespace attnscope::bench
