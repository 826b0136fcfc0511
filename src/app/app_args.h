// The command line: open the app in a given state and, for tests and figure
// making, save a screenshot and/or a view export after N frames and exit.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/data_export.h"
#include "app/view_ids.h"
#include "core/colormap.h"

namespace attnscope::app {

struct AppArgs {
  std::optional<std::string> model;
  std::optional<std::string> text;
  std::optional<int> layer, head, query;
  std::optional<HeadMode> head_mode;
  std::optional<ViewId> view;                       // show this view and bring it to the front
  std::set<std::pair<int, int>> ablate;             // (layer, head)
  std::set<int> mask_keys;
  std::optional<bool> causal;
  std::optional<Colormap> colormap;
  std::optional<std::string> browse;                // open the folder browser here at start
  std::optional<std::string> then_load;             // scripted: load this model once the first is ready
  std::optional<std::string> then_text;             // scripted: then type this text (after --then-load)
  std::optional<std::string> session;               // open this session file at start
  std::string save_session;                         // scripted: save the session here with the captures
  std::vector<DataExport> export_data;              // scripted: File > Export data of these, into the export folder
  std::string screenshot;                           // scripted: save the window here
  int frames = 3;                                   // frames drawn once everything is ready, before saving
  std::optional<ViewId> export_view;                // scripted: export this view ...
  float export_scale = 1;                           // ... at this scale ...
  std::string export_out;                           // ... to this file
  float export_width = 0, export_height = 0;        // logical figure size; 0 = the window's size
  bool export_light = false;
  bool bench_ui = false;
  int window_width = 1600, window_height = 960;

  bool scripted() const { return !screenshot.empty() || export_view.has_value() || !save_session.empty() || !export_data.empty() || bench_ui; }
};

// Throws attnscope::Error with a one-line message on a bad argument.
AppArgs parse_app_args(int argc, char** argv);
const char* app_usage();

}  // namespace attnscope::app
