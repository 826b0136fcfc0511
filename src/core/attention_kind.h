// The three kinds of attention an encoder-decoder snapshot holds, behind one
// accessor so that exports and views can show any of them: encoder (or a
// decoder-only model's) self-attention, the decoder's causal self-attention,
// and cross-attention (decoder queries over source keys).
//
// Shape legend: L layers of that kind, H heads, Tq query tokens, Tk key tokens, Dh head dim.
#pragma once
#include <string>
#include <vector>

#include "snapshot.h"

namespace attnscope {

enum class AttentionKind { Self, DecoderSelf, Cross };

// "self" / "encoder", "decoder", "cross"; false for anything else.
bool attention_kind_from_name(const std::string& name, AttentionKind* out);
const char* attention_kind_name(AttentionKind kind);

struct AttentionKindView {
  AttentionKind kind = AttentionKind::Self;
  const std::vector<HeadCapture>* heads = nullptr;  // [L * H] probs [Tq, Tk]; q [Tq, Dh]; k, v [Tk, Dh]
  const std::vector<Token>* queries = nullptr;      // [Tq]
  const std::vector<Token>* keys = nullptr;         // [Tk]
  int n_layers = 0, n_heads = 0, head_dim = 0;

  const HeadCapture& head(int layer, int h) const { return (*heads)[static_cast<size_t>(layer * n_heads + h)]; }
  int n_queries() const { return static_cast<int>(queries->size()); }
  int n_keys() const { return static_cast<int>(keys->size()); }
};

// Throws Error when the snapshot has no decoder and a decoder kind is asked for.
AttentionKindView attention_of_kind(const AttentionSnapshot& snapshot, AttentionKind kind);

}  // namespace attnscope
