// Everything the app's views read and change, owned by the UI thread. The
// model and snapshots are immutable and shared with the worker threads.
//
// Shape legend: L layers, H heads, T tokens, D model dim, Dh head dim, V vocab.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/colormap.h"
#include "core/interventions.h"
#include "core/model.h"
#include "core/snapshot.h"

namespace attnscope::app {

enum class HeadMode { Single, Mean, Max };     // one head, or every head of the layer combined
// "single", "mean", "max": the name sessions, sidecars and --head-mode use.
inline const char* head_mode_key(HeadMode mode) {
  switch (mode) {
    case HeadMode::Single: return "single";
    case HeadMode::Mean: return "mean";
    case HeadMode::Max: return "max";
  }
  return "single";
}
enum class ColorScale { Linear, Log, PerRow };  // how weights map to colours

struct Selection {
  int layer = 0;
  int head = 0;
  HeadMode mode = HeadMode::Single;
  int query = -1;          // selected query token, -1 = none (views then use the last token)
  int hovered_token = -1;  // token under the mouse in any view, -1 = none; reset every frame
};

struct DisplaySettings {
  Colormap colormap = Colormap::Viridis;
  ColorScale scale = ColorScale::Linear;
  bool hide_special = false;  // display only: drop [CLS]/[SEP]/BOS and renormalise rows
  float font_scale = 1.0f;
  bool presenter = false;     // large fonts for a projector
  int head_view_top_k = 5;    // lines kept per query in the head view (0 = use threshold)
  float head_view_threshold = 0.05f;
};

struct ViewVisibility {
  bool heatmap = true;
  bool head_view = true;
  bool model_view = true;
  bool qkv = false;
  bool predictions = true;
};

struct AppState {
  std::shared_ptr<const Model> model;                 // nullptr until one is loaded
  std::string text = "The animal didn't cross the street because it was too tired";
  Interventions interventions;                         // ablations, causal override, key masks
  Selection selection;
  DisplaySettings display;
  ViewVisibility show;

  std::shared_ptr<const AttentionSnapshot> snapshot;   // latest run with the interventions
  std::shared_ptr<const AttentionSnapshot> baseline;   // same text without ablations (prediction deltas); may be null
  bool truncated = false;                              // the text was cut to the model's context
  bool run_requested = true;                           // set by any change that needs a new forward pass

  std::string status;                                  // one-line message in the status bar
  std::string error_popup;                             // non-empty: a modal shows it once

  void request_run() { run_requested = true; }
  int n_tokens() const { return snapshot ? snapshot->n_tokens : 0; }
  // The query the views show: the selected one, else the last token.
  int effective_query() const {
    if (!snapshot) return -1;
    if (selection.query >= 0 && selection.query < snapshot->n_tokens) return selection.query;
    return snapshot->n_tokens - 1;
  }
};

}  // namespace attnscope::app
