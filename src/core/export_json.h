// The snapshot as JSON for other tools. Field names are a public format:
// {"model":{"type","layers","heads","dim"},
//  "tokens":[{"id","text","start","end"}],
//  "attention":[L][H][T][T]   (row = query, column = key),
//  "predictions":[{"position","top":[{"id","text","prob","logit"}]}],
//  "warnings":[string]}   (only when a value is not finite: it explains the nulls)
// An encoder-decoder snapshot keeps "tokens" and "attention" for the encoder
// and adds the decoder (see add_decoder_json).
#pragma once
#include <nlohmann/json.hpp>

#include "snapshot.h"

namespace attnscope {

nlohmann::json snapshot_to_json(const AttentionSnapshot& snapshot);

// Encoder-decoder snapshots (export_json_seq2seq.cpp): model.decoder_layers,
// "target_tokens", "decoder_attention" [Ld][H][Tt][Tt], "cross_attention"
// [Ld][H][Tt][Ts], and "predictions" one per decoder position.
void add_decoder_json(const AttentionSnapshot& snapshot, nlohmann::json& out);
nlohmann::json predictions_to_json(const std::vector<std::vector<Prediction>>& top);  // [T][k]

// Every head's probabilities as nested arrays [L][H][T][T], row = query.
nlohmann::json attention_to_json(const AttentionSnapshot& snapshot);

}  // namespace attnscope
