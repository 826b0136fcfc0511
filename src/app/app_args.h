// The command line: open the app on a scene and, for tests and figure making,
// save a screenshot and/or a view export after N frames and exit. The scene's
// options are spelled as in attnscope-cli (scene/scene_options.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/head_roles_args.h"
#include "scene/data_export.h"
#include "scene/scene_options.h"

namespace attnscope::app {

struct AppArgs {
  SceneOverrides scene;                             // --model, --text, --layer, --view, --ablate, --scale, ...
  std::optional<std::string> text_file;             // --text-file PATH ("-": standard input), read by read_text_file_argument
  std::optional<std::string> browse;                // open the folder browser here at start
  std::optional<std::string> then_load;             // scripted: load this model once the first is ready
  std::optional<std::string> then_text;             // scripted: then type this text (after --then-load)
  std::optional<std::string> session;               // open this session file at start
  std::string save_session;                         // scripted: save the session here with the captures
  std::vector<DataExport> export_data;              // scripted: File > Export data of these, into the export folder
  std::string screenshot;                           // scripted: save the window here
  int frames = 3;                                   // frames drawn once everything is ready, before saving
  std::optional<ViewId> export_view;                // scripted: export this view (with the scene's figure options) ...
  std::string export_out;                           // ... to this file
  bool cost_panel = false;                          // open the "Cost of attention" window
  std::string export_cost;                          // scripted: export that window here (.png or .svg), once measured
  bool bench_ui = false;
  int soak_steps = 0;                               // --soak N: N random actions on the default models (soak.h)
  unsigned soak_seed = 1;                           // --seed S: which random actions
  bool help = false;                                // --help: print the usage and exit 0
  HeadRolesArgs head_roles;                         // --head-roles, --roles-sort, --roles-click, ...
  int window_width = 1600, window_height = 960;

  bool scripted() const { return !screenshot.empty() || export_view.has_value() || !export_cost.empty() || !save_session.empty() || !export_data.empty() || bench_ui || soak_steps > 0; }
};

// Throws attnscope::Error (Usage) with a one-line message on a bad argument.
AppArgs parse_app_args(int argc, char** argv);

// Puts the contents of --text-file into the scene's text. Throws Error naming
// the file (missing, not a regular file, unreadable).
void read_text_file_argument(AppArgs& args);

// A scripted run's outputs (--screenshot, --export-out, --save-session and
// the sidecars beside the pictures), checked before anything is drawn: each
// must have its format's extension, a folder that exists, and no file there
// yet. Throws Error naming the first that fails.
void check_script_outputs(const AppArgs& args);
const char* app_usage();

}  // namespace attnscope::app
