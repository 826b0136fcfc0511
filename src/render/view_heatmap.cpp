#include "render/view_heatmap.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui_internal.h>  // SetItemUsingMouseWheel: the wheel zooms instead of scrolling the window

#include "render/figure_record.h"

namespace attnscope {

namespace {

// Rebuilds the matrix, texture and labels when what they show has changed.
void refresh(const AppState& state, HeatmapViewState& view) {
  const Selection& sel = state.selection;
  const DisplaySettings& display = state.display;
  if (view.shown == state.snapshot && view.shown_layer == sel.layer && view.shown_head == sel.head &&
      view.shown_mode == sel.mode && view.shown_scale == display.scale &&
      view.shown_hide_special == display.hide_special && view.shown_display_mode == display.mode)
    return;
  const int old_rows = view.matrix.n_rows();
  view.matrix = build_display_matrix(*state.snapshot, sel, display);
  view.texture.upload(view.matrix.values.data(), view.matrix.n_rows(), view.matrix.n_cols());
  view.labels.clear();
  float widest = 0;
  for (int token : view.matrix.rows) {
    view.labels.push_back(token_label(state.snapshot->tokens[static_cast<size_t>(token)]));
    widest = std::max(widest, ImGui::CalcTextSize(view.labels.back().c_str()).x);
  }
  view.key_labels.clear();
  for (int token : view.matrix.cols) {
    view.key_labels.push_back(token_label(state.snapshot->keys()[static_cast<size_t>(token)]));
    widest = std::max(widest, ImGui::CalcTextSize(view.key_labels.back().c_str()).x);
  }
  view.label_width_em = widest / ImGui::GetFontSize();
  if (view.matrix.n_rows() != old_rows) {  // a new sentence length: show all of it again
    view.zoom = 1;
    view.offset = ImVec2(0, 0);
  }
  view.shown = state.snapshot;
  view.shown_layer = sel.layer;
  view.shown_head = sel.head;
  view.shown_mode = sel.mode;
  view.shown_scale = display.scale;
  view.shown_hide_special = display.hide_special;
  view.shown_display_mode = display.mode;
}

void clamp_pan(HeatmapViewState& view, int rows, int cols) {
  view.zoom = std::clamp(view.zoom, 1.0f, std::max(1.0f, static_cast<float>(std::max(rows, cols)) / 2.0f));
  view.offset.x = std::clamp(view.offset.x, 0.0f, cols - cols / view.zoom);
  view.offset.y = std::clamp(view.offset.y, 0.0f, rows - rows / view.zoom);
}

void tooltip(const AppState& state, const HeatmapViewState& view, int row, int col) {
  const AttentionSnapshot& snap = *state.snapshot;
  const int query = view.matrix.rows[static_cast<size_t>(row)], key = view.matrix.cols[static_cast<size_t>(col)];
  const float w = view.matrix.weights(row, col);
  ImGui::BeginTooltip();
  ImGui::Text("Query %s  ->  key #%d '%s'", token_quote(snap, query).c_str(), key,
              view.key_labels[static_cast<size_t>(col)].c_str());
  ImGui::Text("Attention weight %.4f  (%.1f%%)", w, 100.0f * w);
  const bool single_head_valid = state.selection.mode == HeadMode::Single && state.selection.layer >= 0 &&
                                 state.selection.layer < snap.n_layers && state.selection.head >= 0 &&
                                 state.selection.head < snap.n_heads;
  if (view.matrix.renormalised) {
    if (single_head_valid)
      ImGui::TextDisabled("renormalised for display; the model gave %.4f",
                          snap.head(state.selection.layer, state.selection.head).probs(query, key));
    else
      ImGui::TextDisabled("renormalised for display");
  }
  if (single_head_valid) {
    const float score = raw_score(snap, state.selection.layer, state.selection.head, query, key);
    if (std::isinf(score))
      ImGui::Text("Raw score: masked (-inf)");
    else
      ImGui::Text("Raw score %s = %.4f", raw_score_formula(snap), score);
  } else {
    ImGui::TextDisabled("Raw scores belong to single heads: pick one to see them.");
  }
  ImGui::EndTooltip();
}

// The caption line and notes above the cells. False: nothing to draw below.
bool draw_caption(AppState& state, const HeatmapViewState& view, const ViewDrawOptions& options) {
  const DisplayMatrix& m = view.matrix;
  if (!options.exporting) {
    draw_display_controls(state);
    // A figure's header already names the layer and head.
    ImGui::TextUnformatted(head_caption(*state.snapshot, state.selection, state.display.one_based_heads).c_str());
    if (view.zoom > 1) {
      ImGui::SameLine();
      ImGui::TextDisabled("zoom %.1fx", view.zoom);
    }
    help_marker("Rows are queries, columns are keys: row i shows where token i looks.\n"
                "Click a row to pick the query. Right-click a column to mask that key (the model re-runs).\n"
                "Mouse wheel zooms, drag pans, double-click shows the whole matrix again.");
  }
  draw_display_mode_note(*state.snapshot, state.display.mode);
  if (m.renormalised) {
    if (!options.exporting) ImGui::SameLine();
    ImGui::TextDisabled("Special tokens hidden, rows renormalised (display only)");
  }
  if (m.n_rows() == 0 || m.n_cols() == 0) {
    ImGui::TextDisabled("Every token is a special token: nothing left to show.");
    return false;
  }
  return true;
}

// Where things go: row labels on the left, column labels (turned upright) on
// top, square cells of at most 3 font heights, and the legend at the right or
// underneath, whichever leaves bigger cells.
struct HeatmapGeometry {
  int rows = 0, cols = 0;
  float em = 0, gap = 0, fit = 0, cell = 0, legend_right_w = 0;
  bool legend_right = false;
  ImVec2 start, p0, p1;  // the view's top-left; the cells' corners
  float row_y(const HeatmapViewState& v, int r) const { return p0.y + (r - v.offset.y) * cell; }
  float col_x(const HeatmapViewState& v, int c) const { return p0.x + (c - v.offset.x) * cell; }
};

HeatmapGeometry layout_heatmap(const HeatmapViewState& view) {
  HeatmapGeometry g;
  g.rows = view.matrix.n_rows();
  g.cols = view.matrix.n_cols();
  g.em = ImGui::GetFontSize();
  g.gap = g.em * 0.4f;
  const float label_space = std::min(view.label_width_em * g.em, g.em * 9.0f) + g.gap;
  const float legend_below_h =
      g.em * 2.8f + ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().ItemSpacing.y;
  g.legend_right_w = vertical_legend_width() + g.em;
  g.start = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float fit_right =
      std::min((avail.x - label_space - g.legend_right_w) / g.cols, (avail.y - label_space) / g.rows);
  const float fit_below = std::min((avail.x - label_space) / g.cols, (avail.y - label_space - legend_below_h) / g.rows);
  g.legend_right = fit_right >= fit_below;
  g.fit = std::clamp(std::max(fit_right, fit_below), 2.0f / std::max(g.rows, g.cols), g.em * 3.0f);
  g.p0 = ImVec2(g.start.x + label_space, g.start.y + label_space);
  g.p1 = ImVec2(g.p0.x + g.fit * g.cols, g.p0.y + g.fit * g.rows);
  g.cell = g.fit * view.zoom;
  return g;
}

struct HeatmapHover {
  int row = -1, col = -1;
};

// Wheel zooms about the cell under the mouse, drag pans, double-click resets.
void zoom_and_pan(HeatmapViewState& view, HeatmapGeometry& g, bool hovered) {
  const ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    const ImVec2 under((io.MousePos.x - g.p0.x) / g.cell + view.offset.x, (io.MousePos.y - g.p0.y) / g.cell + view.offset.y);
    view.zoom *= std::pow(1.25f, io.MouseWheel);
    clamp_pan(view, g.rows, g.cols);
    g.cell = g.fit * view.zoom;
    view.offset = ImVec2(under.x - (io.MousePos.x - g.p0.x) / g.cell, under.y - (io.MousePos.y - g.p0.y) / g.cell);
    clamp_pan(view, g.rows, g.cols);
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    view.offset.x -= io.MouseDelta.x / g.cell;
    view.offset.y -= io.MouseDelta.y / g.cell;
    clamp_pan(view, g.rows, g.cols);
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    view.zoom = 1;
    view.offset = ImVec2(0, 0);
  }
}

// Click a row to pick the query, right-click a column to mask the key.
void pick_and_mask(AppState& state, const DisplayMatrix& m, const HeatmapHover& hover) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool click = io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < io.MouseDragThreshold * io.MouseDragThreshold;
  if (hover.row >= 0 && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && click) {
    const int token = m.rows[static_cast<size_t>(hover.row)];
    state.selection.query = state.selection.query == token ? -1 : token;
  }
  // Translation models take no key masks (the engine refuses them).
  if (hover.col >= 0 && !state.encoder_decoder() && ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
    const int token = m.cols[static_cast<size_t>(hover.col)];
    auto& masked = state.interventions.masked_keys;
    if (!masked.erase(token)) masked.insert(token);
    state.request_run();
  }
  if (hover.col >= 0) state.selection.hovered_token = m.cols[static_cast<size_t>(hover.col)];
}

// The canvas: an invisible button over the cells catches hover, clicks, drags and the wheel.
HeatmapHover handle_input(AppState& state, HeatmapViewState& view, HeatmapGeometry& g, bool exporting) {
  ImGui::SetCursorScreenPos(g.p0);
  ImGui::InvisibleButton("##cells", ImVec2(g.p1.x - g.p0.x, g.p1.y - g.p0.y),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  HeatmapHover hover;
  if (exporting) return hover;
  ImGui::SetItemUsingMouseWheel();
  const bool hovered = ImGui::IsItemHovered();
  zoom_and_pan(view, g, hovered);
  if (hovered) {
    const ImGuiIO& io = ImGui::GetIO();
    hover.col = static_cast<int>(std::floor((io.MousePos.x - g.p0.x) / g.cell + view.offset.x));
    hover.row = static_cast<int>(std::floor((io.MousePos.y - g.p0.y) / g.cell + view.offset.y));
    if (hover.col < 0 || hover.col >= g.cols || hover.row < 0 || hover.row >= g.rows) hover = {};
  }
  pick_and_mask(state, view.matrix, hover);
  return hover;
}

// The cells (one textured quad showing the visible window of the matrix),
// then outlines for the query row and the hovered key, so the colour inside a
// cell stays the weight's colour.
void draw_cells(FigurePen& pen, const AppState& state, HeatmapViewState& view, GlResources& gl,
                const HeatmapGeometry& g, const HeatmapHover& hover, int query_row, float line) {
  HeatmapStyle window;
  window.uv0 = ImVec2(view.offset.x / g.cols, view.offset.y / g.rows);
  window.uv1 = ImVec2((view.offset.x + g.cols / view.zoom) / g.cols, (view.offset.y + g.rows / view.zoom) / g.rows);
  gl.heatmap.draw(pen.draw_list(), view.texture, g.p0, g.p1, state.display.colormap, window);
  view.layout = {g.p0.x - view.offset.x * g.cell, g.p0.y - view.offset.y * g.cell, g.cell, g.cell, g.rows, g.cols};
  pen.draw_list()->PushClipRect(g.p0, g.p1, true);
  pen.clipped_group("highlights", g.p0, g.p1);
  if (query_row >= 0)
    pen.frame(ImVec2(g.p0.x, g.row_y(view, query_row)), ImVec2(g.p1.x, g.row_y(view, query_row + 1)), selection_color(),
              2 * line);
  const int hover_key_col = hover.col >= 0 ? hover.col : view.matrix.col_of_token(state.selection.hovered_token);
  if (hover_key_col >= 0)
    pen.frame(ImVec2(g.col_x(view, hover_key_col), g.p0.y), ImVec2(g.col_x(view, hover_key_col + 1), g.p1.y),
              hover_color(), 2 * line);
  pen.draw_list()->PopClipRect();
  pen.group("border");
  pen.frame(ImVec2(g.p0.x - line, g.p0.y - line), ImVec2(g.p1.x + line, g.p1.y + line), style_color(ImGuiCol_Border),
            line);
}

// Axis labels: every label when cells are tall enough for text, else every k-th.
void draw_axis_labels(FigurePen& pen, const AppState& state, const HeatmapViewState& view, const HeatmapGeometry& g,
                      const HeatmapHover& hover, int query_row, const ViewDrawOptions& options) {
  const DisplayMatrix& m = view.matrix;
  const int other_hover = state.selection.hovered_token;  // from another view, or this one last frame
  const auto label_color = [&](int token, bool is_query_axis) {
    if (is_query_axis && query_row >= 0 && token == state.effective_query()) return selection_color();
    if (token == other_hover || (!is_query_axis && hover.col >= 0 && m.cols[static_cast<size_t>(hover.col)] == token))
      return hover_color();
    if (state.interventions.masked_keys.count(token) && !is_query_axis) return style_color(ImGuiCol_TextDisabled);
    return style_color(ImGuiCol_Text);
  };
  const int stride = std::max(1, static_cast<int>(std::ceil(g.em * 1.05f / g.cell)));
  const int first_row = static_cast<int>(view.offset.y);
  const int last_row = std::min(g.rows, static_cast<int>(std::ceil(view.offset.y + g.rows / view.zoom)));
  const int first_col = static_cast<int>(view.offset.x);
  const int last_col = std::min(g.cols, static_cast<int>(std::ceil(view.offset.x + g.cols / view.zoom)));
  // Half a line of slack: with thin rows the first and last labels overhang the cells.
  const ImVec2 query_clip_min(g.start.x, g.p0.y - g.em * 0.5f), query_clip_max(g.p0.x, g.p1.y + g.em * 0.5f);
  ImDrawList* draw_list = pen.draw_list();
  draw_list->PushClipRect(query_clip_min, query_clip_max, true);
  pen.clipped_group("query-labels", query_clip_min, query_clip_max);
  for (int r = first_row; r < last_row; ++r) {
    if (r % stride) continue;
    const std::string& text = view.labels[static_cast<size_t>(r)];
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    pen.text(ImVec2(g.p0.x - g.gap - size.x, g.row_y(view, r) + (g.cell - size.y) * 0.5f),
             label_color(m.rows[static_cast<size_t>(r)], true), text, TextAnchor::End);
  }
  draw_list->PopClipRect();
  // Half a line of slack, as for the query labels: narrow columns centre a label wider than themselves.
  const ImVec2 key_clip_min(g.p0.x - g.em * 0.5f, g.start.y), key_clip_max(g.p1.x + g.em * 0.5f, g.p0.y);
  draw_list->PushClipRect(key_clip_min, key_clip_max, true);
  pen.clipped_group("key-labels", key_clip_min, key_clip_max);
  for (int c = first_col; c < last_col; ++c) {
    if (c % stride) continue;
    add_text_vertical(draw_list, ImVec2(g.col_x(view, c) + (g.cell - g.em) * 0.5f, g.p0.y - g.gap),
                      label_color(m.cols[static_cast<size_t>(c)], false), view.key_labels[static_cast<size_t>(c)].c_str(),
                      options.record);
  }
  draw_list->PopClipRect();
}

// The legend, then the cursor below everything drawn.
void draw_legend(const AppState& state, GlResources& gl, const HeatmapGeometry& g, const ViewDrawOptions& options) {
  if (options.record) options.record->begin_group("legend");
  const float em = g.em;
  if (g.legend_right) {
    draw_colormap_legend_vertical(gl, state.display, ImVec2(g.p1.x + em, g.p0.y - ImGui::GetTextLineHeightWithSpacing()),
                                  std::max(g.p1.y - g.p0.y, em * 8.0f), options);
    ImGui::SetCursorScreenPos(ImVec2(g.start.x, std::max(g.p1.y, g.p0.y + em * 7.0f)));
    ImGui::Dummy(ImVec2(g.p1.x - g.start.x + g.legend_right_w, 0));
  } else {
    ImGui::SetCursorScreenPos(ImVec2(g.p0.x, g.p1.y + em * 0.6f));
    draw_colormap_legend(gl, state.display, std::clamp(g.p1.x - g.p0.x, em * 14.0f, em * 22.0f), options);
  }
}

}  // namespace

void draw_heatmap_view(AppState& state, HeatmapViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  refresh(state, view);
  if (!draw_caption(state, view, options)) return;
  if (options.exporting) {  // a figure always shows the whole matrix
    view.zoom = 1;
    view.offset = ImVec2(0, 0);
  }
  clamp_pan(view, view.matrix.n_rows(), view.matrix.n_cols());
  HeatmapGeometry g = layout_heatmap(view);
  const HeatmapHover hover = handle_input(state, view, g, options.exporting);
  // In a figure only a query the user picked is outlined: an outline on the
  // last row by default would need explaining on a slide.
  const int query_row =
      options.exporting && state.selection.query < 0 ? -1 : view.matrix.row_of_token(state.effective_query());
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  draw_cells(pen, state, view, gl, g, hover, query_row, std::max(1.0f, options.scale));
  draw_axis_labels(pen, state, view, g, hover, query_row, options);
  if (hover.row >= 0 && !options.exporting) tooltip(state, view, hover.row, hover.col);
  draw_legend(state, gl, g, options);
}

}  // namespace attnscope
