// The snapshot as JSON for other tools. Field names are a public format:
// {"model":{"type","layers","heads","dim"},
//  "tokens":[{"id","text","start","end"}],
//  "attention":[L][H][T][T]   (row = query, column = key),
//  "predictions":[{"position","top":[{"id","text","prob","logit"}]}],
//  "warnings":[string]}   (only when a value is not finite: it explains the nulls)
#pragma once
#include <nlohmann/json.hpp>

#include "snapshot.h"

namespace attnscope {

nlohmann::json snapshot_to_json(const AttentionSnapshot& snapshot);

// Every head's probabilities as nested arrays [L][H][T][T], row = query.
nlohmann::json attention_to_json(const AttentionSnapshot& snapshot);

}  // namespace attnscope
