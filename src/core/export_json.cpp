#include "export_json.h"

#include <algorithm>

#include "forward.h"

namespace attnscope {

using nlohmann::json;

json attention_to_json(const AttentionSnapshot& snap) {
  const int T = snap.n_tokens;
  json attention = json::array();
  for (int l = 0; l < snap.n_layers; ++l) {
    json layer = json::array();
    for (int h = 0; h < snap.n_heads; ++h) {
      const MatrixRM& p = snap.head(l, h).probs;
      json rows = json::array();
      for (int i = 0; i < T; ++i) rows.push_back(std::vector<float>(p.row(i).data(), p.row(i).data() + T));
      layer.push_back(std::move(rows));
    }
    attention.push_back(std::move(layer));
  }
  return attention;
}

json snapshot_to_json(const AttentionSnapshot& snap) {
  json out;
  out["model"] = {{"type", snap.model->config.model_type},
                  {"layers", snap.n_layers},
                  {"heads", snap.n_heads},
                  {"dim", snap.dim}};
  json tokens = json::array();
  for (const Token& t : snap.tokens)
    tokens.push_back({{"id", t.id}, {"text", t.display}, {"start", t.start}, {"end", t.end}});
  out["tokens"] = std::move(tokens);

  out["attention"] = attention_to_json(snap);

  // A run that predicted only some rows (the app's) is completed here: an
  // export holds every row, with as many guesses as its fullest row.
  size_t top_k = 0;
  for (const auto& row : snap.top) top_k = std::max(top_k, row.size());
  out["predictions"] = predictions_to_json(complete_predictions(snap, static_cast<int>(top_k)));
  if (!snap.warnings.empty()) out["warnings"] = snap.warnings;  // NaN is written as null: say why
  if (snap.decoder) add_decoder_json(snap, out);
  return out;
}

}  // namespace attnscope
