// The app shell's state around AppState: the workers, settings, pending
// screenshot/export requests and the bits of bookkeeping the frame loop
// needs. Drawing lives in the ui_*.cpp files; this file only updates data.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scene/data_export.h"
#include "app/folder_browser.h"
#include "app/head_roles_window.h"
#include "app/overwrite_question.h"
#include "core/atomic_file.h"
#include "app/view_windows.h"
#include "app/cost_window.h"
#include "scene/inference_worker.h"
#include "scene/predictions_worker.h"
#include "scene/model_loader_worker.h"
#include "scene/pair_worker.h"
#include "scene/session.h"
#include "scene/settings.h"
#include "scene/view_state.h"

struct ImFont;

namespace attnscope {
class Views;
}

namespace attnscope::app {


struct ExportRequest {
  ViewId view = ViewId::Heatmap;
  float scale = 2;
  std::filesystem::path out;  // empty: a default name in the export folder, never overwriting
  float width = 0;            // logical figure size; 0 = the view window's current size
  float height = 0;
  bool light = false;
  bool sidecar = false;       // also write out + ".json" with the layout and the state shown
  bool svg = false;           // write SVG instead of PNG (heatmap, head and model views)
  bool overwrite = false;     // the user agreed to replace `out`
};

struct ScreenshotRequest {
  std::filesystem::path out;  // empty: a default name, never overwriting
  int delay_frames = 1;       // let a just-clicked menu close before the capture
  bool sidecar = false;
  bool overwrite = false;     // the user agreed to replace `out`
};

// Bookkeeping of runs: the status bar's timing, the "cut to the context"
// notice and the benchmark read it.
struct RunLog {
  std::uint64_t last_submitted = 0;
  std::uint64_t last_applied = 0;
  double last_run_ms = 0;
  int cut_to_tokens = 0;  // > 0: the last run's text was cut to this many tokens
  std::chrono::steady_clock::time_point last_result_submitted;  // of the snapshot on screen
};

// Flags of the UI itself: they last a frame, or until a window or dialog closes.
struct UiFlags {
  // Hover is written by whichever view is under the mouse; it is carried to
  // the next frame so that views drawn earlier in the frame see it too.
  int hover_shown = -1;
  std::optional<ViewId> focus_view;  // bring this window to the front next frame
  bool fonts_dirty = true;           // rebuild the atlas before the next frame
  bool have_symbols = false;         // the font has ·, ↵ and friends (DejaVu), not just ASCII
  ImFont* title_font = nullptr;      // 1.5x the body font, for headings
  bool focus_text = false;           // put the keyboard in the text box next frame
  bool show_input = true;            // the "Input" window: text, tokens and head controls
  bool reset_layout = false;         // put every window back at its default place
  bool open_session_dialog = false;  // File -> Open session: the typed-path modal opens next frame
  std::string session_path_input;    // what the user typed there
  std::optional<std::string> text_before_shuffle;  // the text "Restore" brings back
  std::vector<std::string> notices;  // warnings shown one at a time in a popup until dismissed
  std::optional<OverwriteQuestion> overwrite_question;  // a save refused because the file exists: ask
  bool save_session_as_dialog = false;  // File -> Save session as: the typed-path modal opens next frame
  bool quit = false;
};

// Work the frame loop carries out for menus and scripts: captures after the
// next frame, a session waiting for its model, and what scripted checks read.
struct Requests {
  std::optional<ScreenshotRequest> screenshot;
  std::optional<ExportRequest> export_request;
  std::optional<Scene> pending_session;  // applied once its model has loaded (loading resets the selection)
  std::string last_load_error;           // the most recent failed load, for scripted checks
};

// The app: what the UI shows (state, settings) and the machinery behind it
// (workers, views), then the three groups above.
struct App {
  AppState state;
  Settings settings;
  std::filesystem::path settings_file;
  bool persist = true;  // scripted runs neither read the last session nor write settings

  InferenceWorker inference;
  PairWorker pair;  // sentence B of the minimal-pair view
  PredictionsWorker predictions;  // the rows of a run's predictions it left out
  ModelLoaderWorker loader;
  FolderBrowser browser;
  std::unique_ptr<Views> views;  // created once the GL context exists
  ViewWindowState view_windows;
  HeadRolesPanel head_roles;
  CostPanel cost;  // the "Cost of attention" window and its scaling job

  RunLog runs;
  UiFlags ui;
  Requests requests;
};

// Starts loading `path` in the background; the current model stays until it succeeds.
void request_model(App& app, const std::filesystem::path& path);

// Takes finished loads and runs from the workers and submits a new run when
// something asked for one. Call once per frame, before drawing.
void update_workers(App& app);

// Hands the worker a run when something asked for one. update_workers calls
// it, and the loop calls it again right after drawing, so that an edit made
// in this frame starts computing while the frame is still being rendered.
void submit_run_if_requested(App& app);

// True when no load or run is queued or running and the state on screen is current.
bool app_idle(const App& app);

// Clears ablations, masks, the causal override and the query selection.
void reset_all(AppState& state);

// Keeps the selection inside the current snapshot's layers, heads and tokens.
void clamp_selection(AppState& state);

// Shows one head: the preset's layer and head, in single-head mode.
void select_head_preset(AppState& state, const HeadPreset& preset);
// True when the preset\'s head is the one shown, alone.
bool preset_shown(const AppState& state, const HeadPreset& preset);

// A preset's name as the UI font can draw it ("→" becomes "->" without DejaVu).
// one_based: numbered from 1 (DisplaySettings::one_based_heads).
std::string preset_label(const HeadPreset& preset, bool have_symbols, bool one_based = false);
// "→" written as "->", for a font without the arrow.
std::string ascii_arrows(const std::string& text);

// A warning that must not scroll away: a popup until dismissed, or stderr in a scripted run.
void show_notice(App& app, const std::string& text);

// Writes settings unless this is a scripted run (or the file there is not
// ours to replace); failures go to the status bar.
void save_app_settings(App& app);

// app_session.cpp. Opens a session file: text and settings at once, the
// selection once its model is loaded. A file that cannot be read changes
// nothing and shows the error modal; a missing model shows a notice.
bool open_session(App& app, const std::filesystem::path& path);
// Called by update_workers when a load finishes, to apply a pending session.
void finish_session_load(App& app, const std::filesystem::path& loaded_path, bool loaded_ok);
// Writes the current session to `out`, or to a new default name in the
// export folder when `out` is empty; `written` receives the path.
// An existing `out` is refused, and an interactive run asks whether to replace it.
bool save_session(App& app, const std::filesystem::path& out, std::filesystem::path* written = nullptr,
                  Overwrite overwrite = Overwrite::Refuse);
// File -> Export data: writes under a default name in the export folder.
bool export_data(App& app, DataExport kind);

// Font and spacing multiplier of the UI: the user's font scale, larger in presenter mode.
float ui_scale(const DisplaySettings& display);

// The text shown in the "cut to the context" notice, or empty.
std::string truncation_notice(const App& app);

}  // namespace attnscope::app
