// What is being looked at (Scene) and what the UI shows of it (AppState).
// A Scene is pure input: it is what sessions save, what the command lines set
// and what a figure job renders. AppState adds the loaded model and the runs.
//
// Shape legend: L layers, H heads, T tokens, D model dim, Dh head dim, V vocab.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/attention_kind.h"
#include "core/colormap.h"
#include "core/default_model.h"
#include "core/interventions.h"
#include "core/model.h"
#include "core/snapshot.h"
#include "scene/completed_predictions.h"
#include "scene/head_roles.h"
#include "scene/names.h"

namespace attnscope {

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
  DisplayMode mode = DisplayMode::Raw;  // what the weights are; display_modes.h
  float font_scale = 1.0f;
  bool presenter = false;     // large fonts for a projector
  int head_view_top_k = 5;    // lines kept per query in the head view (0 = use threshold)
  float head_view_threshold = 0.05f;
  bool one_based_heads = false;  // head labels count from 1 ("L5 H4"), as some papers do; head_labels.h
  bool role_borders = false;     // model view: each thumbnail's border shows its head's strongest role
};

struct ViewVisibility {
  bool heatmap = true;
  bool head_view = true;
  bool model_view = true;
  bool qkv = false;
  bool predictions = true;
  bool alignment = true;  // drawn only when an encoder-decoder model is open
  bool minimal_pair = false;  // sentence A (the text) beside sentence B, and their difference
};

// What the alignment view shows of the cross-attention.
struct AlignmentSettings {
  AlignMode mode = AlignMode::MeanHeads;
  bool words = true;  // merge SentencePiece pieces into words; false: raw tokens
};

// How one view becomes a picture file.
struct FigureOptions {
  ViewId view = ViewId::Heatmap;
  float scale = 1;                  // 1, 2 or 4 pixels per logical unit
  float width = 960, height = 720;  // logical size
  bool light = false;               // light background for print
};

struct Scene {
  std::string model_path;        // folder or file; empty = none chosen
  std::string text = kDefaultSentence;
  Selection selection;
  Interventions interventions;   // switched-off heads, masked keys, causal override
  ViewVisibility show;
  DisplaySettings display;
  FigureOptions figure;

  // Encoder-decoder models (Marian, T5); `text` is then the source sentence.
  std::string target;            // the target the decoder reads when `forced`
  bool forced = false;           // false: the model's own greedy translation
  AttentionKind attention = AttentionKind::Self;  // what the heatmap, head and model views show
  int step = -1;                 // decoding step replayed: decoder rows 0..step; -1 = every row
  AlignmentSettings alignment;

  // The minimal-pair view: the sentence compared with `text` (sentence A).
  std::string text_b;
};

// Throws Error (OutOfRange) when the selection, a switched-off head, a masked
// key or the figure scale does not fit the model and a text of n_tokens.
void validate_scene(const Scene& scene, const ModelConfig& config, int n_tokens);
// The same, and for encoder-decoder models the decoder's switched-off heads
// and, when the scene shows decoder or cross-attention, the selected layer
// against the decoder's layers. n_tokens counts the source. Throws Error
// (Usage) for a target or a decoder kind on a model without a decoder.
void validate_scene(const Scene& scene, const Model& model, int n_tokens);

struct AppState : Scene {
  std::shared_ptr<const Model> model;                  // nullptr until one is loaded

  // The latest run with the interventions. For an encoder-decoder model `run`
  // holds everything and `snapshot` is the kind of attention the views show
  // (attention_view.h), cut to the decoding step; otherwise both are the same.
  std::shared_ptr<const AttentionSnapshot> run;
  std::shared_ptr<const AttentionSnapshot> snapshot;
  // Encoder-decoder models: the decoder's self-attention at the step, whose
  // predictions are the next target token; null otherwise.
  std::shared_ptr<const AttentionSnapshot> decoder_snapshot;
  std::shared_ptr<const AttentionSnapshot> baseline;   // same text without ablations (prediction deltas); may be null
  // The rows of `run` and `baseline` the run left without top-k (the app's
  // runs predict only the selected row first); null or older until ready.
  std::shared_ptr<const CompletedPredictions> completed_predictions;
  std::shared_ptr<const HeadRoleScores> head_roles;    // the head roles window's scores (role borders); may be null
  bool truncated = false;                              // the text was cut to the model's context
  bool run_requested = true;                           // set by any change that needs a new forward pass
  // A display mode asked for whose matrices the worker is still computing
  // (flow takes seconds at 60 tokens); the views keep display.mode until then.
  std::optional<DisplayMode> pending_display_mode;
  // Sentence B's latest run (text_b with the same switched-off heads), while
  // the minimal-pair view is open; null before it, error_b says why it failed.
  std::shared_ptr<const AttentionSnapshot> snapshot_b;
  std::string error_b;

  std::string status;                                  // one-line message in the status bar
  std::string error_popup;                             // non-empty: a modal shows it once

  void request_run() { run_requested = true; }
  bool encoder_decoder() const { return model && model->encoder_decoder; }
  int n_tokens() const { return snapshot ? snapshot->n_tokens : 0; }
  // The query the views show: the selected one, else the last token.
  int effective_query() const {
    if (!snapshot) return -1;
    if (selection.query >= 0 && selection.query < snapshot->n_tokens) return selection.query;
    return snapshot->n_tokens - 1;
  }
};

bool& view_visible(ViewVisibility& show, ViewId view);

}  // namespace attnscope
