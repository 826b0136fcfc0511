// The decoder half of an encoder-decoder snapshot as JSON, added to the
// encoder's fields by snapshot_to_json:
//   model.decoder_layers,
//   "target_tokens":[{"id","text","start","end"}]   decoder inputs, [0] = start token (start == end),
//   "decoder_attention":[Ld][H][Tt][Tt], "cross_attention":[Ld][H][Tt][Ts]   (row = decoder position),
//   "predictions":[{"position","top":[...]}]   one per decoder position (row i predicts target_tokens[i+1]).
#include "decoder_capture.h"
#include "export_json.h"

namespace attnscope {
namespace {

using nlohmann::json;

json head_stack(const std::vector<HeadCapture>& heads, int layers, int n_heads) {
  json stack = json::array();
  for (int l = 0; l < layers; ++l) {
    json layer = json::array();
    for (int h = 0; h < n_heads; ++h) {
      const MatrixRM& p = heads[static_cast<size_t>(l * n_heads + h)].probs;  // [rows, cols]
      json rows = json::array();
      for (int i = 0; i < p.rows(); ++i) rows.push_back(std::vector<float>(p.row(i).data(), p.row(i).data() + p.cols()));
      layer.push_back(std::move(rows));
    }
    stack.push_back(std::move(layer));
  }
  return stack;
}

}  // namespace

json predictions_to_json(const std::vector<std::vector<Prediction>>& top) {
  json predictions = json::array();
  for (size_t t = 0; t < top.size(); ++t) {
    json best = json::array();
    for (const Prediction& p : top[t]) best.push_back({{"id", p.id}, {"text", p.text}, {"prob", p.prob}, {"logit", p.logit}});
    predictions.push_back({{"position", t}, {"top", std::move(best)}});
  }
  return predictions;
}

void add_decoder_json(const AttentionSnapshot& snap, json& out) {
  const DecoderCapture& dec = *snap.decoder;
  out["model"]["decoder_layers"] = dec.n_layers;
  json tokens = json::array();
  for (const Token& t : dec.tokens) tokens.push_back({{"id", t.id}, {"text", t.display}, {"start", t.start}, {"end", t.end}});
  out["target_tokens"] = std::move(tokens);
  out["decoder_attention"] = head_stack(dec.self_heads, dec.n_layers, dec.n_heads);
  out["cross_attention"] = head_stack(dec.cross_heads, dec.n_layers, dec.n_heads);
  out["predictions"] = predictions_to_json(dec.top);
}

}  // namespace attnscope
