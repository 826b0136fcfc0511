#include "render/headless_figures.h"

#include "core/error.h"
#include "core/seq2seq.h"
#include "render/views.h"
#include "scene/alignment.h"
#include "scene/attention_view.h"
#include "scene/pair_worker.h"
#include "scene/scene_run.h"

namespace attnscope {

HeadlessFigures::HeadlessFigures() : views_(std::make_unique<Views>()) {}
HeadlessFigures::~HeadlessFigures() = default;

const HeatmapLayout& HeadlessFigures::heatmap_layout() const { return views_->heatmap_layout(); }
const HeatmapLayout& HeadlessFigures::pair_diff_layout() const { return views_->pair_diff_layout(); }

std::shared_ptr<const Model> HeadlessFigures::model(const std::string& path) {
  auto it = models_.find(path);
  if (it != models_.end()) return it->second;
  auto loaded = load_model(path);
  models_[path] = loaded;
  return loaded;
}

namespace {

// The minimal-pair view's second run: text_b with A's switched-off heads.
void run_sentence_b(AppState& state) {
  if (state.encoder_decoder())
    throw Error(ErrorKind::Usage, "the diff view compares self-attention: it needs a BERT or GPT-style model");
  if (state.text_b.empty())
    throw Error(ErrorKind::Usage, "the diff view compares two sentences: give the second with --text-b TEXT");
  state.snapshot_b = run_scene(state.model, state.text_b, pair_b_interventions(state.interventions)).snapshot;
}

}  // namespace

AppState HeadlessFigures::prepare(const FigureJob& job) {
  if (job.scene.model_path.empty()) throw Error(ErrorKind::Usage, "no model given");
  AppState state;
  static_cast<Scene&>(state) = job.scene;
  state.model = model(job.scene.model_path);
  if (job.preset_head && !state.model->presets.empty()) {
    const HeadPreset& preset = state.model->presets.front();
    state.selection.layer = preset.layer;
    state.selection.head = preset.head;
    if (is_encoder_decoder(*state.model)) state.attention = preset.kind;
  }
  const HeadPreset* cross = alignment_preset(*state.model);
  if (job.preset_alignment && cross && state.figure.view == ViewId::Alignment) {
    state.attention = AttentionKind::Cross;
    state.selection.layer = cross->layer;
    state.selection.head = cross->head;
    state.alignment.mode = AlignMode::Head;
  }
  state.selection.hovered_token = -1;
  view_visible(state.show, state.figure.view) = true;
  validate_scene(state, *state.model, 1 << 30);  // before a long run on a bad head
  const std::optional<std::string> target = state.forced ? std::optional<std::string>(state.target) : std::nullopt;
  const SceneRun run = run_scene(state.model, state.text, state.interventions, nullptr, nullptr, nullptr, target);
  state.run = run.snapshot;
  refresh_attention_view(state);
  state.baseline = run.baseline;
  state.truncated = run.truncated;
  validate_scene(state, *state.model, state.run->n_tokens);
  if (state.figure.view == ViewId::Alignment && !state.run->decoder)
    throw Error(ErrorKind::Usage, "the alignment view needs an encoder-decoder model (Marian, T5)");
  if (state.figure.view == ViewId::MinimalPair) run_sentence_b(state);
  return state;
}

void HeadlessFigures::render_to_file(const FigureJob& job) {
  if (job.out.empty()) throw Error(ErrorKind::Usage, "no output file given");
  AppState state = prepare(job);
  const FigureOptions& f = state.figure;
  const FigureSpec spec = make_figure_spec(state, f.view, f.width, f.height, f.scale, f.light);
  write_figure(*views_, state, f.view, spec, job.out, job.overwrite);
}

}  // namespace attnscope
