#include <string>

#include "core/error.h"
#include "scene/view_state.h"

namespace attnscope {

namespace {

[[noreturn]] void out_of_range(const std::string& what, const ModelConfig& c) {
  throw Error(ErrorKind::OutOfRange, what + " is out of range (the model has " + std::to_string(c.n_layers) +
                                         " layers x " + std::to_string(c.n_heads) + " heads)");
}

}  // namespace

void validate_scene(const Scene& scene, const ModelConfig& c, int n_tokens) {
  const Selection& sel = scene.selection;
  if (sel.layer < 0 || sel.layer >= c.n_layers) out_of_range("layer " + std::to_string(sel.layer), c);
  if (sel.head < 0 || sel.head >= c.n_heads) out_of_range("head " + std::to_string(sel.head), c);
  for (const auto& [l, h] : scene.interventions.ablated_heads)
    if (l < 0 || l >= c.n_layers || h < 0 || h >= c.n_heads)
      out_of_range("switched-off head " + std::to_string(l) + ":" + std::to_string(h), c);
  const std::string tokens = " (the text has " + std::to_string(n_tokens) + " tokens)";
  if (sel.query >= n_tokens)
    throw Error(ErrorKind::OutOfRange, "query " + std::to_string(sel.query) + " is out of range" + tokens);
  for (int key : scene.interventions.masked_keys)
    if (key < 0 || key >= n_tokens)
      throw Error(ErrorKind::OutOfRange, "masked key " + std::to_string(key) + " is out of range" + tokens);
  const float s = scene.figure.scale;
  if (s != 1 && s != 2 && s != 4) throw Error(ErrorKind::OutOfRange, "figure scale must be 1, 2 or 4");
}

bool& view_visible(ViewVisibility& show, ViewId view) {
  switch (view) {
    case ViewId::Heatmap: return show.heatmap;
    case ViewId::HeadView: return show.head_view;
    case ViewId::ModelView: return show.model_view;
    case ViewId::Qkv: return show.qkv;
    case ViewId::Predictions: break;
  }
  return show.predictions;
}

}  // namespace attnscope
