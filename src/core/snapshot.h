// Everything one forward pass saw, kept after the pass ends so every view can
// read it. Immutable once published.
//
// Shape legend: L layers, H heads, T tokens, D model dim, Dh head dim, V vocab.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "forward_timing.h"
#include "interventions.h"
#include "model.h"
#include "tokenizer.h"

namespace attnscope {

using MatrixRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct HeadCapture {
  MatrixRM q;      // [T, Dh] after RoPE, before the 1/sqrt(Dh) scaling
  MatrixRM k;      // [T, Dh] after RoPE (for GQA: the shared kv head's keys)
  MatrixRM v;      // [T, Dh]
  MatrixRM probs;  // [T, T] row = query, column = key; post-softmax, post head mask
  MatrixRM out;    // [T, Dh] probs · v: the head's output before the output projection
};

struct Prediction {
  int id = 0;
  std::string text;  // display string
  float prob = 0;
  float logit = 0;
};

struct DecoderCapture;  // decoder_capture.h
enum class AttentionKind;  // attention_kind.h; its first value, Self, is the zero value

struct AttentionSnapshot {
  std::shared_ptr<const Model> model;
  std::string text;                      // the input as given; when cut to the context, tokens cover its start
  std::vector<Token> tokens;             // [T]
  // [Tk] the keys when they are not the queries (cross-attention: the source
  // tokens, with probs [T, Tk]); empty when keys and queries are `tokens`.
  std::vector<Token> key_tokens;
  Interventions interventions;           // what this run was asked to change
  AttentionKind kind{};                  // which attention `heads` hold, and so whose output projection follows them
  bool causal = true;                    // the mask actually used
  int n_layers = 0, n_heads = 0, n_tokens = 0, dim = 0, head_dim = 0;
  std::vector<HeadCapture> heads;        // [L * H], index layer * H + head
  std::vector<MatrixRM> residual;        // [L + 1] each [T, D]: 0 = embedding output, l = after block l-1
  MatrixRM final_hidden;                 // [T, D] what the output head reads (after final norm where there is one)
  std::vector<std::vector<Prediction>> top;  // [T][k] by logit, descending
  MatrixRM logits;                       // [T, V] only when RunOptions::keep_logits
  std::vector<std::string> warnings;     // e.g. the first non-finite value, with its layer and position
  ForwardTiming timing;                  // per-layer times, only when RunOptions::time_layers
  // Encoder-decoder models: the decoder's self- and cross-attention; null otherwise.
  // Everything above then describes the encoder (T = source tokens, top stays empty).
  std::shared_ptr<const DecoderCapture> decoder;
  // T5 views of decoder self-attention (attention_view.h): the relative
  // position bias added to the scores, [H] each [T, Tk]. Empty otherwise; a
  // T5 run's encoder bias is read from `decoder`.
  std::vector<MatrixRM> position_bias;

  const HeadCapture& head(int layer, int h) const { return heads[static_cast<size_t>(layer * n_heads + h)]; }
  bool ablated(int layer, int h) const { return interventions.is_ablated(layer, h); }
  bool key_masked(int key) const;
  const std::vector<Token>& keys() const { return key_tokens.empty() ? tokens : key_tokens; }
  int n_keys() const { return key_tokens.empty() ? n_tokens : static_cast<int>(key_tokens.size()); }

  // Derived exactly from the stored tensors instead of stored, to keep a
  // T = 1024 capture within memory:
  MatrixRM scores(int layer, int h) const;             // [T, Tk] q·kᵀ/√Dh (T5: q·kᵀ + position bias), -inf where masked
  // One entry of scores() before the masks: q_i·k_j · score_scale() + bias(i, j).
  float score(int layer, int h, int query, int key) const;
  float score_scale() const;                           // 1/√Dh, or 1 for T5, which does not scale
  const MatrixRM* score_bias(int h) const;             // [T, Tk] T5's position bias of head h, or null
  MatrixRM head_contribution(int layer, int h) const;  // [T, D] out · Wo[:, head slice]ᵀ
  MatrixRM value_contribution(int layer, int h) const;  // [Tk, D] v · Wo[:, head slice]ᵀ: what each key hands on per unit weight
};

}  // namespace attnscope
