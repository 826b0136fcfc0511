// Changes to a forward pass that a user asks for. They are inputs to the
// model run, not display tricks: ablating a head changes every later layer.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace attnscope {

struct Interventions {
  // Heads whose attention output is zeroed, as Hugging Face's head_mask does:
  // the head's probabilities are multiplied by 0 after the softmax.
  std::set<std::pair<int, int>> ablated_heads;  // (layer, head)
  // nullopt keeps the model's own mask (causal for GPT-2/Llama, none for BERT).
  std::optional<bool> causal;
  // Token positions removed as keys for every query: their probability is 0
  // and the rest of the row renormalises. A query left with no key at all
  // attends to nothing (an all-zero row).
  std::set<int> masked_keys;
  // false drops the position signal: learned and sinusoidal position
  // embeddings count as zero, RoPE is skipped and T5's relative position bias
  // is left out. Attention alone is then permutation-equivariant.
  bool positions = true;

  // Encoder-decoder models: ablated_heads above is the encoder's self-attention
  // (transformers' head_mask); these are decoder_head_mask and cross_attn_head_mask.
  std::set<std::pair<int, int>> ablated_decoder_heads;  // (decoder layer, head) of the causal self-attention
  std::set<std::pair<int, int>> ablated_cross_heads;    // (decoder layer, head) of the cross-attention

  bool is_ablated(int layer, int head) const { return ablated_heads.count({layer, head}) > 0; }
  bool is_decoder_ablated(int layer, int head) const { return ablated_decoder_heads.count({layer, head}) > 0; }
  bool is_cross_ablated(int layer, int head) const { return ablated_cross_heads.count({layer, head}) > 0; }
  bool operator==(const Interventions&) const = default;
  bool empty() const {
    return ablated_heads.empty() && !causal && masked_keys.empty() && positions && ablated_decoder_heads.empty() && ablated_cross_heads.empty();
  }
};

// "0:1,2:3" -> {(0,1), (2,3)}; "3,5" -> {3, 5}. Throw Error on bad syntax.
std::set<std::pair<int, int>> parse_head_list(const std::string& text);
std::set<int> parse_index_list(const std::string& text);

}  // namespace attnscope
