#include "render/view_minimal_pair.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include <imgui_stdlib.h>

#include "render/figure_record.h"
#include "render/view_pair_parts.h"
#include "scene/display_matrix.h"

namespace attnscope {

ImU32 pair_a_color() { return to_color({67, 147, 195}); }  // RdBu's blue, as -range in the difference map
ImU32 pair_b_color() { return to_color({214, 96, 77}); }   // RdBu's red, as +range

ImU32 pair_label_color(const TokenAlignment& alignment, int slot, int query_slot) {
  if (slot == query_slot) return selection_color();
  const AlignedSlot& s = alignment.slots[static_cast<size_t>(slot)];
  if (s.shared()) return style_color(ImGuiCol_Text);
  return s.a >= 0 ? pair_a_color() : pair_b_color();
}

std::string minimal_pair_sentences(const AppState& state) {
  return "A: " + state.text + "   B: " + state.text_b;
}

namespace {

// ------------------------------------------------------------ inputs and state

// Both sentences, editable; A is the app's text, so every view follows it.
void draw_pair_inputs(AppState& state) {
  const float label_w = ImGui::CalcTextSize("B").x + ImGui::GetStyle().ItemInnerSpacing.x;
  ImGui::SetNextItemWidth(-label_w);
  if (ImGui::InputText("A", &state.text)) state.request_run();
  ImGui::SetNextItemWidth(-label_w);
  ImGui::InputText("B", &state.text_b);  // the pair worker notices the change and reruns B
  ImGui::TextUnformatted(head_caption(*state.snapshot, state.selection).c_str());
  help_marker("Sentence A is the text of every other view; sentence B runs beside it.\n"
              "Tokens both sentences share line up; the tokens that differ sit in the middle, A's then B's.\n"
              "Click a row to pick the query. Compare > loads a ready-made pair.");
}

// A line saying why there is nothing to compare yet; false when there is.
bool pair_ready(const AppState& state, const ViewDrawOptions& options) {
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  if (state.encoder_decoder()) {
    figure_wrapped_text("The minimal-pair view compares self-attention: open a BERT or GPT-style model.", dim, options);
    return false;
  }
  if (state.text_b.empty()) {
    figure_wrapped_text("Type sentence B, one word away from A, or load a pair from the Compare menu.", dim, options);
    return false;
  }
  if (!state.error_b.empty()) {
    figure_wrapped_text("Sentence B did not run: " + state.error_b, dim, options);
    return false;
  }
  if (!state.snapshot_b || state.snapshot_b->model != state.model || state.snapshot_b->n_tokens == 0) {
    figure_text("Running sentence B...", dim, options);
    return false;
  }
  return true;
}

void refresh(const AppState& state, MinimalPairViewState& view) {
  const Selection& sel = state.selection;
  if (view.shown_a == state.snapshot && view.shown_b == state.snapshot_b && view.shown_layer == sel.layer &&
      view.shown_head == sel.head && view.shown_mode == sel.mode && view.shown_scale == state.display.scale)
    return;
  view.pair = build_pair_matrices(*state.snapshot, *state.snapshot_b, sel);
  const int n = view.pair.size();
  view.a_values = apply_color_scale(view.pair.a, state.display.scale);
  view.b_values = apply_color_scale(view.pair.b, state.display.scale);
  view.diff_values.resize(n, n);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) view.diff_values(r, c) = diff_color_value(view.pair.diff(r, c), view.pair.range);
  view.a_texture.upload(view.a_values.data(), n, n);
  view.b_texture.upload(view.b_values.data(), n, n);
  view.diff_texture.upload(view.diff_values.data(), n, n);
  view.labels.clear();
  float widest = 0;
  for (const AlignedSlot& slot : view.pair.alignment.slots) {
    const Token& token = slot.a >= 0 ? state.snapshot->tokens[static_cast<size_t>(slot.a)]
                                     : state.snapshot_b->tokens[static_cast<size_t>(slot.b)];
    view.labels.push_back(token_label(token));
    widest = std::max(widest, ImGui::CalcTextSize(view.labels.back().c_str()).x);
  }
  view.label_width = widest / ImGui::GetFontSize();
  view.shown_a = state.snapshot;
  view.shown_b = state.snapshot_b;
  view.shown_layer = sel.layer;
  view.shown_head = sel.head;
  view.shown_mode = sel.mode;
  view.shown_scale = state.display.scale;
}

// The words of a sentence's tokens [first, first + count) as typed: the text
// they cover, so "c" + "at" reads "cat"; tokens that cover no text (special
// tokens) by their labels.
std::string typed_words(const AttentionSnapshot& snapshot, int first, int count) {
  if (count <= 0) return "(nothing)";
  const Token &from = snapshot.tokens[static_cast<size_t>(first)], &to = snapshot.tokens[static_cast<size_t>(first + count - 1)];
  std::string out = to.end > from.start && to.end <= snapshot.text.size() ? snapshot.text.substr(from.start, to.end - from.start) : "";
  out.erase(0, out.find_first_not_of(" \t\n"));
  out.erase(out.find_last_not_of(" \t\n") + 1);
  if (out.empty())
    for (int i = first; i < first + count; ++i) {
      if (!out.empty()) out += ' ';
      out += token_label(snapshot.tokens[static_cast<size_t>(i)]);
    }
  return "\u201C" + out + "\u201D";
}

// "A and B differ in "tired" / "wide"", and how to read the colours.
void draw_pair_caption(const AppState& state, const MinimalPairViewState& view, const ViewDrawOptions& options) {
  const TokenAlignment& al = view.pair.alignment;
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  if (al.a_middle == 0 && al.b_middle == 0)
    figure_text("A and B have the same tokens: every difference is 0.", text, options);
  else
    figure_text("A and B differ in " + typed_words(*state.snapshot, al.prefix, al.a_middle) + " / " +
                    typed_words(*state.snapshot_b, al.prefix, al.b_middle),
                text, options);
  figure_wrapped_text("Difference map: red where B attends more than A, blue where A attends more. "
                      "Blank: a token only the other sentence has.", dim, options);
  if (most_changed_slot(view.pair) < 0)
    figure_text("No token is in both sentences, so no query can be compared.", dim, options);
}

// ------------------------------------------------------------ the three maps

constexpr int kMaps = 3;  // A, B, B - A

struct MapsGeometry {
  int n = 0;
  float em = 0, gap = 0, cell = 0, side = 0, label_w = 0, label_h = 0, sep = 0, line = 1;
  ImVec2 start;
  ImVec2 origin[kMaps];  // top-left corner of each map's cells
  ImVec2 cells_min() const { return origin[0]; }
  ImVec2 cells_max() const { return ImVec2(origin[kMaps - 1].x + side, origin[0].y + side); }
};

MapsGeometry layout_maps(const MinimalPairViewState& view, const ViewDrawOptions& options) {
  MapsGeometry g;
  g.n = view.pair.size();
  g.em = ImGui::GetFontSize();
  g.gap = g.em * 0.4f;
  g.sep = g.em * 1.5f;
  g.line = std::max(1.0f, options.scale);
  g.label_w = std::min(view.label_width * g.em, g.em * 8.0f) + g.gap;
  g.label_h = g.label_w;
  g.start = ImGui::GetCursorScreenPos();
  const float avail = ImGui::GetContentRegionAvail().x;
  g.cell = std::clamp((avail - g.label_w - (kMaps - 1) * g.sep) / (kMaps * g.n), 1.0f, g.em * 2.2f);
  g.cell = std::floor(g.cell);  // whole pixels: every cell of a map is as wide as the next
  g.side = g.cell * g.n;
  const float top = g.start.y + ImGui::GetTextLineHeightWithSpacing() + g.label_h;
  for (int m = 0; m < kMaps; ++m) g.origin[m] = ImVec2(std::round(g.start.x + g.label_w + m * (g.side + g.sep)), std::round(top));
  return g;
}

struct MapHover {
  int map = -1, row = -1, col = -1;
};

// The maps' canvas catches hover and clicks: a click on a row of A picks it as the query.
MapHover handle_map_input(AppState& state, const MinimalPairViewState& view, const MapsGeometry& g, bool exporting) {
  ImGui::SetCursorScreenPos(g.cells_min());
  const ImVec2 size(g.cells_max().x - g.cells_min().x, g.side);
  ImGui::InvisibleButton("##pair-cells", ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  MapHover hover;
  if (exporting || !ImGui::IsItemHovered()) return hover;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int m = 0; m < kMaps; ++m) {
    const int col = static_cast<int>(std::floor((mouse.x - g.origin[m].x) / g.cell));
    const int row = static_cast<int>(std::floor((mouse.y - g.origin[m].y) / g.cell));
    if (col >= 0 && col < g.n && row >= 0 && row < g.n) hover = {m, row, col};
  }
  if (hover.row >= 0 && ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
    const int a = view.pair.alignment.slots[static_cast<size_t>(hover.row)].a;
    if (a >= 0) state.selection.query = state.selection.query == a ? -1 : a;  // B's own tokens are not A's queries
  }
  if (hover.col >= 0) state.selection.hovered_token = view.pair.alignment.slots[static_cast<size_t>(hover.col)].a;
  return hover;
}

void map_tooltip(const MinimalPairViewState& view, const MapHover& hover) {
  const PairMatrices& p = view.pair;
  const auto& q = view.labels[static_cast<size_t>(hover.row)];
  const auto& k = view.labels[static_cast<size_t>(hover.col)];
  const AlignedSlot& row = p.alignment.slots[static_cast<size_t>(hover.row)];
  const AlignedSlot& col = p.alignment.slots[static_cast<size_t>(hover.col)];
  ImGui::BeginTooltip();
  ImGui::Text("Query \"%s\"  ->  key \"%s\"", q.c_str(), k.c_str());
  if (row.a >= 0 && col.a >= 0) ImGui::Text("A: %.4f", p.a(hover.row, hover.col));
  else ImGui::TextDisabled("A: no such token");
  if (row.b >= 0 && col.b >= 0) ImGui::Text("B: %.4f", p.b(hover.row, hover.col));
  else ImGui::TextDisabled("B: no such token");
  if (p.row_compared(hover.row)) ImGui::Text("B - A: %+.4f", p.diff(hover.row, hover.col));
  ImGui::EndTooltip();
}

// Blanks a run of slots [first, first + count) as rows, and as columns too when asked.
void blank_slots(FigurePen& pen, ImVec2 origin, const MapsGeometry& g, int first, int count, bool columns) {
  if (count <= 0) return;
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bg.w = 1.0f;  // a hole in the map, not a veil over it
  const ImU32 color = ImGui::ColorConvertFloat4ToU32(bg);
  const float a = first * g.cell, b = (first + count) * g.cell;
  pen.fill(ImVec2(origin.x, origin.y + a), ImVec2(origin.x + g.side, origin.y + b), color);
  if (columns) pen.fill(ImVec2(origin.x + a, origin.y), ImVec2(origin.x + b, origin.y + g.side), color);
}

void draw_map(FigurePen& pen, GlResources& gl, const HeatmapTexture& texture, const MatrixRM& values, ImVec2 origin,
              const MapsGeometry& g, Colormap map, bool diverging) {
  HeatmapStyle style;
  style.diverging = diverging;
  pen.cells(gl.heatmap, texture, origin, ImVec2(origin.x + g.side, origin.y + g.side), map, style,
            pen.record() ? values : MatrixRM());
}

void draw_maps(FigurePen& pen, const AppState& state, MinimalPairViewState& view, GlResources& gl,
               const MapsGeometry& g, int query_slot, const MapHover& hover) {
  const TokenAlignment& al = view.pair.alignment;
  const Colormap map = state.display.colormap;
  pen.group("map-a");
  draw_map(pen, gl, view.a_texture, view.a_values, g.origin[0], g, map, false);
  blank_slots(pen, g.origin[0], g, al.prefix + al.a_middle, al.b_middle, true);  // B's own tokens
  pen.group("map-b");
  draw_map(pen, gl, view.b_texture, view.b_values, g.origin[1], g, map, false);
  blank_slots(pen, g.origin[1], g, al.prefix, al.a_middle, true);  // A's own tokens
  pen.group("map-diff");
  draw_map(pen, gl, view.diff_texture, view.diff_values, g.origin[2], g, map, true);
  blank_slots(pen, g.origin[2], g, al.prefix, al.a_middle + al.b_middle, false);  // queries without a counterpart
  view.diff_layout = {g.origin[2].x, g.origin[2].y, g.cell, g.cell, g.n, g.n};
  pen.group("highlights");
  for (int m = 0; m < kMaps; ++m) {
    const ImVec2 o = g.origin[m];
    if (query_slot >= 0)
      pen.frame(ImVec2(o.x, o.y + query_slot * g.cell), ImVec2(o.x + g.side, o.y + (query_slot + 1) * g.cell),
                selection_color(), 2 * g.line);
    if (hover.map == m)
      pen.frame(ImVec2(o.x + hover.col * g.cell, o.y + hover.row * g.cell),
                ImVec2(o.x + (hover.col + 1) * g.cell, o.y + (hover.row + 1) * g.cell), hover_color(), 2 * g.line);
    pen.frame(ImVec2(o.x - g.line, o.y - g.line), ImVec2(o.x + g.side + g.line, o.y + g.side + g.line),
              style_color(ImGuiCol_Border), g.line);
  }
}

// Every slot when the cells are tall enough for text, else every k-th, but
// always the query and a short differing middle, which are the point of the
// view; a k-th label too close to one of those gives way.
std::vector<int> labelled_slots(const TokenAlignment& al, int query_slot, const MapsGeometry& g) {
  const int stride = std::max(1, static_cast<int>(std::ceil(g.em * 0.95f / g.cell)));
  // A long differing middle would crowd its own labels: then it is thinned like the rest.
  const bool whole_middle = al.a_middle + al.b_middle <= 4;
  auto must = [&](int s) { return s == query_slot || (whole_middle && !al.slots[static_cast<size_t>(s)].shared()); };
  std::vector<int> out;
  for (int s = 0; s < g.n; ++s) {
    bool crowded = false;
    for (int t = std::max(0, s - stride + 1); t < std::min(g.n, s + stride) && !crowded; ++t) crowded = t != s && must(t);
    if (must(s) || (s % stride == 0 && !crowded)) out.push_back(s);
  }
  return out;
}

// Map titles, the query labels left of A and the key labels above each map.
void draw_map_labels(FigurePen& pen, const MinimalPairViewState& view, const MapsGeometry& g, int query_slot,
                     const ViewDrawOptions& options) {
  pen.group("map-labels");
  const char* titles[kMaps] = {"Sentence A", "Sentence B", "Difference B \u2212 A"};
  for (int m = 0; m < kMaps; ++m) pen.text(ImVec2(g.origin[m].x, g.start.y), style_color(ImGuiCol_Text), titles[m]);
  for (int s : labelled_slots(view.pair.alignment, query_slot, g)) {
    const std::string& label = view.labels[static_cast<size_t>(s)];
    const ImU32 color = pair_label_color(view.pair.alignment, s, query_slot);
    const ImVec2 size = ImGui::CalcTextSize(label.c_str());
    pen.text(ImVec2(g.origin[0].x - g.gap - size.x, g.origin[0].y + s * g.cell + (g.cell - size.y) * 0.5f), color, label,
             TextAnchor::End);
    for (int m = 0; m < kMaps; ++m)
      add_text_vertical(pen.draw_list(), ImVec2(g.origin[m].x + s * g.cell + (g.cell - g.em) * 0.5f, g.origin[m].y - g.gap),
                        color, label.c_str(), options.record);
  }
}

// The weight legend under A and B, the difference legend under B - A; the cursor ends below both.
void draw_map_legends(const AppState& state, const MinimalPairViewState& view, GlResources& gl, const MapsGeometry& g,
                      const ViewDrawOptions& options) {
  if (options.record) options.record->begin_group("legend");
  const float y = g.origin[0].y + g.side + g.em * 0.6f;
  ImGui::SetCursorScreenPos(ImVec2(g.origin[0].x, y));
  draw_colormap_legend(gl, state.display, std::clamp(2 * g.side + g.sep, g.em * 10.0f, g.em * 22.0f), options);
  const float below_weights = ImGui::GetCursorScreenPos().y;
  ImGui::SetCursorScreenPos(ImVec2(g.origin[2].x, y));
  figure_text("B \u2212 A", style_color(ImGuiCol_Text), options);
  ImGui::SetCursorScreenPos(ImVec2(g.origin[2].x, ImGui::GetCursorScreenPos().y));
  draw_diverging_legend(gl, view.pair.range, std::max(g.side, g.em * 10.0f), options);
  ImGui::SetCursorScreenPos(ImVec2(g.start.x, std::max(below_weights, ImGui::GetCursorScreenPos().y) + g.em * 0.5f));
}

}  // namespace

void draw_minimal_pair_view(AppState& state, MinimalPairViewState& view, GlResources& gl,
                            const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  if (!options.exporting && !state.encoder_decoder()) draw_pair_inputs(state);
  if (!pair_ready(state, options)) return;
  refresh(state, view);
  const int query_slot = pair_query_slot(view.pair, state.selection.query);
  draw_pair_caption(state, view, options);
  const MapsGeometry g = layout_maps(view, options);
  const MapHover hover = handle_map_input(state, view, g, options.exporting);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  draw_maps(pen, state, view, gl, g, query_slot, hover);
  draw_map_labels(pen, view, g, query_slot, options);
  if (hover.row >= 0) map_tooltip(view, hover);
  draw_map_legends(state, view, gl, g, options);
  draw_pair_query_bars(state, view, query_slot, options);
  draw_pair_predictions(state, view, query_slot, options);
}

}  // namespace attnscope
