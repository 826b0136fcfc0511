// The encoder-decoder architectures (Marian, T5): how config.json maps to the
// encoder's ModelConfig and the decoder's EncoderDecoderConfig, with
// transformers' defaults for missing keys, and which checkpoint tensor plays
// which role.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "encoder_decoder.h"

namespace attnscope {

// Tensor names of one layer's roles, "{i}" = layer index. Norm and Linear
// names omit ".weight" / ".bias"; empty = no such tensor.
struct Seq2SeqLayerNames {
  std::string attn_norm, wq, wk, wv, wo;
  std::string cross_norm, cross_wq, cross_wk, cross_wv, cross_wo;  // decoder only
  std::string ffn_norm, ffn_up, ffn_gate, ffn_down;
};

struct Seq2SeqNameTable {
  std::string shared_embedding;                              // [V, D] encoder, decoder (and tied head)
  std::string encoder_positions, decoder_positions;          // Marian [P, D]; computed when absent
  std::string encoder_relative_bias, decoder_relative_bias;  // T5 [B, H], block 0 only
  std::string encoder_final_norm, decoder_final_norm;        // T5
  std::string lm_head;                                       // [V, D] when not tied
  std::string final_logits_bias;                             // Marian [1, V]
  Seq2SeqLayerNames encoder, decoder;
  bool biases = false;                                       // Marian: every projection and norm has a bias
};

struct Seq2SeqConfig {
  ModelConfig encoder;
  EncoderDecoderConfig decoder;
  bool tie_lm_head = true;
};

// nullptr when model_type is not an encoder-decoder family attnscope knows.
const Seq2SeqNameTable* seq2seq_names(const std::string& model_type);
// The table for one read config (T5's gated FFN has wi_0 / wi_1 instead of wi).
const Seq2SeqNameTable& seq2seq_names_for(const Seq2SeqConfig& config);

// config.json (and generation_config.json's bad_words_ids, already merged in
// `generation`) -> configs; errors name the field.
Seq2SeqConfig read_seq2seq_config(const nlohmann::json& config, const nlohmann::json& generation);

}  // namespace attnscope
