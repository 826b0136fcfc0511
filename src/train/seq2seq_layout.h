// The parameters of a trainable Marian-style encoder-decoder as one flat
// array, like ParamLayout for the single-stack models. Matrices are stored
// [in, out]; the self-attention Q, K and V are fused [D, 3D] and the
// cross-attention K and V [D, 2D] (split and transposed on export).
//
// Shape legend: D model dim, F feed-forward dim, V vocab, L layers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/param_layout.h"

namespace attnscope::train {

struct Seq2SeqShape {
  int encoder_layers = 3;     // L encoder
  int decoder_layers = 3;     // L decoder
  int n_heads = 4;            // H, both stacks
  int dim = 256;              // D
  int ffn_dim = 1024;         // F, both stacks
  int vocab_size = 0;         // V, shared by source and target
  int max_positions = 128;    // rows of the sinusoid table: longest source or decoder input
  int pad_id = -1;            // Marian: the last id; also the decoder start token
  int eos_id = 0;             // </s>
  double norm_eps = 1e-5;     // nn.LayerNorm's default, as MarianMTModel uses

  int head_dim() const { return dim / n_heads; }
  void validate() const;      // throws Error naming the bad field
};

nlohmann::json seq2seq_shape_to_json(const Seq2SeqShape& shape);
Seq2SeqShape seq2seq_shape_from_json(const nlohmann::json& json);  // throws Error naming the field

struct AttentionOffsets {
  std::size_t q_w = 0, q_b = 0;    // self: fused qkv [D, 3D], [3D]; cross: q [D, D], [D]
  std::size_t kv_w = 0, kv_b = 0;  // cross only: [D, 2D], [2D]
  std::size_t out_w = 0, out_b = 0;  // [D, D], [D]
  std::size_t ln_w = 0, ln_b = 0;    // post-LN after the residual, [D]
};

struct FfnOffsets {
  std::size_t fc1_w = 0, fc1_b = 0;  // [D, F], [F]
  std::size_t fc2_w = 0, fc2_b = 0;  // [F, D], [D]
  std::size_t ln_w = 0, ln_b = 0;    // [D]
};

struct EncoderLayerOffsets {
  AttentionOffsets self;
  FfnOffsets ffn;
};

struct DecoderLayerOffsets {
  AttentionOffsets self, cross;
  FfnOffsets ffn;
};

struct Seq2SeqLayout {
  std::vector<ParamInfo> params;
  std::size_t total = 0;
  std::size_t shared = 0;       // [V, D] encoder and decoder embedding, and the output head
  std::size_t logits_bias = 0;  // [V] final_logits_bias
  std::vector<EncoderLayerOffsets> encoder;  // [L encoder]
  std::vector<DecoderLayerOffsets> decoder;  // [L decoder]

  const ParamInfo& find(const std::string& name) const;  // throws Error when absent
};

Seq2SeqLayout make_seq2seq_layout(const Seq2SeqShape& shape);

// N(0, 0.02) matrices and embeddings (residual outputs scaled down by the
// total depth), zero biases and final_logits_bias, unit norms.
std::vector<float> initial_seq2seq_params(const Seq2SeqShape& shape, const Seq2SeqLayout& layout, std::uint64_t seed);

}  // namespace attnscope::train
