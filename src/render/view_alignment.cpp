#include "render/view_alignment.h"

#include <algorithm>
#include <cmath>

#include "core/decoder_capture.h"
#include "render/figure_record.h"
#include "scene/display_matrix.h"

namespace attnscope {

namespace {

constexpr int kMaxLabelChars = 16;

// The decoder layer and head the alignment shows: the selection, kept inside the decoder.
std::pair<int, int> shown_head(const AppState& state) {
  const DecoderCapture& dec = *state.run->decoder;
  return {std::clamp(state.selection.layer, 0, std::max(dec.n_layers - 1, 0)),
          std::clamp(state.selection.head, 0, std::max(dec.n_heads - 1, 0))};
}

std::string axis_label(const std::string& text) {
  Token token;
  token.display = text;
  return token_label(token, kMaxLabelChars);
}

void refresh(const AppState& state, AlignmentViewState& view) {
  const auto [layer, head] = shown_head(state);
  const AlignmentSettings& a = state.alignment;
  if (view.shown == state.run && view.shown_settings.mode == a.mode && view.shown_settings.words == a.words &&
      view.shown_layer == layer && view.shown_head == head && view.shown_step == state.step &&
      view.shown_scale == state.display.scale)
    return;
  view.data = build_alignment(*state.run, a, layer, head, state.step);
  view.values = apply_color_scale(view.data.weights, state.display.scale);  // [R, C]
  view.texture.upload(view.values.data(), static_cast<int>(view.values.rows()), static_cast<int>(view.values.cols()));
  view.row_labels.clear();
  view.col_labels.clear();
  for (const TokenGroup& g : view.data.rows) view.row_labels.push_back(axis_label(g.label));
  for (const TokenGroup& g : view.data.cols) view.col_labels.push_back(axis_label(g.label));
  view.shown = state.run;
  view.shown_settings = a;
  view.shown_layer = layer;
  view.shown_head = head;
  view.shown_step = state.step;
  view.shown_scale = state.display.scale;
}

void draw_controls(AppState& state) {
  static const char* const kModes[] = {"One head", "Mean of heads", "Max of heads", "Mean of layers"};
  int mode = static_cast<int>(state.alignment.mode);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
  if (ImGui::Combo("##align-mode", &mode, kModes, IM_ARRAYSIZE(kModes))) state.alignment.mode = static_cast<AlignMode>(mode);
  ImGui::SameLine();
  ImGui::Checkbox("Words", &state.alignment.words);
  help_marker("Rows: each decoding step, labelled with the word it produced (its first piece's step).\n"
              "Columns: source words; a word's weight is the sum over its pieces.\n"
              "Untick Words to see raw SentencePiece tokens. Layer and head come from the head controls.");
}

float widest(const std::vector<std::string>& labels) {
  float w = 0;
  for (const std::string& l : labels) w = std::max(w, ImGui::CalcTextSize(l.c_str()).x);
  return w;
}

struct Grid {
  ImVec2 start, p0, p1;  // top-left of everything, and the cells' corners
  float cell = 0;
};

Grid layout(const AlignmentViewState& view, float em) {
  const int rows = static_cast<int>(view.row_labels.size()), cols = static_cast<int>(view.col_labels.size());
  const float gap = em * 0.4f;
  const float left = std::min(widest(view.row_labels), em * 9.0f) + gap;
  const float top = std::min(widest(view.col_labels), em * 9.0f) + gap;
  const float legend_h = em * 3.0f + ImGui::GetTextLineHeightWithSpacing();
  Grid g;
  g.start = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  g.cell = std::min((avail.x - left - em) / cols, (avail.y - top - legend_h) / rows);
  g.cell = std::clamp(g.cell, 2.0f, em * 2.5f);
  g.p0 = ImVec2(std::round(g.start.x + left), std::round(g.start.y + top));
  g.p1 = ImVec2(g.p0.x + g.cell * cols, g.p0.y + g.cell * rows);
  return g;
}

// Row and column labels; every k-th one when the cells are shorter than a line.
void draw_labels(const AlignmentViewState& view, const Grid& g, float em, FigurePen& pen) {
  const int stride = std::max(1, static_cast<int>(std::ceil(em * 1.05f / g.cell)));
  const float gap = em * 0.4f;
  pen.group("row-labels");
  for (size_t r = 0; r < view.row_labels.size(); r += static_cast<size_t>(stride)) {
    const std::string& text = view.row_labels[r];
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const bool current = static_cast<int>(r) == view.data.current_row;
    pen.text(ImVec2(g.p0.x - gap - size.x, g.p0.y + r * g.cell + (g.cell - size.y) * 0.5f),
             current ? selection_color() : style_color(ImGuiCol_Text), text, TextAnchor::End);
  }
  pen.group("column-labels");
  for (size_t c = 0; c < view.col_labels.size(); c += static_cast<size_t>(stride))
    add_text_vertical(pen.draw_list(), ImVec2(g.p0.x + c * g.cell + (g.cell - em) * 0.5f, g.p0.y - gap),
                      style_color(ImGuiCol_Text), view.col_labels[c].c_str(), pen.record());
}

void tooltip(const AlignmentViewState& view, int row, int col) {
  const TokenGroup& r = view.data.rows[static_cast<size_t>(row)];
  const TokenGroup& c = view.data.cols[static_cast<size_t>(col)];
  const float w = view.data.weights(row, col);
  ImGui::BeginTooltip();
  ImGui::Text("Producing \"%s\" (step %d)  ->  source \"%s\"", r.label.c_str(), r.tokens.front(), c.label.c_str());
  ImGui::Text("Cross-attention weight %.4f  (%.1f%%)", w, 100.0f * w);
  if (c.tokens.size() > 1) ImGui::TextDisabled("summed over %zu source pieces", c.tokens.size());
  ImGui::EndTooltip();
}

// The cells, the current step's outline, the border; returns the hovered cell.
std::pair<int, int> draw_cells(AppState& state, AlignmentViewState& view, GlResources& gl, const Grid& g,
                               const ViewDrawOptions& options, FigurePen& pen) {
  const int rows = static_cast<int>(view.row_labels.size()), cols = static_cast<int>(view.col_labels.size());
  const float line = std::max(1.0f, options.scale);
  ImGui::SetCursorScreenPos(g.p0);
  ImGui::InvisibleButton("##alignment-cells", ImVec2(g.p1.x - g.p0.x, g.p1.y - g.p0.y));
  std::pair<int, int> hover{-1, -1};
  if (!options.exporting && ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    hover = {static_cast<int>((m.y - g.p0.y) / g.cell), static_cast<int>((m.x - g.p0.x) / g.cell)};
    if (hover.first < 0 || hover.first >= rows || hover.second < 0 || hover.second >= cols) hover = {-1, -1};
  }
  pen.group("cells");
  pen.cells(gl.heatmap, view.texture, g.p0, g.p1, state.display.colormap, HeatmapStyle{}, view.values);
  view.layout = {g.p0.x, g.p0.y, g.cell, g.cell, rows, cols};
  pen.group("highlights");
  const int current = view.data.current_row;
  if (current >= 0)
    pen.frame(ImVec2(g.p0.x, g.p0.y + current * g.cell), ImVec2(g.p1.x, g.p0.y + (current + 1) * g.cell),
              selection_color(), 2 * line);
  if (hover.first >= 0)
    pen.frame(ImVec2(g.p0.x + hover.second * g.cell, g.p0.y + hover.first * g.cell),
              ImVec2(g.p0.x + (hover.second + 1) * g.cell, g.p0.y + (hover.first + 1) * g.cell), hover_color(), 2 * line);
  pen.group("border");
  pen.frame(ImVec2(g.p0.x - line, g.p0.y - line), ImVec2(g.p1.x + line, g.p1.y + line), style_color(ImGuiCol_Border), line);
  return hover;
}

}  // namespace

std::string alignment_caption(const AttentionSnapshot& run, const AlignmentSettings& settings, int layer, int head) {
  const int heads = run.decoder ? run.decoder->n_heads : 0, layers = run.decoder ? run.decoder->n_layers : 0;
  const std::string at = "Cross-attention, layer " + std::to_string(layer);
  switch (settings.mode) {
    case AlignMode::Head: return at + ", head " + std::to_string(head);
    case AlignMode::MeanHeads: return at + ", mean of " + std::to_string(heads) + " heads";
    case AlignMode::MaxHeads: return at + ", max of " + std::to_string(heads) + " heads";
    case AlignMode::MeanLayers: break;
  }
  return "Cross-attention, mean of " + std::to_string(layers) + " layers x " + std::to_string(heads) + " heads";
}

void draw_alignment_view(AppState& state, AlignmentViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  if (!state.run || !state.run->decoder) {
    ImGui::TextWrapped("The alignment view reads an encoder-decoder model's cross-attention: open a Marian or T5 folder.");
    return;
  }
  refresh(state, view);
  if (!options.exporting) {
    draw_controls(state);
    const auto [layer, head] = shown_head(state);
    ImGui::TextUnformatted(alignment_caption(*state.run, state.alignment, layer, head).c_str());
  }
  if (view.row_labels.empty() || view.col_labels.empty()) {
    ImGui::TextDisabled("Nothing to align yet.");
    return;
  }
  const float em = ImGui::GetFontSize();
  const Grid g = layout(view, em);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  const auto hover = draw_cells(state, view, gl, g, options, pen);
  draw_labels(view, g, em, pen);
  if (hover.first >= 0) tooltip(view, hover.first, hover.second);
  if (options.record) options.record->begin_group("legend");
  ImGui::SetCursorScreenPos(ImVec2(g.p0.x, g.p1.y + em * 0.6f));
  draw_colormap_legend(gl, state.display, std::clamp(g.p1.x - g.p0.x, em * 14.0f, em * 22.0f), options);
}

}  // namespace attnscope
