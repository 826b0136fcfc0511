#include "render/view_predictions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/forward.h"
#include "render/figure_record.h"

namespace attnscope {

namespace {

int mask_id(const AttentionSnapshot& snap) {
  return snap.model && snap.model->tokenizer ? snap.model->tokenizer->mask_id : -1;
}

// The top-k of a snapshot of the state at `position`, null while not computed.
const std::vector<Prediction>* top_at(const AppState& state, const AttentionSnapshot& snapshot, int position) {
  return predictions_at(snapshot, position, state.completed_predictions.get());
}

// The baseline's probability of `id`, or -1 when it was not among the baseline's top-k.
float baseline_prob(const std::vector<Prediction>& baseline_top, int id) {
  for (const Prediction& p : baseline_top)
    if (p.id == id) return p.prob;
  return -1.0f;
}

// Okabe-Ito blue and vermillion: up and down, distinct for colour-blind readers.
ImU32 up_color() { return to_color({0, 114, 178}); }
ImU32 down_color() { return to_color({213, 94, 0}); }
ImU32 delta_color(float delta) {
  // On the dark theme the dark blue is hard to read; brighten it there.
  const bool dark = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x < 0.5f;
  if (delta >= 0) return dark ? to_color({86, 180, 233}) : up_color();
  return down_color();
}

// Heads switched off in the run: for an encoder-decoder model those of
// every kind, since each changes the decoder's predictions.
struct SwitchedOff {
  size_t total = 0;
  std::string detail;  // "1 encoder, 2 cross-attention"; empty for one kind
};

SwitchedOff switched_off(const AppState& state) {
  SwitchedOff off;
  if (!state.run || !state.run->decoder) {
    off.total = state.snapshot->interventions.ablated_heads.size();
    return off;
  }
  const Interventions& iv = state.run->interventions;
  const std::pair<size_t, const char*> kinds[] = {{iv.ablated_heads.size(), "encoder"},
                                                  {iv.ablated_decoder_heads.size(), "decoder"},
                                                  {iv.ablated_cross_heads.size(), "cross-attention"}};
  for (const auto& [n, name] : kinds) {
    if (n == 0) continue;
    off.total += n;
    off.detail += (off.detail.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  }
  return off;
}

}  // namespace

int prediction_position(const AppState& state) {
  if (!state.snapshot || state.snapshot->n_tokens == 0) return -1;
  const AttentionSnapshot& snap = *state.snapshot;
  if (state.selection.query >= 0 && state.selection.query < snap.n_tokens) return state.selection.query;
  return snap.model ? default_predicted_row(*snap.model, snap.tokens) : snap.n_tokens - 1;
}

namespace {

void draw_position_caption(const AppState& state, int position, const ViewDrawOptions& options) {
  const AttentionSnapshot& snap = *state.snapshot;
  const bool masked_lm = snap.model->config.masked_lm;
  const std::string where = token_quote(snap, position);
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  if (!masked_lm) {
    figure_text("Next token after " + where, text, options);
  } else if (snap.tokens[static_cast<size_t>(position)].id == mask_id(snap)) {
    figure_text("Fill for " + where, text, options);
  } else {
    figure_text("Guesses for position " + where, text, options);
    figure_text("The model sees this token itself; write [MASK] in the text to hide it.", dim, options);
  }
  if (masked_lm && state.selection.query < 0) {
    int masks = 0;
    for (const Token& t : snap.tokens) masks += t.id == mask_id(snap);
    if (masks > 1)
      figure_text(std::to_string(masks) + " [MASK] tokens: click one in the token strip to pick it.", dim, options);
  }
  const SwitchedOff off = switched_off(state);
  if (off.total > 0)
    figure_text(std::to_string(off.total) + (off.total == 1 ? " head" : " heads") + " switched off" +
                    (off.detail.empty() ? "" : " (" + off.detail + ")") + ".",
                dim, options);
}

// A guess as a label, quoted and keeping a leading space visible: " cat" and
// "cat" are different tokens.
std::string guess_label(const Prediction& p) {
  Token t;
  t.display = p.text;
  std::string label(1, '"');
  if (!p.text.empty() && p.text[0] == ' ') label += ' ';
  label += token_label(t, 16);
  label += '"';
  return label;
}

// x positions of the table's columns: rank | token | bar | percent | change.
struct GuessColumns {
  float token = 0, bar = 0, percent = 0, change = 0, bar_w = 0, change_w = 0, row_h = 0;
};

GuessColumns guess_columns(const std::vector<std::string>& labels, bool compare) {
  const float em = ImGui::GetFontSize();
  float token_w = ImGui::CalcTextSize("token").x;
  for (const std::string& label : labels) token_w = std::max(token_w, ImGui::CalcTextSize(label.c_str()).x);
  const float rank_w = ImGui::CalcTextSize("10.").x + em * 0.5f;
  const float percent_w = ImGui::CalcTextSize("100.0%").x + em * 0.6f;
  const float avail = ImGui::GetContentRegionAvail().x;
  GuessColumns c;
  c.change_w = compare ? ImGui::CalcTextSize("was 100.0%  +100.0").x + em * 0.5f : 0.0f;
  c.bar_w = std::clamp(avail - rank_w - token_w - em - percent_w - c.change_w, em * 4.0f, em * 16.0f);
  const float x0 = ImGui::GetCursorScreenPos().x;
  c.token = x0 + rank_w;
  c.bar = c.token + token_w + em;
  c.percent = c.bar + c.bar_w + em * 0.4f;
  c.change = c.percent + percent_w;
  c.row_h = ImGui::GetTextLineHeightWithSpacing() * 1.15f;
  return c;
}

// "was 12.3%  +4.5": the guess's probability with every head on and the change.
void draw_change(FigurePen& pen, const GuessColumns& c, float ty, float now, float before) {
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  if (before < 0) {
    pen.text(ImVec2(c.change, ty), dim, "was not in the top list");
    return;
  }
  char buffer[64];
  const float delta = 100.0f * (now - before);  // percentage points
  std::snprintf(buffer, sizeof buffer, "was %.1f%%", 100.0f * before);
  pen.text(ImVec2(c.change, ty), dim, buffer);
  std::snprintf(buffer, sizeof buffer, "%+.1f", std::fabs(delta) < 0.05f ? 0.0f : delta);
  const float w = ImGui::CalcTextSize(buffer).x;
  pen.text(ImVec2(c.change + c.change_w - w - ImGui::GetFontSize() * 0.5f, ty),
           std::fabs(delta) < 0.05f ? dim : delta_color(delta), buffer, TextAnchor::End);
}

void draw_guess_row(FigurePen& pen, const GuessColumns& c, size_t rank, const Prediction& p, const std::string& label,
                    const std::vector<Prediction>* baseline) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(c.change + c.change_w - at.x, c.row_h));
  const float ty = at.y + (c.row_h - ImGui::GetTextLineHeight()) * 0.5f;
  const ImU32 text = style_color(ImGuiCol_Text);
  pen.text(ImVec2(at.x, ty), style_color(ImGuiCol_TextDisabled), std::to_string(rank + 1) + ".");
  pen.text(ImVec2(c.token, ty), text, label);
  const float y0 = at.y + c.row_h * 0.18f, y1 = at.y + c.row_h * 0.82f;
  pen.fill(ImVec2(c.bar, y0), ImVec2(c.bar + c.bar_w * std::clamp(p.prob, 0.0f, 1.0f), y1),
           style_color(ImGuiCol_PlotHistogram));
  pen.frame(ImVec2(c.bar, y0), ImVec2(c.bar + c.bar_w, y1), style_color(ImGuiCol_Border), 1.0f);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0f * p.prob);
  pen.text(ImVec2(c.percent, ty), text, buffer);
  if (baseline) draw_change(pen, c, ty, p.prob, baseline_prob(*baseline, p.id));
}

// `top` and `baseline` (null without a comparison): the guesses at one position.
void draw_guess_table(const std::vector<Prediction>& top, const std::vector<Prediction>* baseline,
                      const ViewDrawOptions& options) {
  const bool compare = baseline != nullptr;
  std::vector<std::string> labels;
  for (size_t r = 0; r < std::min<size_t>(top.size(), 64); ++r) labels.push_back(guess_label(top[r]));
  const GuessColumns c = guess_columns(labels, compare);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("guesses");
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  pen.text(ImVec2(c.token, at.y), dim, "token");
  pen.text(ImVec2(c.bar, at.y), dim, "probability");
  if (compare) pen.text(ImVec2(c.change, at.y), dim, "all heads on");
  ImGui::Dummy(ImVec2(c.change + c.change_w - at.x, c.row_h));
  for (size_t r = 0; r < labels.size(); ++r) {
    const Prediction& p = top[r];
    draw_guess_row(pen, c, r, p, labels[r], baseline);
    if (!options.exporting && ImGui::IsItemHovered())
      ImGui::SetTooltip("id %d, logit %.3f, probability %.4f", p.id, p.logit, p.prob);
  }
}

void draw_comparison_note(const std::vector<Prediction>& top, const std::vector<Prediction>* baseline,
                          const ViewDrawOptions& options) {
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  if (baseline) {
    const Prediction& before = baseline->front();
    if (before.id != top.front().id) {
      char line[200];
      std::snprintf(line, sizeof line, "With every head on, the top guess was \"%s\" (%.1f%%).", before.text.c_str(),
                    100.0f * before.prob);
      figure_text(line, style_color(ImGuiCol_Text), options);
    }
    figure_text("Changes are in percentage points against the run with every head on.", dim, options);
  } else if (!options.exporting) {
    ImGui::TextDisabled("Switch heads off (right-click in the model view) to see how the guesses change.");
  }
}

}  // namespace

void draw_predictions_view(AppState& state, PredictionsViewState&, GlResources&, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  if (!snap.model || !snap.model->config.has_lm_head) {
    figure_text("This model has no prediction head (a bare encoder): nothing to predict.",
                style_color(ImGuiCol_TextDisabled), options);
    return;
  }
  const int position = prediction_position(state);
  const std::vector<Prediction>* top = top_at(state, snap, position);
  if (!top) {
    const CompletedPredictions* completed = state.completed_predictions.get();
    const bool pending = position >= 0 && position < snap.n_tokens && predictions_missing(&snap) &&
                         !(completed && completed->snapshot.get() == &snap);
    figure_text(pending ? "Computing the predictions for this position..." : "No predictions were computed for this position.",
                style_color(ImGuiCol_TextDisabled), options);
    return;
  }
  const bool compare = state.baseline && switched_off(state).total > 0 && state.baseline->text == snap.text;
  const std::vector<Prediction>* baseline = compare ? top_at(state, *state.baseline, position) : nullptr;
  draw_position_caption(state, position, options);
  draw_guess_table(*top, baseline, options);
  draw_comparison_note(*top, baseline, options);
}

}  // namespace attnscope
