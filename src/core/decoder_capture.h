// What an encoder-decoder run saw on the decoder side, held by the
// AttentionSnapshot next to the encoder's captures (which keep their meaning:
// `heads`, `tokens` and `n_tokens` describe the encoder and the source).
//
// Shape legend: Ld decoder layers, H heads, Ts source tokens, Tt decoder
// tokens (the start token, then the target), D model dim, Dh head dim, V vocab.
#pragma once
#include <string>
#include <vector>

#include "snapshot.h"

namespace attnscope {

struct DecoderCapture {
  std::string target_text;                   // the target as given, or the greedy translation
  std::vector<Token> tokens;                 // [Tt] decoder inputs; [0] is the start token (start == end)
  int n_layers = 0, n_heads = 0, n_tokens = 0;  // Ld, H, Tt
  // Self-attention, causal: q, k, v [Tt, Dh], probs [Tt, Tt] (zeros above the diagonal).
  std::vector<HeadCapture> self_heads;       // [Ld * H], index layer * H + head
  // Cross-attention: q [Tt, Dh] from the decoder, k, v [Ts, Dh] from the encoder output, probs [Tt, Ts].
  std::vector<HeadCapture> cross_heads;      // [Ld * H]
  std::vector<MatrixRM> residual;            // [Ld + 1] each [Tt, D]: 0 = embedding output, l = after block l-1
  MatrixRM final_hidden;                     // [Tt, D] decoder last_hidden_state (after T5's final norm)
  std::vector<std::vector<Prediction>> top;  // [Tt][k] row t predicts the input at t + 1 (or </s>)
  MatrixRM logits;                           // [Tt, V] only when RunOptions::keep_logits
  // T5 only: the relative position bias added to the scores in every block.
  std::vector<MatrixRM> encoder_position_bias;  // [H] each [Ts, Ts]
  std::vector<MatrixRM> decoder_position_bias;  // [H] each [Tt, Tt], before the causal mask

  const HeadCapture& self_head(int layer, int h) const { return self_heads[static_cast<size_t>(layer * n_heads + h)]; }
  const HeadCapture& cross_head(int layer, int h) const { return cross_heads[static_cast<size_t>(layer * n_heads + h)]; }
};

}  // namespace attnscope
