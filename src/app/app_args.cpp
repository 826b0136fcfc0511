#include "app/app_args.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/error.h"
#include "core/interventions.h"

namespace attnscope::app {

const char* app_usage() {
  return "usage: attnscope [--model PATH] [--text TEXT] [--layer L --head H] [--head-mode single|mean|max]\n"
         "                 [--view heatmap|head|model|qkv|predictions] [--query I] [--ablate L:H,...]\n"
         "                 [--mask-keys I,...] [--causal on|off] [--colormap viridis|magma|greys|blues]\n"
         "                 [--browse DIR] [--window WxH] [--screenshot FILE] [--frames N] [--then-load PATH] [--then-text TEXT]\n"
         "                 [--export-view NAME --export-scale 1|2|4 --export-out FILE [--export-size WxH] [--export-light]]\n"
         "                 [--session FILE] [--save-session FILE]\n"
         "                 [--export-data json|npy-attention|npy-q|npy-k|npy-v|csv[,...]] [--bench-ui]\n";
}

namespace {

int parse_int(const std::string& flag, const std::string& text, int lo, int hi) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < lo || value > hi)
    throw Error(flag + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                text + "'");
  return value;
}

std::pair<int, int> parse_size(const std::string& flag, const std::string& text) {
  const auto x = text.find('x');
  if (x == std::string::npos) throw Error(flag + ": expected WIDTHxHEIGHT, got '" + text + "'");
  return {parse_int(flag, text.substr(0, x), 64, 16384), parse_int(flag, text.substr(x + 1), 64, 16384)};
}

ViewId parse_view(const std::string& flag, const std::string& text) {
  ViewId view;
  if (!view_from_key(text, &view))
    throw Error(flag + ": unknown view '" + text + "' (expected heatmap, head, model, qkv or predictions)");
  return view;
}

}  // namespace

AppArgs parse_app_args(int argc, char** argv) {
  AppArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(flag + ": missing value");
      return argv[++i];
    };
    if (flag == "--model") args.model = value();
    else if (flag == "--text") args.text = value();
    else if (flag == "--layer") args.layer = parse_int(flag, value(), 0, 1 << 20);
    else if (flag == "--head") args.head = parse_int(flag, value(), 0, 1 << 20);
    else if (flag == "--query") args.query = parse_int(flag, value(), 0, 1 << 20);
    else if (flag == "--head-mode") {
      const std::string m = value();
      if (m == "single") args.head_mode = HeadMode::Single;
      else if (m == "mean") args.head_mode = HeadMode::Mean;
      else if (m == "max") args.head_mode = HeadMode::Max;
      else throw Error(flag + ": expected single, mean or max, got '" + m + "'");
    } else if (flag == "--view") args.view = parse_view(flag, value());
    else if (flag == "--ablate") args.ablate = parse_head_list(value());
    else if (flag == "--mask-keys") args.mask_keys = parse_index_list(value());
    else if (flag == "--causal") {
      const std::string c = value();
      if (c != "on" && c != "off") throw Error(flag + ": expected on or off, got '" + c + "'");
      args.causal = (c == "on");
    } else if (flag == "--colormap") {
      Colormap map;
      const std::string name = value();
      if (!colormap_from_name(name, &map)) throw Error(flag + ": unknown colormap '" + name + "'");
      args.colormap = map;
    } else if (flag == "--window") {
      auto [w, h] = parse_size(flag, value());
      args.window_width = w;
      args.window_height = h;
    } else if (flag == "--screenshot") args.screenshot = value();
    else if (flag == "--frames") args.frames = parse_int(flag, value(), 1, 100000);
    else if (flag == "--then-load") args.then_load = value();
    else if (flag == "--browse") args.browse = value();
    else if (flag == "--then-text") args.then_text = value();
    else if (flag == "--export-view") args.export_view = parse_view(flag, value());
    else if (flag == "--export-scale") {
      const int s = parse_int(flag, value(), 1, 4);
      if (s == 3) throw Error(flag + ": expected 1, 2 or 4, got 3");
      args.export_scale = static_cast<float>(s);
    } else if (flag == "--export-out") args.export_out = value();
    else if (flag == "--export-size") {
      auto [w, h] = parse_size(flag, value());
      args.export_width = static_cast<float>(w);
      args.export_height = static_cast<float>(h);
    } else if (flag == "--export-light") args.export_light = true;
    else if (flag == "--session") args.session = value();
    else if (flag == "--save-session") args.save_session = value();
    else if (flag == "--export-data") {
      const std::string list = value();
      size_t start = 0;
      while (start <= list.size()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        const std::string key = list.substr(start, comma - start);
        DataExport kind;
        if (!data_export_from_key(key, &kind))
          throw Error(flag + ": unknown export '" + key + "' (expected json, npy-attention, npy-q, npy-k, npy-v or csv)");
        args.export_data.push_back(kind);
        start = comma + 1;
      }
    }
    else if (flag == "--bench-ui") args.bench_ui = true;
    else if (flag == "--help" || flag == "-h") throw Error("help");
    else throw Error("unknown argument '" + flag + "'");
  }
  if (args.export_view && args.export_out.empty()) throw Error("--export-view needs --export-out FILE");
  if (!args.export_out.empty() && !args.export_view) throw Error("--export-out needs --export-view NAME");
  return args;
}

}  // namespace attnscope::app
