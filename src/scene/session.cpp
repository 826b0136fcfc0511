#include "scene/session.h"

#include "core/error.h"
#include "core/regular_file.h"

namespace attnscope {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kMaxIndex = 1 << 20;  // no model has more layers, heads or tokens than this

// Reads fields with one-line errors that name the file and the field.
class Reader {
 public:
  Reader(const json& data, std::string source) : data_(data), source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& expected) const {
    throw Error(source_ + ": session field '" + field + "': expected " + expected);
  }
  const json& at(const json& object, const std::string& field) const {
    if (!object.is_object() || !object.contains(field)) fail(field, "a value, found none");
    return object.at(field);
  }
  std::string string(const json& object, const std::string& field) const {
    const json& v = at(object, field);
    if (!v.is_string()) fail(field, "a string, got " + std::string(v.type_name()));
    return v.get<std::string>();
  }
  bool boolean(const json& object, const std::string& field) const {
    const json& v = at(object, field);
    if (!v.is_boolean()) fail(field, "true or false, got " + std::string(v.type_name()));
    return v.get<bool>();
  }
  int integer(const json& v, const std::string& field, int lo, int hi) const {
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
      fail(field, "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v.dump());
    return v.get<int>();
  }
  int integer(const json& object, const std::string& field, int lo, int hi, bool) const {
    return integer(at(object, field), field, lo, hi);
  }
  float number(const json& object, const std::string& field, float lo, float hi) const {
    const json& v = at(object, field);
    if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
      fail(field, "a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v.dump());
    return v.get<float>();
  }
  bool has(const json& object, const std::string& field) const { return object.is_object() && object.contains(field); }
  const json& array(const json& object, const std::string& field) const {
    const json& v = at(object, field);
    if (!v.is_array()) fail(field, "an array, got " + std::string(v.type_name()));
    return v;
  }

 private:
  const json& data_;
  std::string source_;
};

json head_pairs(const std::set<std::pair<int, int>>& heads) {
  json out = json::array();
  for (const auto& [layer, head] : heads) out.push_back({layer, head});
  return out;
}

std::set<std::pair<int, int>> read_head_pairs(const Reader& r, const json& object, const std::string& field) {
  std::set<std::pair<int, int>> heads;
  for (const json& pair : r.array(object, field)) {
    if (!pair.is_array() || pair.size() != 2) r.fail(field, "[layer, head] pairs, got " + pair.dump());
    heads.insert({r.integer(pair[0], field, 0, kMaxIndex), r.integer(pair[1], field, 0, kMaxIndex)});
  }
  return heads;
}

// The encoder-decoder fields came after version 1 was fixed: each is optional
// and a session without them opens as before.
void read_seq2seq_fields(const Reader& r, const json& data, Scene& s) {
  if (r.has(data, "target")) s.target = r.string(data, "target");
  if (r.has(data, "forced")) s.forced = r.boolean(data, "forced");
  if (r.has(data, "attention")) {
    const std::string kind = r.string(data, "attention");
    if (!attention_kind_from_name(kind, &s.attention)) r.fail("attention", "self, decoder or cross, got '" + kind + "'");
  }
  if (r.has(data, "step")) s.step = r.integer(data, "step", -1, kMaxIndex, true);
  if (r.has(data, "alignment")) {
    const json& a = r.at(data, "alignment");
    const std::string mode = r.string(a, "mode");
    if (!align_mode_from_key(mode, &s.alignment.mode)) r.fail("mode", "head, mean, max or layers, got '" + mode + "'");
    s.alignment.words = r.boolean(a, "words");
  }
  const json& iv = r.at(data, "interventions");
  if (r.has(iv, "ablated_decoder_heads")) s.interventions.ablated_decoder_heads = read_head_pairs(r, iv, "ablated_decoder_heads");
  if (r.has(iv, "ablated_cross_heads")) s.interventions.ablated_cross_heads = read_head_pairs(r, iv, "ablated_cross_heads");
  const json& views = r.at(data, "views");
  if (r.has(views, "alignment")) s.show.alignment = r.boolean(views, "alignment");
}

// The minimal-pair fields came later still, and are optional the same way.
void read_minimal_pair_fields(const Reader& r, const json& data, Scene& s) {
  if (r.has(data, "text_b")) s.text_b = r.string(data, "text_b");
  const json& views = r.at(data, "views");
  if (r.has(views, "minimal_pair")) s.show.minimal_pair = r.boolean(views, "minimal_pair");
}

}  // namespace

Scene capture_session(const AppState& state) {
  Scene session = state;
  session.model_path = state.model ? state.model->source.string() : std::string();
  session.selection.hovered_token = -1;
  return session;
}

json session_to_json(const Scene& s) {
  json causal = s.interventions.causal ? json(*s.interventions.causal) : json(nullptr);
  return {
      {"attnscope_session", kSessionVersion},
      {"model", s.model_path},
      {"text", s.text},
      {"selection",
       {{"layer", s.selection.layer}, {"head", s.selection.head}, {"head_mode", head_mode_key(s.selection.mode)},
        {"query", s.selection.query}}},
      {"interventions",
       {{"ablated_heads", head_pairs(s.interventions.ablated_heads)},
        {"masked_keys", s.interventions.masked_keys},
        {"causal", causal},
        {"positions", s.interventions.positions},
        {"ablated_decoder_heads", head_pairs(s.interventions.ablated_decoder_heads)},
        {"ablated_cross_heads", head_pairs(s.interventions.ablated_cross_heads)}}},
      {"views",
       {{"heatmap", s.show.heatmap}, {"head", s.show.head_view}, {"model", s.show.model_view}, {"qkv", s.show.qkv},
        {"predictions", s.show.predictions}, {"alignment", s.show.alignment}, {"minimal_pair", s.show.minimal_pair}}},
      {"text_b", s.text_b},
      {"target", s.target},
      {"forced", s.forced},
      {"attention", attention_kind_name(s.attention)},
      {"step", s.step},
      {"alignment", {{"mode", align_mode_key(s.alignment.mode)}, {"words", s.alignment.words}}},
      {"display",
       {{"colormap", colormap_name(s.display.colormap)}, {"scale", color_scale_key(s.display.scale)},
        {"hide_special", s.display.hide_special}, {"mode", display_mode_key(s.display.mode)},
        {"head_view_top_k", s.display.head_view_top_k},
        {"head_view_threshold", s.display.head_view_threshold}}},
  };
}

Scene session_from_json(const json& data, const std::string& source) {
  const Reader r(data, source);
  if (!data.is_object()) throw Error(source + ": not a session (expected a JSON object)");
  const int version = r.integer(data, "attnscope_session", 1, 1 << 30, true);
  if (version > kSessionVersion)
    throw Error(source + ": session version " + std::to_string(version) + " is newer than this attnscope reads (" +
                std::to_string(kSessionVersion) + ")");
  Scene s;
  s.model_path = r.string(data, "model");
  s.text = r.string(data, "text");

  const json& sel = r.at(data, "selection");
  s.selection.layer = r.integer(sel, "layer", 0, kMaxIndex, true);
  s.selection.head = r.integer(sel, "head", 0, kMaxIndex, true);
  s.selection.query = r.integer(sel, "query", -1, kMaxIndex, true);
  const std::string mode = r.string(sel, "head_mode");
  if (!head_mode_from_key(mode, &s.selection.mode)) r.fail("head_mode", "single, mean or max, got '" + mode + "'");

  const json& iv = r.at(data, "interventions");
  s.interventions.ablated_heads = read_head_pairs(r, iv, "ablated_heads");
  for (const json& key : r.array(iv, "masked_keys")) s.interventions.masked_keys.insert(r.integer(key, "masked_keys", 0, kMaxIndex));
  const json& causal = r.at(iv, "causal");
  if (causal.is_boolean()) s.interventions.causal = causal.get<bool>();
  else if (!causal.is_null()) r.fail("causal", "true, false or null, got " + causal.dump());
  // Sessions saved before the positions switch existed ran with positions.
  if (r.has(iv, "positions")) s.interventions.positions = r.boolean(iv, "positions");

  const json& views = r.at(data, "views");
  s.show.heatmap = r.boolean(views, "heatmap");
  s.show.head_view = r.boolean(views, "head");
  s.show.model_view = r.boolean(views, "model");
  s.show.qkv = r.boolean(views, "qkv");
  s.show.predictions = r.boolean(views, "predictions");

  const json& display = r.at(data, "display");
  const std::string map = r.string(display, "colormap");
  if (!colormap_from_name(map, &s.display.colormap)) r.fail("colormap", "a known colormap, got '" + map + "'");
  const std::string scale = r.string(display, "scale");
  if (!color_scale_from_key(scale, &s.display.scale)) r.fail("scale", "linear, log or per-row, got '" + scale + "'");
  s.display.hide_special = r.boolean(display, "hide_special");
  if (r.has(display, "mode")) {  // sessions saved before display modes showed raw attention
    const std::string mode = r.string(display, "mode");
    if (!display_mode_from_key(mode, &s.display.mode)) r.fail("mode", "raw, value, rollout or flow, got '" + mode + "'");
  }
  s.display.head_view_top_k = r.integer(display, "head_view_top_k", 0, kMaxIndex, true);
  s.display.head_view_threshold = r.number(display, "head_view_threshold", 0.0f, 1.0f);
  read_seq2seq_fields(r, data, s);
  read_minimal_pair_fields(r, data, s);
  return s;
}

void write_session_file(const fs::path& path, const Scene& session, Overwrite overwrite) {
  try {
    write_file_atomically(path, session_to_json(session).dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                          overwrite);
  } catch (const Error& e) {
    rethrow_with_context("cannot write session", e);
  }
}

Scene read_session_file(const fs::path& path) {
  std::string text;
  try {
    text = read_regular_file(path);  // a FIFO named like a session must not block the app
  } catch (const Error& e) {
    rethrow_with_context("cannot open session", e);
  }
  const json data = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (data.is_discarded()) throw Error(path.string() + ": not a session file (not valid JSON)");
  return session_from_json(data, path.string());
}

void apply_session_inputs(const Scene& session, AppState& state) {
  state.text = session.text;
  state.text_b = session.text_b;
  state.target = session.target;
  state.alignment = session.alignment;
  state.show = session.show;
  const float font_scale = state.display.font_scale;
  const bool presenter = state.display.presenter;
  const bool one_based = state.display.one_based_heads, role_borders = state.display.role_borders;
  state.display = session.display;
  state.display.font_scale = font_scale;  // the reader's eyes, not the session's
  state.display.presenter = presenter;
  state.display.one_based_heads = one_based;  // the reader's habit, a setting; sessions do not save it
  state.display.role_borders = role_borders;
  state.request_run();
}

void apply_session_selection(const Scene& session, AppState& state) {
  state.selection = session.selection;
  state.selection.hovered_token = -1;
  state.interventions = session.interventions;
  // A model load resets these, so they come with the selection.
  state.attention = session.attention;
  state.forced = session.forced;
  state.target = session.target;
  state.step = session.step;
  state.request_run();
}

}  // namespace attnscope
