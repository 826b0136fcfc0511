#include "app/app.h"

#include <algorithm>
#include <cstdio>

#include "app/memory.h"
#include "render/fonts.h"
#include "render/views.h"
#include "core/default_model.h"
#include "core/model.h"
#include "core/unicode.h"
#include "scene/alignment.h"
#include "scene/attention_view.h"
#include "scene/display_mode_choice.h"
#include "scene/head_labels.h"

namespace attnscope::app {

namespace {


std::string describe(const Model& model) {
  const ModelConfig& c = model.config;
  return std::string(family_name(c.family)) + ", " + std::to_string(c.n_layers) + " layers x " +
         std::to_string(c.n_heads) + " heads, context " + std::to_string(c.max_positions);
}

void apply_loaded_model(App& app, LoadResult& loaded) {
  AppState& s = app.state;
  if (!loaded.model) {
    app.requests.last_load_error = loaded.error;
    s.error_popup = "Could not open the model.\n\n" + loaded.error +
                    (s.model ? "\n\nThe previous model stays loaded." : "");
    s.status = "Model load failed: " + loaded.error;
    return;
  }
  s.model = std::move(loaded.model);
  s.run.reset();
  s.snapshot.reset();
  s.decoder_snapshot.reset();
  s.baseline.reset();
  // A translation model opens on its cross-attention, the alignment of the
  // two sentences; the decoder's step and target belong to the old model.
  s.attention = s.encoder_decoder() ? AttentionKind::Cross : AttentionKind::Self;
  s.step = -1;
  s.forced = false;
  // Each kind of model opens on its own sentence; anything the user typed stays.
  if (s.text == kDefaultSentence || s.text == kTranslationSentence) s.text = s.encoder_decoder() ? kTranslationSentence : kDefaultSentence;
  return_free_memory();  // the old model's weights and runs are gone
  // Head and position indices of the old model mean nothing for the new one.
  reset_all(s);
  s.selection.layer = std::min(s.selection.layer, s.model->config.n_layers - 1);
  s.selection.head = std::min(s.selection.head, s.model->config.n_heads - 1);
  // A model that names its heads opens on the first one (the default model's pronoun head);
  // a translation model that names a cross-attention head opens on it, its alignment too.
  const HeadPreset* cross = alignment_preset(*s.model);
  s.alignment.mode = cross ? AlignMode::Head : AlignMode::MeanHeads;
  if (cross) select_head_preset(s, *cross);
  else if (!s.model->presets.empty()) select_head_preset(s, s.model->presets.front());
  s.status = "Loaded " + loaded.path.string() + " (" + describe(*s.model) + ") in " +
             std::to_string(static_cast<int>(loaded.load_ms)) + " ms";
  if (!s.model->presets_problem.empty()) s.status += "; head presets ignored: " + s.model->presets_problem;
  for (const std::string& warning : s.model->warnings) show_notice(app, "The model loaded with a warning:\n\n" + warning);
  remember_model(app.settings, std::filesystem::absolute(loaded.path).lexically_normal().string());
  save_app_settings(app);
  s.request_run();
}

void apply_result(App& app, InferenceResult& result) {
  AppState& s = app.state;
  app.runs.last_applied = std::max(app.runs.last_applied, result.id);
  if (!result.run.snapshot) {
    s.status = "Run failed: " + result.error;
    return;
  }
  // A run for a model that has since been replaced is of no use.
  if (result.run.snapshot->model != s.model) return;
  // Views show the kind of attention asked for; the run keeps all of it.
  s.run = std::move(result.run.snapshot);
  refresh_attention_view(s);
  s.baseline = std::move(result.run.baseline);
  s.truncated = result.run.truncated;
  app.runs.cut_to_tokens = result.run.truncated ? s.run->n_tokens : 0;
  app.runs.last_run_ms = result.run_ms;
  app.runs.last_result_submitted = result.submitted;
  display_mode_delivered(s, result.display_mode);
  clamp_selection(s);
}

}  // namespace

void select_head_preset(AppState& state, const HeadPreset& preset) {
  if (state.encoder_decoder()) state.attention = preset.kind;
  state.selection.layer = preset.layer;
  state.selection.head = preset.head;
  state.selection.mode = HeadMode::Single;
}

std::string ascii_arrows(const std::string& text) { return unicode::replace_all(text, "\u2192", "->"); }

bool preset_shown(const AppState& state, const HeadPreset& preset) {
  const Selection& sel = state.selection;
  const bool kind_shown = !state.encoder_decoder() || state.attention == preset.kind;
  return kind_shown && sel.mode == HeadMode::Single && sel.layer == preset.layer && sel.head == preset.head;
}

std::string preset_label(const HeadPreset& preset, bool have_symbols, bool one_based) {
  const std::string name = have_symbols ? preset.name : ascii_arrows(preset.name);
  const std::string kind = preset.kind == AttentionKind::Self ? "" : std::string(attention_kind_name(preset.kind)) + " ";
  return name + "  (" + kind + "layer " + std::to_string(shown_index(preset.layer, one_based)) + ", head " +
         std::to_string(shown_index(preset.head, one_based)) + ")";
}

void request_model(App& app, const std::filesystem::path& path) {
  app.loader.load(path);
  app.state.status = "Loading " + path.string() + " ...";
}

void update_workers(App& app) {
  if (auto loaded = app.loader.poll()) {
    const bool loaded_ok = loaded->model != nullptr;
    const std::filesystem::path path = loaded->path;
    apply_loaded_model(app, *loaded);
    finish_session_load(app, path, loaded_ok);
  }
  if (auto result = app.inference.poll()) apply_result(app, *result);
  submit_run_if_requested(app);
  app.predictions.update(app.state);
  app.pair.update(app.state);
  update_head_roles(app);
}

void submit_run_if_requested(App& app) {
  AppState& s = app.state;
  if (s.run_requested && s.model) {
    InferenceRequest request;
    request.model = s.model;
    request.text = s.text;
    request.interventions = s.interventions;
    request.display_mode = chosen_display_mode(s);
    if (s.forced && s.encoder_decoder()) request.target = s.target;
    // The selected row's guesses come with the run; the others follow (PredictionsWorker).
    if (!s.encoder_decoder()) request.predict_row = s.selection.query;
    app.runs.last_submitted = app.inference.submit(std::move(request));
    s.run_requested = false;
  }
}

bool app_idle(const App& app) {
  // Without a model a requested run waits for one; there is nothing to wait for.
  const bool run_pending = app.state.run_requested && app.state.model;
  return !app.loader.busy() && !app.inference.busy() && !run_pending &&
         app.runs.last_applied >= app.runs.last_submitted && app.pair.idle(app.state) &&
         app.predictions.idle(app.state) && (!app.views || app.views->settled()) && !head_roles_pending(app);
}

void reset_all(AppState& state) {
  state.interventions = Interventions{};
  state.selection.query = -1;
  state.selection.mode = HeadMode::Single;
  state.request_run();
}

void clamp_selection(AppState& state) {
  if (!state.snapshot) return;
  const AttentionSnapshot& s = *state.snapshot;
  Selection& sel = state.selection;
  sel.layer = std::clamp(sel.layer, 0, std::max(s.n_layers - 1, 0));
  sel.head = std::clamp(sel.head, 0, std::max(s.n_heads - 1, 0));
  if (sel.query >= s.n_tokens) sel.query = -1;
  if (sel.hovered_token >= s.n_tokens) sel.hovered_token = -1;
}

void show_notice(App& app, const std::string& text) {
  if (app.persist) app.ui.notices.push_back(text);
  else std::fprintf(stderr, "attnscope: warning: %s\n", text.c_str());  // a scripted picture must not hold a popup
}

void save_app_settings(App& app) {
  if (!app.persist || app.settings_file.empty()) return;
  app.settings.colormap = app.state.display.colormap;
  app.settings.font_scale = app.state.display.font_scale;
  app.settings.presenter = app.state.display.presenter;
  app.settings.one_based_heads = app.state.display.one_based_heads;
  // A pasted book is not worth keeping: the last sentence is, up to a size.
  constexpr size_t kMaxRememberedText = 20000;
  if (app.state.text.size() <= kMaxRememberedText) app.settings.last_text = app.state.text;
  std::string error;
  if (!save_settings(app.settings_file, app.settings, &error)) app.state.status = "Settings not saved: " + error;
}

float ui_scale(const DisplaySettings& display) {
  return display.font_scale * (display.presenter ? kPresenterFontScale : 1.0f);
}

std::string truncation_notice(const App& app) {
  if (app.runs.cut_to_tokens <= 0) return {};
  return "text cut to " + std::to_string(app.runs.cut_to_tokens) + " tokens (the model's context)";
}

}  // namespace attnscope::app
