#include "scene/scene_options.h"

#include <charconv>
#include <map>

#include "core/error.h"
#include "core/interventions.h"

namespace attnscope {

namespace {

// Aliases kept for one release, mapped to today's spelling.
const std::map<std::string, std::string> kAliases = {
    {"mask-key", "mask-keys"}, {"export-scale", "scale"}, {"export-size", "size"}, {"export-light", "light"}};
const std::set<std::string> kValued = {"model", "text", "layer", "head", "head-mode", "query", "ablate", "mask-keys",
                                       "colormap", "color-scale", "display-mode", "view", "scale", "size", "target", "attention",
                                       "step", "ablate-decoder", "ablate-cross", "align", "text-b"};
const std::set<std::string> kSwitches = {"causal", "no-causal", "no-positions", "hide-special", "light", "align-tokens"};

std::string canonical(const std::string& name) {
  auto it = kAliases.find(name);
  return it == kAliases.end() ? name : it->second;
}

[[noreturn]] void bad(const std::string& name, const std::string& expected, const std::string& got) {
  throw Error(ErrorKind::Usage, "--" + name + ": expected " + expected + ", got '" + got + "'");
}

int to_int(const std::string& name, const std::string& text, int lo, int hi) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < lo || value > hi)
    bad(name, "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]", text);
  return value;
}

std::pair<float, float> to_size(const std::string& name, const std::string& text) {
  const auto x = text.find('x');
  if (x == std::string::npos) bad(name, "WIDTHxHEIGHT", text);
  return {static_cast<float>(to_int(name, text.substr(0, x), 64, 16384)),
          static_cast<float>(to_int(name, text.substr(x + 1), 64, 16384))};
}

template <class T>
T from_key(bool (*lookup)(std::string_view, T*), const std::string& name, const std::string& value,
           const char* expected) {
  T out{};
  if (!lookup(value, &out))
    throw Error(ErrorKind::Usage, "--" + name + ": unknown " + name + " '" + value + "' (expected " + expected + ")");
  return out;
}

bool colormap_lookup(std::string_view key, Colormap* out) { return colormap_from_name(std::string(key), out); }
bool attention_lookup(std::string_view key, AttentionKind* out) { return attention_kind_from_name(std::string(key), out); }

// The encoder-decoder options; false when `name` is none of them.
bool take_seq2seq_value(const std::string& name, const std::string& v, SceneOverrides* o) {
  if (name == "target") o->target = v;
  else if (name == "attention") o->attention = from_key(attention_lookup, name, v, "self, decoder or cross");
  else if (name == "step") o->step = to_int(name, v, 0, 1 << 20);
  else if (name == "ablate-decoder") o->ablate_decoder = parse_head_list(v);
  else if (name == "ablate-cross") o->ablate_cross = parse_head_list(v);
  else if (name == "align") o->align = from_key(align_mode_from_key, name, v, "head, mean, max or layers");
  else return false;
  return true;
}

void take_value(const std::string& name, const std::string& v, SceneOverrides* o) {
  if (take_seq2seq_value(name, v, o)) return;
  if (name == "model") o->model = v;
  else if (name == "text") o->text = v;
  else if (name == "text-b") o->text_b = v;
  else if (name == "layer") o->layer = to_int(name, v, 0, 1 << 20);
  else if (name == "head") o->head = to_int(name, v, 0, 1 << 20);
  else if (name == "query") o->query = to_int(name, v, 0, 1 << 20);
  else if (name == "head-mode") o->head_mode = from_key(head_mode_from_key, name, v, "single, mean or max");
  else if (name == "ablate") o->ablate = parse_head_list(v);
  else if (name == "mask-keys") o->mask_keys = parse_index_list(v);
  else if (name == "colormap") o->colormap = from_key(colormap_lookup, name, v, "viridis, magma, greys or blues");
  else if (name == "color-scale") o->color_scale = from_key(color_scale_from_key, name, v, "linear, log or per-row");
  else if (name == "display-mode") o->display_mode = from_key(display_mode_from_key, name, v, "raw, value, rollout or flow");
  else if (name == "view") o->view = from_key(view_from_key, name, v, "heatmap, head, model, qkv, predictions, alignment or diff");
  else if (name == "size") o->size = to_size(name, v);
  else if (name == "scale") {
    const int s = to_int(name, v, 1, 4);
    if (s == 3) bad(name, "1, 2 or 4", v);
    o->scale = static_cast<float>(s);
  }
}

}  // namespace

const std::set<std::string>& scene_valued_options() {
  static const std::set<std::string> names = [] {
    std::set<std::string> all = kValued;
    for (const auto& [alias, name] : kAliases)
      if (kValued.count(name)) all.insert(alias);
    return all;
  }();
  return names;
}

const std::set<std::string>& scene_switch_options() {
  static const std::set<std::string> names = [] {
    std::set<std::string> all = kSwitches;
    for (const auto& [alias, name] : kAliases)
      if (kSwitches.count(name)) all.insert(alias);
    return all;
  }();
  return names;
}

bool is_scene_option(const std::string& name) {
  const std::string c = canonical(name);
  return kValued.count(c) > 0 || kSwitches.count(c) > 0;
}

void take_scene_option(const std::string& given, const std::string& value, SceneOverrides* out) {
  const std::string name = canonical(given);
  if (kValued.count(name)) return take_value(name, value, out);
  if (name == "causal" || name == "no-causal") {
    const bool on = name == "causal";
    if (out->causal && *out->causal != on) throw Error(ErrorKind::Usage, "--causal and --no-causal together");
    out->causal = on;
  } else if (name == "no-positions") {
    out->positions = false;
  } else if (name == "hide-special") {
    out->hide_special = true;
  } else if (name == "light") {
    out->light = true;
  } else if (name == "align-tokens") {
    out->align_tokens = true;
  } else {
    throw Error(ErrorKind::Usage, "unknown option --" + given);
  }
}

void clear_scene_switch(const std::string& given, SceneOverrides* out) {
  const std::string name = canonical(given);
  if (name == "causal" || name == "no-causal") out->causal.reset();
  else if (name == "no-positions") out->positions.reset();
  else if (name == "hide-special") out->hide_special = false;
  else if (name == "light") out->light = false;
  else if (name == "align-tokens") out->align_tokens = false;
}

void apply_overrides(const SceneOverrides& o, Scene* s) {
  if (o.model) s->model_path = *o.model;
  if (o.text) s->text = *o.text;
  if (o.text_b) s->text_b = *o.text_b;
  if (o.layer) s->selection.layer = *o.layer;
  if (o.head) s->selection.head = *o.head;
  if (o.query) s->selection.query = *o.query;
  if (o.head_mode) s->selection.mode = *o.head_mode;
  if (o.ablate) s->interventions.ablated_heads = *o.ablate;
  if (o.mask_keys) s->interventions.masked_keys = *o.mask_keys;
  if (o.causal) s->interventions.causal = *o.causal;
  if (o.positions) s->interventions.positions = *o.positions;
  if (o.colormap) s->display.colormap = *o.colormap;
  if (o.color_scale) s->display.scale = *o.color_scale;
  if (o.hide_special) s->display.hide_special = *o.hide_special;
  if (o.display_mode) s->display.mode = *o.display_mode;
  if (o.view) {
    s->figure.view = *o.view;
    view_visible(s->show, *o.view) = true;
  }
  if (o.scale) s->figure.scale = *o.scale;
  if (o.size) std::tie(s->figure.width, s->figure.height) = *o.size;
  if (o.light) s->figure.light = *o.light;
  if (o.target) {
    s->target = *o.target;
    s->forced = true;
  }
  if (o.attention) s->attention = *o.attention;
  if (o.step) s->step = *o.step;
  if (o.ablate_decoder) s->interventions.ablated_decoder_heads = *o.ablate_decoder;
  if (o.ablate_cross) s->interventions.ablated_cross_heads = *o.ablate_cross;
  if (o.align) s->alignment.mode = *o.align;
  if (o.align_tokens) s->alignment.words = !*o.align_tokens;
}

}  // namespace attnscope
