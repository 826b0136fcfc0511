// Attention data for other tools: BertViz-layout JSON, NumPy .npy arrays and
// CSV tables of one head. Writers throw Error naming the path when a file
// cannot be written.
//
// Shape legend: L layers, H heads, T tokens, Dh head dim.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attention_kind.h"
#include "snapshot.h"

namespace attnscope {

// {"tokens": [T strings], "attn": [L][H][T][T], "attnscope": {model, text, layers, heads,
//  token spans, interventions, warnings when a value is not finite}} — BertViz's head_view/model_view take `attn` and `tokens`.
// Encoder-decoder snapshots add BertViz's encoder_tokens, decoder_tokens,
// encoder_attention, decoder_attention [Ld][H][Tt][Tt] and cross_attention [Ld][H][Tt][Ts].
nlohmann::json bertviz_json(const AttentionSnapshot& snapshot);

enum class NpyTensor { Attention, Q, K, V };
bool npy_tensor_from_name(const std::string& name, NpyTensor* out);  // "attention", "q", "k", "v"

// A float32 C-order array as a .npy file (format version 1.0).
struct NpyArray {
  std::vector<std::int64_t> shape;
  std::vector<float> data;
};
NpyArray snapshot_array(const AttentionSnapshot& snapshot, NpyTensor tensor);  // [L,H,T,T] or [L,H,T,Dh]
// One attention kind: attention [L,H,Tq,Tk], q [L,H,Tq,Dh], k and v [L,H,Tk,Dh].
NpyArray snapshot_array(const AttentionKindView& view, NpyTensor tensor);
std::string npy_bytes(const NpyArray& array);
// Parses what npy_bytes writes (little-endian float32, C order); throws Error otherwise.
NpyArray parse_npy(const std::string& bytes);

// One head's [T, T] matrix with token labels on both axes ("i:token").
std::string attention_csv(const AttentionSnapshot& snapshot, int layer, int head);
// One head of one attention kind: query tokens down the side, key tokens across.
std::string attention_csv(const AttentionKindView& view, int layer, int head);

// Writes bytes to a file atomically; refuses to overwrite an existing file unless asked.
void write_export(const std::filesystem::path& path, const std::string& bytes, bool overwrite);

}  // namespace attnscope
