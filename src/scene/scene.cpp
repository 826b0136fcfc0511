#include <string>

#include "core/encoder_decoder.h"
#include "core/error.h"
#include "scene/view_state.h"

namespace attnscope {

namespace {

[[noreturn]] void out_of_range(const std::string& what, const ModelConfig& c) {
  throw Error(ErrorKind::OutOfRange, what + " is out of range (the model has " + std::to_string(c.n_layers) +
                                         " layers x " + std::to_string(c.n_heads) + " heads)");
}

void check_head_set(const std::set<std::pair<int, int>>& heads, const std::string& what, const ModelConfig& c) {
  for (const auto& [l, h] : heads)
    if (l < 0 || l >= c.n_layers || h < 0 || h >= c.n_heads)
      out_of_range(what + " " + std::to_string(l) + ":" + std::to_string(h), c);
}

}  // namespace

void validate_scene(const Scene& scene, const Model& model, int n_tokens) {
  ModelConfig decoder = model.config;  // the decoder's layer count with the shared head count
  if (model.encoder_decoder) {
    decoder.n_layers = model.encoder_decoder->config.n_decoder_layers;
    if (!scene.interventions.masked_keys.empty() || scene.interventions.causal)
      throw Error(ErrorKind::Usage, "masked keys and the causal switch are not available for encoder-decoder models");
  } else {
    if (scene.attention != AttentionKind::Self)
      throw Error(ErrorKind::Usage, std::string(attention_kind_name(scene.attention)) +
                                        " attention needs an encoder-decoder model (Marian, T5)");
    if (scene.forced) throw Error(ErrorKind::Usage, "a target needs an encoder-decoder model (Marian, T5)");
  }
  check_head_set(scene.interventions.ablated_decoder_heads, "switched-off decoder head", decoder);
  check_head_set(scene.interventions.ablated_cross_heads, "switched-off cross-attention head", decoder);
  if (scene.step < -1) throw Error(ErrorKind::OutOfRange, "decoding step " + std::to_string(scene.step) + " is out of range");
  Scene rest = scene;
  if (scene.attention != AttentionKind::Self) {
    // The selection names a decoder layer; the encoder's heads are still checked.
    const Selection& sel = scene.selection;
    if (sel.layer < 0 || sel.layer >= decoder.n_layers) out_of_range("decoder layer " + std::to_string(sel.layer), decoder);
    rest.selection.layer = 0;
    // Query indices are decoder positions, which the run decides.
    rest.selection.query = -1;
  }
  validate_scene(rest, model.config, n_tokens);
}

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
    case ViewId::Predictions: return show.predictions;
    case ViewId::MinimalPair: return show.minimal_pair;
    case ViewId::Alignment: break;
  }
  return show.alignment;
}

}  // namespace attnscope
