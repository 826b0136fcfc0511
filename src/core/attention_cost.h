// What attention costs: how many weights a layer computes (every query looks
// at every key, H·T² of them), how much memory a snapshot's tensors take, and
// the analytic FLOP count of a layer, whose T² term overtakes the T term at
// a crossover length. Used by the cost panel and its scaling plot.
//
// Shape legend: L layers, Ld decoder layers, H heads, Hkv key/value heads,
// T tokens (queries), Tk keys, D model dim, Dh head dim, F feed-forward dim, V vocab.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model.h"
#include "snapshot.h"

namespace attnscope {

// Attention weights of one layer: H·T·Tk (H·T² for self-attention). The
// same for every layer of a snapshot, since every head sees the same tokens.
std::int64_t attention_entries(int heads, int queries, int keys);
// Of those, the ones a causal mask leaves non-zero: H·T(T+1)/2.
std::int64_t causal_entries(int heads, int tokens);

// One kind of tensor a snapshot stores, all layers together.
struct TensorBytes {
  std::string what;   // "attention probabilities"
  std::string shape;  // "L·H·T·T"
  std::int64_t floats = 0;
  std::int64_t bytes() const { return floats * static_cast<std::int64_t>(sizeof(float)); }
};

// Every float tensor the snapshot holds, counted from the matrices actually
// stored (decoder and cross-attention included); kinds with nothing stored
// are left out. Token strings and predictions are not counted: they are
// small beside the tensors.
std::vector<TensorBytes> snapshot_tensors(const AttentionSnapshot& snapshot);
std::int64_t total_bytes(const std::vector<TensorBytes>& tensors);

// FLOPs of one layer on T tokens, a multiply-add counted as 2:
//   quadratic  q·kᵀ and probs·v: 2·T·T·(H·Dh) each, 4·T²·D when H·Dh = D
//   linear     Q, K, V and output projections and the MLP:
//              2·T·(D·H·Dh + 2·D·Hkv·Dh + H·Dh·D + m·D·F), m = 3 for a gated
//              MLP (Llama, T5 v1.1), else 2; 2·T·(4D² + 2DF) for GPT-2 and BERT.
// Softmax, norms and biases are left out: they are T² and T·D, below both.
struct LayerFlops {
  double quadratic = 0;
  double linear = 0;
};
LayerFlops layer_flops(const Model& model, double tokens);

// The T where the two terms are equal (linear per token / (4·H·Dh)):
// 2D + F for GPT-2 and BERT.
double crossover_tokens(const Model& model);

}  // namespace attnscope
