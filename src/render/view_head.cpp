#include "render/view_head.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "render/figure_record.h"

namespace attnscope {

ImU32 head_color(int head, int n_heads, float alpha) {
  // Okabe-Ito without black, then a neutral grey for the eighth head.
  static const Rgb8 kPalette[] = {{230, 159, 0},  {86, 180, 233},  {0, 158, 115},  {240, 228, 66},
                                  {0, 114, 178},  {213, 94, 0},    {204, 121, 167}, {153, 153, 153}};
  if (n_heads <= 8) return to_color(kPalette[std::clamp(head, 0, 7)], alpha);
  ImVec4 c(0, 0, 0, std::clamp(alpha, 0.0f, 1.0f));
  ImGui::ColorConvertHSVtoRGB(static_cast<float>(head) / static_cast<float>(n_heads), 0.65f, 0.95f, c.x, c.y, c.z);
  return ImGui::ColorConvertFloat4ToU32(c);
}

namespace {

void refresh(const AppState& state, HeadViewState& view) {
  const Selection& sel = state.selection;
  const DisplaySettings& d = state.display;
  if (view.shown == state.snapshot && view.shown_layer == sel.layer && view.shown_head == sel.head &&
      view.shown_mode == sel.mode && view.shown_top_k == d.head_view_top_k &&
      view.shown_threshold == d.head_view_threshold && view.shown_hide_special == d.hide_special &&
      view.shown_display_mode == d.mode)
    return;
  const AttentionSnapshot& snap = *state.snapshot;
  view.lines.clear();
  view.heads.clear();
  view.queries = kept_tokens(snap, d.hide_special);
  view.keys = kept_keys(snap, d.hide_special);
  view.query_labels.clear();
  view.key_labels.clear();
  for (int t : view.queries) view.query_labels.push_back(token_label(snap.tokens[static_cast<size_t>(t)], 18));
  for (int t : view.keys) view.key_labels.push_back(token_label(snap.keys()[static_cast<size_t>(t)], 18));
  if (sel.mode == HeadMode::Single) {
    view.heads.push_back(sel.head);
  } else {
    for (int h = 0; h < snap.n_heads; ++h)
      if (!snap.ablated(sel.layer, h)) view.heads.push_back(h);
  }
  std::vector<int> order;
  for (int h : view.heads) {
    const DisplayMatrix m = build_display_matrix(snap, sel.layer, h, HeadMode::Single, d);
    for (int r = 0; r < m.n_rows(); ++r) {
      order.clear();
      for (int c = 0; c < m.n_cols(); ++c)
        if (m.weights(r, c) > 0 && m.weights(r, c) >= d.head_view_threshold) order.push_back(c);
      const size_t keep = d.head_view_top_k > 0 ? std::min(order.size(), static_cast<size_t>(d.head_view_top_k))
                                                : order.size();
      std::partial_sort(order.begin(), order.begin() + static_cast<long>(keep), order.end(),
                        [&](int a, int b) { return m.weights(r, a) > m.weights(r, b); });
      for (size_t n = 0; n < keep; ++n) view.lines.push_back({h, r, order[n], m.weights(r, order[n])});
    }
  }
  // Strong lines last, so they are drawn on top of faint ones.
  std::sort(view.lines.begin(), view.lines.end(),
            [](const HeadViewLine& a, const HeadViewLine& b) { return a.weight < b.weight; });
  view.shown = state.snapshot;
  view.shown_layer = sel.layer;
  view.shown_head = sel.head;
  view.shown_mode = sel.mode;
  view.shown_top_k = d.head_view_top_k;
  view.shown_threshold = d.head_view_threshold;
  view.shown_hide_special = d.hide_special;
  view.shown_display_mode = d.mode;
}

void draw_controls(AppState& state) {
  bool all_heads = state.selection.mode != HeadMode::Single;
  if (ImGui::Checkbox("All heads, one colour each", &all_heads))
    state.selection.mode = all_heads ? HeadMode::Mean : HeadMode::Single;
  ImGui::SameLine();
  const float width = ImGui::GetFontSize() * 6;
  ImGui::SetNextItemWidth(width);
  ImGui::SliderInt("Top-k", &state.display.head_view_top_k, 0, 20,
                   state.display.head_view_top_k == 0 ? "all" : "%d per query");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(width);
  ImGui::SliderFloat("Min weight", &state.display.head_view_threshold, 0.0f, 0.5f, "%.2f");
}

void legend_text(const std::string& text, const ViewDrawOptions& options) {
  figure_text(text, style_color(ImGuiCol_Text), options);
}

void draw_legend(const AppState& state, const HeadViewState& view, const ViewDrawOptions& options) {
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("legend");
  const float em = ImGui::GetFontSize();
  const float thick = 2.5f * options.scale;
  legend_text("Line opacity = attention weight:", options);
  ImGui::SameLine();
  const ImU32 base_head = static_cast<ImU32>(view.heads.size() == 1 ? view.heads[0] : 1);
  for (float w : {0.1f, 0.25f, 0.5f, 1.0f}) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + ImGui::GetTextLineHeight() * 0.5f;
    pen.line(ImVec2(p.x, y), ImVec2(p.x + em * 2.0f, y),
             head_color(static_cast<int>(base_head), state.snapshot->n_heads, w), thick);
    ImGui::Dummy(ImVec2(em * 2.2f, ImGui::GetTextLineHeight()));
    ImGui::SameLine();
    char number[16];
    std::snprintf(number, sizeof number, "%g", w);
    legend_text(number, options);
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (view.heads.size() <= 1) return;
  legend_text("Heads:", options);
  for (int h : view.heads) {
    ImGui::SameLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float s = ImGui::GetTextLineHeight();
    pen.fill(ImVec2(p.x, p.y + s * 0.15f), ImVec2(p.x + s * 0.7f, p.y + s * 0.85f), head_color(h, state.snapshot->n_heads));
    ImGui::Dummy(ImVec2(s * 0.8f, s));
    ImGui::SameLine(0, 2 * options.scale);
    legend_text(std::to_string(h), options);
  }
}

// Two label columns with the lines between them.
struct HeadGeometry {
  float em = 0, row_h = 0, left_x = 0, right_x = 0, pad = 0;  // left_x: right edge of the query labels
  ImVec2 origin, size;
  float row_y(int r) const { return origin.y + (r + 0.5f) * row_h; }
};

int n_rows(const HeadViewState& view) { return static_cast<int>(std::max(view.queries.size(), view.keys.size())); }

HeadGeometry layout_columns(const HeadViewState& view) {
  HeadGeometry g;
  g.em = ImGui::GetFontSize();
  g.pad = g.em * 0.3f;
  const int rows = n_rows(view);
  const float legend_h = ImGui::GetTextLineHeightWithSpacing() * ((view.heads.size() > 1 ? 2.0f : 1.0f) + 0.3f);
  float label_w = 0;
  for (const auto* labels : {&view.query_labels, &view.key_labels})
    for (const std::string& l : *labels) label_w = std::max(label_w, ImGui::CalcTextSize(l.c_str()).x);
  label_w = std::min(label_w, g.em * 10) + g.em * 0.6f;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  g.row_h = std::clamp((avail.y - legend_h) / rows, g.em * 1.05f, g.em * 1.8f);
  const float gap = std::clamp(avail.x - 2 * label_w - g.em * 6.0f, g.em * 6.0f, g.em * 22.0f);
  // Room for a percentage beside each label when one token's lines are shown.
  const float number_w = ImGui::CalcTextSize("100%").x + g.em * 0.5f;
  g.origin = ImGui::GetCursorScreenPos();
  g.left_x = g.origin.x + number_w + label_w;
  g.right_x = g.left_x + gap;
  g.size = ImVec2(2 * (label_w + number_w) + gap, rows * g.row_h);
  return g;
}

// Which lines to show: a hovered key, else a hovered / selected query, else all.
struct LineFilter {
  int query = -1, key = -1;  // display rows; -1 = no filter on that side
};

int display_row(const std::vector<int>& tokens, int token) {
  const auto it = std::find(tokens.begin(), tokens.end(), token);
  return it == tokens.end() ? -1 : static_cast<int>(it - tokens.begin());
}

// The canvas: which token is under the mouse, and on which side; a click on a
// query keeps it selected.
LineFilter handle_input(AppState& state, const HeadViewState& view, const HeadGeometry& g, bool exporting) {
  LineFilter hover;
  ImGui::InvisibleButton("##tokens", g.size);
  if (!exporting && ImGui::IsItemHovered()) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const int r = static_cast<int>((mouse.y - g.origin.y) / g.row_h);
    if (mouse.x < g.left_x + g.em && r >= 0 && r < static_cast<int>(view.queries.size())) hover.query = r;
    else if (mouse.x > g.right_x - g.em && r >= 0 && r < static_cast<int>(view.keys.size())) hover.key = r;
    // Hovered tokens are query positions in the other views: a source key of
    // cross-attention is not one.
    const bool same_lists = state.snapshot->key_tokens.empty();
    if (hover.query >= 0) state.selection.hovered_token = view.queries[static_cast<size_t>(hover.query)];
    else if (hover.key >= 0 && same_lists) state.selection.hovered_token = view.keys[static_cast<size_t>(hover.key)];
    if (hover.query >= 0 && ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
      const int token = view.queries[static_cast<size_t>(hover.query)];
      state.selection.query = state.selection.query == token ? -1 : token;
    }
  }
  LineFilter filter = hover;
  if (filter.query < 0 && filter.key < 0) {
    if (!exporting && state.selection.hovered_token >= 0) filter.query = display_row(view.queries, state.selection.hovered_token);
    if (filter.query < 0 && state.selection.query >= 0) filter.query = display_row(view.queries, state.selection.query);
  }
  return filter;
}

// Draws the lines the filter lets through; returns, for a single head, the
// weight shown at each row on the far side of the filter (-1 elsewhere):
// indexed by key row when a query is picked, by query row when a key is.
std::vector<float> draw_lines(FigurePen& pen, const AttentionSnapshot& snap, const HeadViewState& view,
                              const HeadGeometry& g, const LineFilter& filter, float scale) {
  pen.group("lines");
  std::vector<float> shown_weight(static_cast<size_t>(n_rows(view)), -1.0f);
  // Lines wholly above or below the visible part of a long sentence are skipped.
  const float clip_top = pen.draw_list()->GetClipRectMin().y, clip_bottom = pen.draw_list()->GetClipRectMax().y;
  for (const HeadViewLine& line : view.lines) {
    if ((filter.query >= 0 && line.row != filter.query) || (filter.key >= 0 && line.col != filter.key)) continue;
    const float y0 = g.row_y(line.row), y1 = g.row_y(line.col);
    if ((y0 < clip_top && y1 < clip_top) || (y0 > clip_bottom && y1 > clip_bottom)) continue;
    pen.line(ImVec2(g.left_x + g.pad, y0), ImVec2(g.right_x - g.pad, y1),
             head_color(line.head, snap.n_heads, line.weight), 2.5f * scale);
    if (view.heads.size() != 1) continue;
    if (filter.query >= 0) shown_weight[static_cast<size_t>(line.col)] = line.weight;
    if (filter.key >= 0) shown_weight[static_cast<size_t>(line.row)] = line.weight;
  }
  return shown_weight;
}

// Token labels: queries right-aligned on the left, keys on the right, with
// the shown weight beside the far side's labels.
void draw_token_labels(FigurePen& pen, const AppState& state, const HeadViewState& view, const HeadGeometry& g,
                       const LineFilter& filter, const std::vector<float>& shown_weight) {
  pen.group("tokens");
  const float em = g.em, pad = g.pad;
  const int query_token = state.effective_query();
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  char number[16];
  for (size_t r = 0; r < view.queries.size(); ++r) {
    const std::string& text = view.query_labels[r];
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float y = g.row_y(static_cast<int>(r)) - ts.y * 0.5f;
    const ImVec2 lp(g.left_x - pad - ts.x, y);
    const bool lit = static_cast<int>(r) == filter.query ||
                     (filter.query < 0 && filter.key < 0 && view.queries[r] == query_token && state.selection.query >= 0);
    if (lit) pen.fill(ImVec2(lp.x - pad, y - 1), ImVec2(g.left_x, y + ts.y + 1), selection_color(0.35f), em * 0.2f);
    pen.text(lp, style_color(ImGuiCol_Text), text, TextAnchor::End);
    if (filter.key < 0 || shown_weight[r] < 0) continue;
    std::snprintf(number, sizeof number, "%.0f%%", 100.0f * shown_weight[r]);
    pen.text(ImVec2(lp.x - em * 0.5f - ImGui::CalcTextSize(number).x, y), dim, number, TextAnchor::End);
  }
  for (size_t r = 0; r < view.keys.size(); ++r) {
    const std::string& text = view.key_labels[r];
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float y = g.row_y(static_cast<int>(r)) - ts.y * 0.5f;
    const ImVec2 rp(g.right_x + pad, y);
    if (static_cast<int>(r) == filter.key)
      pen.fill(ImVec2(g.right_x, y - 1), ImVec2(rp.x + ts.x + pad, y + ts.y + 1), hover_color(0.35f), em * 0.2f);
    pen.text(rp, style_color(state.snapshot->key_masked(view.keys[r]) ? ImGuiCol_TextDisabled : ImGuiCol_Text), text);
    if (filter.query < 0 || shown_weight[r] < 0) continue;
    std::snprintf(number, sizeof number, "%.0f%%", 100.0f * shown_weight[r]);
    pen.text(ImVec2(rp.x + ts.x + em * 0.5f, y), dim, number);
  }
}

}  // namespace

void draw_head_view(AppState& state, HeadViewState& view, GlResources&, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  if (!options.exporting) draw_controls(state);
  refresh(state, view);
  const std::string caption = state.selection.mode == HeadMode::Single
                                  ? head_caption(snap, state.selection, state.display.one_based_heads)
                                  : "Layer " + std::to_string(state.selection.layer) + ", all heads";
  if (!options.exporting || state.selection.mode != HeadMode::Single) {
    if (options.record) options.record->begin_group("caption");
    legend_text(caption, options);
  }
  if (!options.exporting)
    help_marker("Queries on the left, keys on the right: a line's opacity is how much the query attends to the "
                "key. Hover a token to see only its lines; click a query (left) to keep it selected.\n"
                "Cross-attention: target tokens (decoder queries) on the left, source tokens (keys) on the right.");
  if (view.queries.empty() || view.keys.empty()) {
    ImGui::TextDisabled("Every token is a special token: nothing left to show.");
    return;
  }
  const bool cross = !snap.key_tokens.empty();
  if (cross) {
    // The two columns hold different sentences: say which is which.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const HeadGeometry where = layout_columns(view);  // where the columns go; the rows start below the titles
    FigurePen titles(ImGui::GetWindowDrawList(), options.record);
    titles.group("column-titles");
    titles.text(ImVec2(where.left_x - where.pad, at.y), style_color(ImGuiCol_TextDisabled), "target (queries)", TextAnchor::End);
    titles.text(ImVec2(where.right_x + where.pad, at.y), style_color(ImGuiCol_TextDisabled), "source (keys)");
    ImGui::Dummy(ImVec2(where.size.x, ImGui::GetTextLineHeight()));
  }
  const HeadGeometry g = layout_columns(view);
  const LineFilter filter = handle_input(state, view, g, options.exporting);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  const std::vector<float> shown_weight = draw_lines(pen, snap, view, g, filter, options.scale);
  draw_token_labels(pen, state, view, g, filter, shown_weight);
  draw_legend(state, view, options);
}

}  // namespace attnscope
