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
  const json& array(const json& object, const std::string& field) const {
    const json& v = at(object, field);
    if (!v.is_array()) fail(field, "an array, got " + std::string(v.type_name()));
    return v;
  }

 private:
  const json& data_;
  std::string source_;
};

}  // namespace

Scene capture_session(const AppState& state) {
  Scene session = state;
  session.model_path = state.model ? state.model->source.string() : std::string();
  session.selection.hovered_token = -1;
  return session;
}

json session_to_json(const Scene& s) {
  json ablated = json::array();
  for (const auto& [layer, head] : s.interventions.ablated_heads) ablated.push_back({layer, head});
  json causal = s.interventions.causal ? json(*s.interventions.causal) : json(nullptr);
  return {
      {"attnscope_session", kSessionVersion},
      {"model", s.model_path},
      {"text", s.text},
      {"selection",
       {{"layer", s.selection.layer}, {"head", s.selection.head}, {"head_mode", head_mode_key(s.selection.mode)},
        {"query", s.selection.query}}},
      {"interventions",
       {{"ablated_heads", ablated}, {"masked_keys", s.interventions.masked_keys}, {"causal", causal}}},
      {"views",
       {{"heatmap", s.show.heatmap}, {"head", s.show.head_view}, {"model", s.show.model_view}, {"qkv", s.show.qkv},
        {"predictions", s.show.predictions}}},
      {"display",
       {{"colormap", colormap_name(s.display.colormap)}, {"scale", color_scale_key(s.display.scale)},
        {"hide_special", s.display.hide_special}, {"head_view_top_k", s.display.head_view_top_k},
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
  for (const json& pair : r.array(iv, "ablated_heads")) {
    if (!pair.is_array() || pair.size() != 2) r.fail("ablated_heads", "[layer, head] pairs, got " + pair.dump());
    s.interventions.ablated_heads.insert(
        {r.integer(pair[0], "ablated_heads", 0, kMaxIndex), r.integer(pair[1], "ablated_heads", 0, kMaxIndex)});
  }
  for (const json& key : r.array(iv, "masked_keys")) s.interventions.masked_keys.insert(r.integer(key, "masked_keys", 0, kMaxIndex));
  const json& causal = r.at(iv, "causal");
  if (causal.is_boolean()) s.interventions.causal = causal.get<bool>();
  else if (!causal.is_null()) r.fail("causal", "true, false or null, got " + causal.dump());

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
  s.display.head_view_top_k = r.integer(display, "head_view_top_k", 0, kMaxIndex, true);
  s.display.head_view_threshold = r.number(display, "head_view_threshold", 0.0f, 1.0f);
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
  state.show = session.show;
  const float font_scale = state.display.font_scale;
  const bool presenter = state.display.presenter;
  state.display = session.display;
  state.display.font_scale = font_scale;  // the reader's eyes, not the session's
  state.display.presenter = presenter;
  state.request_run();
}

void apply_session_selection(const Scene& session, AppState& state) {
  state.selection = session.selection;
  state.selection.hovered_token = -1;
  state.interventions = session.interventions;
  state.request_run();
}

}  // namespace attnscope
