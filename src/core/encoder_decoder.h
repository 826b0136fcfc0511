// The decoder half of an encoder-decoder model (Marian, T5). The encoder is
// described by the Model's own ModelConfig / ModelWeights (its layers,
// embeddings and final norm), so every encoder-only view still works on it;
// what only the decoder has lives here, held by Model::encoder_decoder.
//
// Shape legend: L encoder layers, Ld decoder layers, H heads, D model dim,
// Dh head dim, F feed-forward dim, V vocab, P positions, B position buckets.
#pragma once
#include <memory>
#include <vector>

#include "model.h"

namespace attnscope {

struct EncoderDecoderConfig {
  int n_decoder_layers = 0;          // Ld
  int decoder_ffn_dim = 0;           // F of the decoder's FFN (the encoder's is ModelConfig::ffn_dim)
  int decoder_start_id = 0;          // the first decoder input (Marian and T5: <pad>)
  int eos_id = 0;                    // generation stops right after it
  std::vector<int> suppressed_ids;   // never generated (Marian: <pad>, from bad_words_ids)
  float embedding_scale = 1.0f;      // Marian scale_embedding: token embeddings times sqrt(D)
  bool sinusoidal_positions = false; // Marian: fixed sin | cos table added to the embeddings
  bool scale_scores = true;          // scores / sqrt(Dh); T5 folds the scale into its weights
  int relative_buckets = 0;          // T5: relative position buckets (0 = none)
  int relative_max_distance = 128;   // T5: distances beyond this share the last bucket
  float logits_scale = 1.0f;         // T5 with a tied head: d_model**-0.5 before the projection
  bool gated_ffn = false;            // T5 v1.1: wo(act(wi_0 x) * wi_1 x)
};

// Cross-attention: queries from the decoder, keys and values from the encoder output.
struct CrossAttentionWeights {
  Norm norm;  // pre-norm (T5): before the block; post-norm (Marian): after the residual
  Linear wq;  // D -> H*Dh
  Linear wk;  // D -> H*Dh
  Linear wv;  // D -> H*Dh
  Linear wo;  // H*Dh -> D
};

struct DecoderLayerWeights {
  LayerWeights self;            // causal self-attention and the FFN, as an encoder layer
  CrossAttentionWeights cross;  // between the two
};

struct EncoderDecoderWeights {
  const float* encoder_relative_bias = nullptr;  // [B, H] T5, block 0's table, reused by every encoder block
  const float* decoder_relative_bias = nullptr;  // [B, H] T5, the same for the decoder
  const float* decoder_position_embedding = nullptr;  // [P, D] Marian; the encoder's is ModelWeights::position_embedding
  std::vector<DecoderLayerWeights> layers;       // [Ld]
  Norm final_norm;                               // T5 decoder.final_layer_norm; none for Marian
};

struct EncoderDecoder {
  EncoderDecoderConfig config;
  EncoderDecoderWeights weights;
  std::unique_ptr<Tokenizer> target_tokenizer;  // Marian: target.spm; T5: spiece.model again
};

// Marian's fixed position table (MarianSinusoidalPositionalEmbedding): for
// k < D/2, P[p][k] = sin(p / 10000^(2k/D)) and P[p][D/2 + k] = cos(...),
// computed in double and stored as float.                      -> [P, D]
std::vector<float> marian_sinusoid_table(int positions, int dim);

// T5Attention._relative_position_bucket for relative = key - query.
int relative_position_bucket(int relative, bool bidirectional, int num_buckets, int max_distance);

}  // namespace attnscope
