// The minimal-pair view's lower half: where the query looks in A and in B,
// key by key, and what the model predicts at the query in each sentence.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "render/figure_record.h"
#include "render/view_pair_parts.h"

namespace attnscope {

namespace {

std::string format(const char* pattern, float value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string quoted(const std::string& text) { return "\u201C" + text + "\u201D"; }

// The top of the bar chart's scale: the taller row's largest weight, rounded up to a tenth.
float bar_scale_top(const PairMatrices& pair, int slot) {
  const float top = std::max(pair.a.row(slot).maxCoeff(), pair.b.row(slot).maxCoeff());
  return std::clamp(std::ceil(top * 10.0f - 1e-3f) / 10.0f, 0.1f, 1.0f);
}

// "In A" / "In B" swatches for the bar chart's key, from `at` rightwards.
void draw_swatches(FigurePen& pen, ImVec2 at) {
  const float em = ImGui::GetFontSize();
  const ImU32 text = style_color(ImGuiCol_Text);
  float x = at.x;
  for (const auto& [label, color] : {std::pair<const char*, ImU32>{"A", pair_a_color()}, {"B", pair_b_color()}}) {
    pen.fill(ImVec2(x, at.y + em * 0.2f), ImVec2(x + em * 0.8f, at.y + em * 1.0f), color);
    pen.text(ImVec2(x + em * 1.1f, at.y), text, label);
    x += em * 2.6f;
  }
}

struct BarsGeometry {
  float em = 0, axis_w = 0, slot_w = 0, chart_h = 0, label_h = 0, line = 1;
  ImVec2 p0, p1;  // the plot area: weight 0 along p1.y, the scale's top along p0.y
};

BarsGeometry layout_bars(const MinimalPairViewState& view, const ViewDrawOptions& options) {
  BarsGeometry g;
  g.em = ImGui::GetFontSize();
  g.line = std::max(1.0f, options.scale);
  g.axis_w = ImGui::CalcTextSize("0.00").x + g.em * 0.8f;
  g.chart_h = g.em * 7.0f;
  g.label_h = std::min(view.label_width * g.em, g.em * 8.0f) + g.em * 0.4f;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  const float avail = ImGui::GetContentRegionAvail().x;
  const int n = view.pair.size();
  g.slot_w = std::floor(std::clamp((avail - g.axis_w) / std::max(n, 1), 2.0f, g.em * 3.0f));
  g.p0 = ImVec2(std::round(start.x + g.axis_w), std::round(start.y + g.em * 0.5f));
  g.p1 = ImVec2(g.p0.x + g.slot_w * n, g.p0.y + g.chart_h);
  return g;
}

// Grid lines and their weights at 0, half and the top of the scale.
void draw_bar_axis(FigurePen& pen, const BarsGeometry& g, float top) {
  const ImU32 grid = style_color(ImGuiCol_Border), text = style_color(ImGuiCol_TextDisabled);
  for (float at : {0.0f, 0.5f, 1.0f}) {
    const float y = std::round(g.p1.y - at * g.chart_h);
    pen.line(ImVec2(g.p0.x, y), ImVec2(g.p1.x, y), grid, g.line);
    const std::string label = format("%.2f", at * top);
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    pen.text(ImVec2(g.p0.x - g.em * 0.4f - size.x, y - size.y * 0.5f), text, label, TextAnchor::End);
  }
}

}  // namespace

void draw_pair_query_bars(const AppState& state, const MinimalPairViewState& view, int query_slot,
                          const ViewDrawOptions& options) {
  if (query_slot < 0) return;
  const PairMatrices& pair = view.pair;
  const AlignedSlot& q = pair.alignment.slots[static_cast<size_t>(query_slot)];
  const std::string who = state.selection.query >= 0 ? "" : " (the query whose attention changed most)";
  figure_text("Where " + quoted(view.labels[static_cast<size_t>(query_slot)]) + " looks" + who, style_color(ImGuiCol_Text),
              options);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("bars");
  draw_swatches(pen, ImVec2(ImGui::GetItemRectMax().x + ImGui::GetFontSize(), ImGui::GetItemRectMin().y));
  const BarsGeometry g = layout_bars(view, options);
  const float top = bar_scale_top(pair, query_slot);
  draw_bar_axis(pen, g, top);
  const float bar_w = std::max(1.0f, std::floor(g.slot_w * 0.36f));
  for (int s = 0; s < pair.size(); ++s) {
    const AlignedSlot& key = pair.alignment.slots[static_cast<size_t>(s)];
    const float mid = g.p0.x + (s + 0.5f) * g.slot_w;
    auto bar = [&](float left, float weight, ImU32 color) {
      const float h = std::round(std::min(weight / top, 1.0f) * g.chart_h);
      if (h >= 1) pen.fill(ImVec2(left, g.p1.y - h), ImVec2(left + bar_w, g.p1.y), color);
    };
    if (q.a >= 0 && key.a >= 0) bar(std::round(mid - bar_w), pair.a(query_slot, s), pair_a_color());
    if (q.b >= 0 && key.b >= 0) bar(std::round(mid), pair.b(query_slot, s), pair_b_color());
    const std::string& label = view.labels[static_cast<size_t>(s)];
    add_text_vertical(pen.draw_list(), ImVec2(mid - g.em * 0.5f, g.p1.y + g.em * 0.3f + ImGui::CalcTextSize(label.c_str()).x),
                      pair_label_color(pair.alignment, s, query_slot), label.c_str(), options.record);
  }
  ImGui::SetCursorScreenPos(ImVec2(g.p0.x - g.axis_w, g.p1.y + g.label_h + g.em * 0.3f));
  ImGui::Dummy(ImVec2(g.p1.x - g.p0.x + g.axis_w, 0));
}

namespace {

const char* position_caption(const AttentionSnapshot& snapshot) {
  return snapshot.model && snapshot.model->config.masked_lm ? "Top predictions at" : "Next token after";
}

// One sentence's top guesses at `position` as a column: guess, bar, probability.
// `top`: the guesses at `position`, null when there are none (yet).
void draw_guess_column(FigurePen& pen, const std::vector<Prediction>* top, int position, const char* name, ImU32 color,
                       ImVec2 at, float width) {
  const float em = ImGui::GetFontSize(), row_h = ImGui::GetTextLineHeightWithSpacing();
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  pen.text(at, color, std::string("In ") + name);
  if (position < 0 || !top) {
    pen.text(ImVec2(at.x, at.y + row_h), dim, position < 0 ? std::string("no such token in ") + name : "no predictions");
    return;
  }
  const auto& guesses = *top;
  const float word_w = em * 6.5f, prob_w = ImGui::CalcTextSize("0.00").x, bar_max = std::max(width - word_w - prob_w - em, em);
  constexpr size_t kShown = 5;
  for (size_t i = 0; i < std::min(kShown, guesses.size()); ++i) {
    const Prediction& p = guesses[i];
    const float y = at.y + row_h * static_cast<float>(i + 1);
    Token shown;
    shown.display = p.text;
    pen.text(ImVec2(at.x, y), text, token_label(shown, 10));
    const float w = std::round(std::clamp(p.prob, 0.0f, 1.0f) * bar_max);
    if (w >= 1) pen.fill(ImVec2(at.x + word_w, y + em * 0.2f), ImVec2(at.x + word_w + w, y + em * 0.9f), color);
    pen.text(ImVec2(at.x + word_w + w + em * 0.3f, y), dim, format("%.2f", p.prob));
  }
}

}  // namespace

void draw_pair_predictions(const AppState& state, const MinimalPairViewState& view, int query_slot,
                           const ViewDrawOptions& options) {
  if (query_slot < 0) return;
  const AlignedSlot& q = view.pair.alignment.slots[static_cast<size_t>(query_slot)];
  figure_text(std::string(position_caption(*state.snapshot)) + " " + quoted(view.labels[static_cast<size_t>(query_slot)]),
              style_color(ImGuiCol_Text), options);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("predictions");
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float em = ImGui::GetFontSize();
  const float column = std::min(ImGui::GetContentRegionAvail().x * 0.5f - em, em * 18.0f);
  const CompletedPredictions* completed = state.completed_predictions.get();
  draw_guess_column(pen, predictions_at(*state.snapshot, q.a, completed), q.a, "A", pair_a_color(), at, column);
  draw_guess_column(pen, predictions_at(*state.snapshot_b, q.b, completed), q.b, "B", pair_b_color(),
                    ImVec2(at.x + column + em * 2.0f, at.y), column);
  ImGui::Dummy(ImVec2(2 * column + em * 2.0f, ImGui::GetTextLineHeightWithSpacing() * 6));
}

}  // namespace attnscope
