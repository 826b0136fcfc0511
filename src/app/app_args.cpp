#include "app/app_args.h"

#include <algorithm>
#include <charconv>
#include <functional>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/text_input.h"

namespace attnscope::app {

const char* app_usage() {
  static const std::string usage = std::string("usage: attnscope [--model PATH] [--text TEXT | --text-file PATH] [--layer L --head H] [--head-mode single|mean|max]\n"
         "                 [--view heatmap|head|model|qkv|predictions|alignment|diff] [--query I] [--ablate L:H,...]\n"
         "                 [--mask-keys I,...] [--causal|--no-causal] [--no-positions] [--colormap viridis|magma|greys|blues]\n"
         "                 [--color-scale linear|log|per-row] [--hide-special] [--display-mode raw|value|rollout|flow]\n"
         "                 encoder-decoder models: [--target TEXT] [--attention self|decoder|cross] [--step N]\n"
         "                 [--ablate-decoder L:H,...] [--ablate-cross L:H,...] [--align head|mean|max|layers] [--align-tokens]\n"
         "                 minimal pairs (--view diff): [--text-b TEXT]\n"
         "                 [--browse DIR] [--window WxH] [--screenshot FILE] [--frames N] [--then-load PATH] [--then-text TEXT]\n"
         "                 [--export-view NAME --export-out FILE [--scale 1|2|4] [--size WxH] [--light]]\n"
         "                 [--session FILE] [--save-session FILE] [--cost-panel] [--export-cost FILE [--scale 1|2|4] [--light]]\n"
         "                 [--export-data json|npy-attention|npy-q|npy-k|npy-v|csv[,...]] [--bench-ui]\n"
         "                 [--soak N [--seed S]]\n") + kHeadRolesUsage;
  return usage.c_str();
}

namespace {

[[noreturn]] void usage_error(const std::string& message) { throw Error(ErrorKind::Usage, message); }

int parse_int(const std::string& flag, const std::string& text, int lo, int hi) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < lo || value > hi)
    usage_error(flag + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                text + "'");
  return value;
}

std::vector<DataExport> parse_export_list(const std::string& flag, const std::string& list) {
  std::vector<DataExport> kinds;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string key = list.substr(start, comma - start);
    DataExport kind;
    if (!data_export_from_key(key, &kind))
      usage_error(flag + ": unknown export '" + key + "' (expected json, npy-attention, npy-q, npy-k, npy-v or csv)");
    kinds.push_back(kind);
    start = comma + 1;
  }
  return kinds;
}

// The app's own options; false when `flag` is none of them.
bool take_app_option(const std::string& flag, const std::function<std::string()>& value, AppArgs& args) {
  if (flag == "--window") {
    const std::string size = value();
    const auto x = size.find('x');
    if (x == std::string::npos) usage_error(flag + ": expected WIDTHxHEIGHT, got '" + size + "'");
    args.window_width = parse_int(flag, size.substr(0, x), 64, 16384);
    args.window_height = parse_int(flag, size.substr(x + 1), 64, 16384);
  } else if (flag == "--screenshot") args.screenshot = value();
  else if (flag == "--text-file") args.text_file = value();
  else if (flag == "--frames") args.frames = parse_int(flag, value(), 1, 100000);
  else if (flag == "--then-load") args.then_load = value();
  else if (flag == "--browse") args.browse = value();
  else if (flag == "--then-text") args.then_text = value();
  else if (flag == "--export-view") {
    const std::string name = value();
    ViewId view;
    if (!view_from_key(name, &view))
      usage_error(flag + ": unknown view '" + name + "' (expected heatmap, head, model, qkv, predictions, alignment or diff)");
    args.export_view = view;
  } else if (flag == "--export-out") args.export_out = value();
  else if (flag == "--session") args.session = value();
  else if (flag == "--save-session") args.save_session = value();
  else if (flag == "--export-data") args.export_data = parse_export_list(flag, value());
  else if (flag == "--bench-ui") args.bench_ui = true;
  else if (flag == "--cost-panel") args.cost_panel = true;
  else if (flag == "--export-cost") args.export_cost = value();
  else if (flag == "--soak") args.soak_steps = parse_int(flag, value(), 1, 1000000);
  else if (flag == "--seed") args.soak_seed = static_cast<unsigned>(parse_int(flag, value(), 0, 2147483647));
  else if (!take_head_roles_option(flag, value, args.head_roles)) return false;
  return true;
}

}  // namespace

AppArgs parse_app_args(int argc, char** argv) {
  AppArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(flag + ": missing value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      args.help = true;
      return args;
    }
    const std::string name = flag.rfind("--", 0) == 0 ? flag.substr(2) : flag;
    // The older "--causal on|off" stays an alias of --causal / --no-causal.
    if (name == "causal" && i + 1 < argc && (std::string(argv[i + 1]) == "on" || std::string(argv[i + 1]) == "off")) {
      take_scene_option(value() == "on" ? "causal" : "no-causal", "", &args.scene);
    } else if (scene_valued_options().count(name)) {
      take_scene_option(name, value(), &args.scene);
    } else if (scene_switch_options().count(name)) {
      take_scene_option(name, "", &args.scene);
    } else if (!take_app_option(flag, value, args)) {
      usage_error("unknown argument '" + flag + "'");
    }
  }
  if (args.export_view && args.export_out.empty()) usage_error("--export-view needs --export-out FILE");
  if (!args.export_out.empty() && !args.export_view) usage_error("--export-out needs --export-view NAME");
  if (args.text_file && args.scene.text) usage_error("give either --text or --text-file, not both");
  if (!args.export_cost.empty() && args.export_view) usage_error("give either --export-view or --export-cost, not both");
  return args;
}

void read_text_file_argument(AppArgs& args) {
  if (args.text_file) args.scene.text = read_input_text(std::nullopt, args.text_file, "");
}

void check_script_outputs(const AppArgs& args) {
  std::vector<std::filesystem::path> outputs;
  if (!args.screenshot.empty()) {
    check_output_extension(args.screenshot, {".png"});
    outputs.insert(outputs.end(), {args.screenshot, args.screenshot + ".json"});
  }
  if (args.export_view) {
    check_output_extension(args.export_out, {".png", ".svg"});
    outputs.insert(outputs.end(), {args.export_out, args.export_out + ".json"});
  }
  if (!args.export_cost.empty()) {
    check_output_extension(args.export_cost, {".png", ".svg"});
    outputs.insert(outputs.end(), {args.export_cost, args.export_cost + ".json"});
  }
  if (!args.save_session.empty()) {
    check_output_extension(args.save_session, {".json"});
    outputs.push_back(args.save_session);
  }
  check_output_paths(outputs, Overwrite::Refuse);
}

}  // namespace attnscope::app
