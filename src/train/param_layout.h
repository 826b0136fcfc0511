// The parameters of a trainable model as one flat array: where each tensor
// lives, its shape, whether weight decay applies, and its initial values.
// One flat array makes the optimizer, gradient clipping, checkpoints and the
// finite-difference check loops over a single span.
//
// Shape legend: L layers, D model dim, F feed-forward dim, V vocab, P positions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attnscope::train {

enum class Arch { Gpt, Bert };

const char* arch_name(Arch arch);  // "gpt" / "bert"
Arch arch_from_name(const std::string& name);  // throws Error for anything else

struct ModelShape {
  Arch arch = Arch::Gpt;
  int n_layers = 4;       // L
  int n_heads = 4;        // H
  int dim = 128;          // D
  int ffn_dim = 512;      // F
  int vocab_size = 0;     // V
  int max_positions = 128;  // P
  int n_token_types = 2;  // BERT segment embeddings
  double norm_eps = 1e-5; // GPT-2 1e-5; BERT 1e-12

  int head_dim() const { return dim / n_heads; }
  void validate() const;  // throws Error naming the bad field
};

struct ParamInfo {
  std::string name;                  // internal name, e.g. "layer.0.qkv.weight"
  std::vector<std::int64_t> shape;
  std::size_t offset = 0, size = 0;  // into the flat array
  bool decay = false;                // AdamW weight decay: matrices only
};

// Offsets of each role. Matrices are stored [in, out] for both architectures;
// BERT's Q, K and V are kept fused as [D, 3D] and split on export.
struct LayerOffsets {
  std::size_t ln1_w, ln1_b;    // GPT: before attention; BERT: after the attention residual
  std::size_t qkv_w, qkv_b;    // [D, 3D], [3D]
  std::size_t proj_w, proj_b;  // [D, D], [D]
  std::size_t ln2_w, ln2_b;    // GPT: before the MLP; BERT: after the MLP residual
  std::size_t up_w, up_b;      // [D, F], [F]
  std::size_t down_w, down_b;  // [F, D], [D]
};

struct ParamLayout {
  std::vector<ParamInfo> params;
  std::size_t total = 0;
  std::size_t tok_emb = 0;             // [V, D], also the output head (tied)
  std::size_t pos_emb = 0;             // [P, D]
  std::size_t type_emb = 0;            // BERT [types, D]
  std::size_t emb_ln_w = 0, emb_ln_b = 0;      // BERT
  std::vector<LayerOffsets> layers;    // [L]
  std::size_t final_ln_w = 0, final_ln_b = 0;  // GPT ln_f
  std::size_t head_w = 0, head_b = 0;          // BERT MLM transform [D, D]
  std::size_t head_ln_w = 0, head_ln_b = 0;    // BERT MLM LayerNorm
  std::size_t out_bias = 0;                    // BERT [V]

  const ParamInfo& find(const std::string& name) const;  // throws Error when absent
};

ParamLayout make_layout(const ModelShape& shape);

// Appends a tensor at the end of a flat array of `total` values; returns its offset.
std::size_t append_param(std::vector<ParamInfo>& params, std::size_t& total, const std::string& name,
                         std::vector<std::int64_t> shape, bool decay);

// The initialisation below for any list of tensors, told apart by name:
// "*ln*.weight" = 1, "*.bias" = 0, residual output projections ("proj",
// "down", "_out", "fc2") N(0, 0.02/√(2·residual_layers)), the rest N(0, 0.02).
std::vector<float> initial_tensor_values(const std::vector<ParamInfo>& params, std::size_t total, int residual_layers,
                                         std::uint64_t seed);

// GPT-2 / BERT initialisation: N(0, 0.02) matrices and embeddings (residual
// output projections scaled by 1/√(2L), as GPT-2 does), zero biases, unit norms.
std::vector<float> initial_params(const ModelShape& shape, const ParamLayout& layout, std::uint64_t seed);

}  // namespace attnscope::train
