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
      view.shown_hide_special == display.hide_special)
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
      ImGui::Text("Raw score q\u00B7k / sqrt(Dh) = %.4f", score);
  } else {
    ImGui::TextDisabled("Raw scores belong to single heads: pick one to see them.");
  }
  ImGui::EndTooltip();
}

}  // namespace

void draw_heatmap_view(AppState& state, HeatmapViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  refresh(state, view);
  const DisplayMatrix& m = view.matrix;
  const int rows = m.n_rows(), cols = m.n_cols();
  const float em = ImGui::GetFontSize();
  const float line = std::max(1.0f, options.scale);

  if (!options.exporting) draw_display_controls(state);
  // A figure's header already names the layer and head.
  if (!options.exporting) ImGui::TextUnformatted(head_caption(snap, state.selection).c_str());
  if (!options.exporting) {
    if (view.zoom > 1) {
      ImGui::SameLine();
      ImGui::TextDisabled("zoom %.1fx", view.zoom);
    }
    help_marker("Rows are queries, columns are keys: row i shows where token i looks.\n"
                "Click a row to pick the query. Right-click a column to mask that key (the model re-runs).\n"
                "Mouse wheel zooms, drag pans, double-click shows the whole matrix again.");
  }
  if (m.renormalised) {
    if (!options.exporting) ImGui::SameLine();
    ImGui::TextDisabled("Special tokens hidden, rows renormalised (display only)");
  }
  if (rows == 0 || cols == 0) {
    ImGui::TextDisabled("Every token is a special token: nothing left to show.");
    return;
  }

  // Geometry: row labels on the left, column labels (turned upright) on top,
  // square cells of at most 3 font heights, and the legend at the right or
  // underneath, whichever leaves bigger cells.
  const float gap = em * 0.4f;
  const float label_space = std::min(view.label_width_em * em, em * 9.0f) + gap;
  const float legend_below_h = em * 2.8f + ImGui::GetTextLineHeightWithSpacing() + 2 * ImGui::GetStyle().ItemSpacing.y;
  const float legend_right_w = vertical_legend_width() + em;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float fit_right = std::min((avail.x - label_space - legend_right_w) / cols, (avail.y - label_space) / rows);
  const float fit_below = std::min((avail.x - label_space) / cols, (avail.y - label_space - legend_below_h) / rows);
  const bool legend_right = fit_right >= fit_below;
  const float fit = std::clamp(std::max(fit_right, fit_below), 2.0f / std::max(rows, cols), em * 3.0f);
  const ImVec2 p0(start.x + label_space, start.y + label_space);
  const ImVec2 p1(p0.x + fit * cols, p0.y + fit * rows);

  if (options.exporting) {  // a figure always shows the whole matrix
    view.zoom = 1;
    view.offset = ImVec2(0, 0);
  }
  clamp_pan(view, rows, cols);
  float cell = fit * view.zoom;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();

  // Canvas: the invisible button catches hover, clicks, drags and the wheel.
  int hover_row = -1, hover_col = -1;
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("##cells", ImVec2(p1.x - p0.x, p1.y - p0.y),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  if (!options.exporting) {
    ImGui::SetItemUsingMouseWheel();
    const ImGuiIO& io = ImGui::GetIO();
    const bool hovered = ImGui::IsItemHovered();
    if (hovered && io.MouseWheel != 0) {  // zoom about the cell under the mouse
      const ImVec2 under((io.MousePos.x - p0.x) / cell + view.offset.x, (io.MousePos.y - p0.y) / cell + view.offset.y);
      view.zoom *= std::pow(1.25f, io.MouseWheel);
      clamp_pan(view, rows, cols);
      cell = fit * view.zoom;
      view.offset = ImVec2(under.x - (io.MousePos.x - p0.x) / cell, under.y - (io.MousePos.y - p0.y) / cell);
      clamp_pan(view, rows, cols);
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
      view.offset.x -= io.MouseDelta.x / cell;
      view.offset.y -= io.MouseDelta.y / cell;
      clamp_pan(view, rows, cols);
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      view.zoom = 1;
      view.offset = ImVec2(0, 0);
    }
    if (hovered) {
      hover_col = static_cast<int>(std::floor((io.MousePos.x - p0.x) / cell + view.offset.x));
      hover_row = static_cast<int>(std::floor((io.MousePos.y - p0.y) / cell + view.offset.y));
      if (hover_col < 0 || hover_col >= cols || hover_row < 0 || hover_row >= rows) hover_row = hover_col = -1;
    }
    const bool click = io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < io.MouseDragThreshold * io.MouseDragThreshold;
    if (hover_row >= 0 && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && click) {
      const int token = m.rows[static_cast<size_t>(hover_row)];
      state.selection.query = state.selection.query == token ? -1 : token;
    }
    // Translation models take no key masks (the engine refuses them).
    if (hover_col >= 0 && !state.encoder_decoder() && ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
      const int token = m.cols[static_cast<size_t>(hover_col)];
      auto& masked = state.interventions.masked_keys;
      if (!masked.erase(token)) masked.insert(token);
      state.request_run();
    }
    if (hover_col >= 0) state.selection.hovered_token = m.cols[static_cast<size_t>(hover_col)];
  }

  // The cells: one textured quad showing the visible window of the matrix.
  HeatmapStyle window;
  window.uv0 = ImVec2(view.offset.x / cols, view.offset.y / rows);
  window.uv1 = ImVec2((view.offset.x + cols / view.zoom) / cols, (view.offset.y + rows / view.zoom) / rows);
  gl.heatmap.draw(draw_list, view.texture, p0, p1, state.display.colormap, window);
  view.layout = {p0.x - view.offset.x * cell, p0.y - view.offset.y * cell, cell, cell, rows, cols};

  auto row_y = [&](int r) { return p0.y + (r - view.offset.y) * cell; };
  auto col_x = [&](int c) { return p0.x + (c - view.offset.x) * cell; };
  const int first_row = static_cast<int>(view.offset.y), last_row = std::min(rows, static_cast<int>(std::ceil(view.offset.y + rows / view.zoom)));
  const int first_col = static_cast<int>(view.offset.x), last_col = std::min(cols, static_cast<int>(std::ceil(view.offset.x + cols / view.zoom)));
  // In a figure only a query the user picked is outlined: an outline on the
  // last row by default would need explaining on a slide.
  const int query_row =
      options.exporting && state.selection.query < 0 ? -1 : m.row_of_token(state.effective_query());
  const int other_hover = state.selection.hovered_token;  // from another view, or this one last frame

  // Highlights are outlines, so the colour inside a cell stays the weight's colour.
  FigurePen pen(draw_list, options.record);
  draw_list->PushClipRect(p0, p1, true);
  pen.clipped_group("highlights", p0, p1);
  if (query_row >= 0)
    pen.frame(ImVec2(p0.x, row_y(query_row)), ImVec2(p1.x, row_y(query_row + 1)), selection_color(), 2 * line);
  const int hover_key_col = hover_col >= 0 ? hover_col : m.col_of_token(other_hover);
  if (hover_key_col >= 0)
    pen.frame(ImVec2(col_x(hover_key_col), p0.y), ImVec2(col_x(hover_key_col + 1), p1.y), hover_color(), 2 * line);
  draw_list->PopClipRect();
  pen.group("border");
  pen.frame(ImVec2(p0.x - line, p0.y - line), ImVec2(p1.x + line, p1.y + line), style_color(ImGuiCol_Border), line);

  // Axis labels: every label when cells are tall enough for text, else every k-th.
  const int stride = std::max(1, static_cast<int>(std::ceil(em * 1.05f / cell)));
  auto label_color = [&](int token, bool is_query_axis) {
    if (is_query_axis && query_row >= 0 && token == state.effective_query()) return selection_color();
    if (token == other_hover || (!is_query_axis && hover_col >= 0 && m.cols[static_cast<size_t>(hover_col)] == token))
      return hover_color();
    if (state.interventions.masked_keys.count(token) && !is_query_axis) return style_color(ImGuiCol_TextDisabled);
    return style_color(ImGuiCol_Text);
  };
  // Half a line of slack: with thin rows the first and last labels overhang the cells.
  const ImVec2 query_clip_min(start.x, p0.y - em * 0.5f), query_clip_max(p0.x, p1.y + em * 0.5f);
  draw_list->PushClipRect(query_clip_min, query_clip_max, true);
  pen.clipped_group("query-labels", query_clip_min, query_clip_max);
  for (int r = first_row; r < last_row; ++r) {
    if (r % stride) continue;
    const std::string& text = view.labels[static_cast<size_t>(r)];
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    pen.text(ImVec2(p0.x - gap - size.x, row_y(r) + (cell - size.y) * 0.5f), label_color(m.rows[static_cast<size_t>(r)], true),
             text, TextAnchor::End);
  }
  draw_list->PopClipRect();
  // Half a line of slack, as for the query labels: narrow columns centre a label wider than themselves.
  const ImVec2 key_clip_min(p0.x - em * 0.5f, start.y), key_clip_max(p1.x + em * 0.5f, p0.y);
  draw_list->PushClipRect(key_clip_min, key_clip_max, true);
  pen.clipped_group("key-labels", key_clip_min, key_clip_max);
  for (int c = first_col; c < last_col; ++c) {
    if (c % stride) continue;
    add_text_vertical(draw_list, ImVec2(col_x(c) + (cell - em) * 0.5f, p0.y - gap),
                      label_color(m.cols[static_cast<size_t>(c)], false), view.key_labels[static_cast<size_t>(c)].c_str(),
                      options.record);
  }
  draw_list->PopClipRect();

  if (hover_row >= 0 && !options.exporting) tooltip(state, view, hover_row, hover_col);

  // The legend, then leave the cursor below everything drawn.
  if (options.record) options.record->begin_group("legend");
  if (legend_right) {
    draw_colormap_legend_vertical(gl, state.display, ImVec2(p1.x + em, p0.y - ImGui::GetTextLineHeightWithSpacing()),
                                  std::max(p1.y - p0.y, em * 8.0f), options);
    ImGui::SetCursorScreenPos(ImVec2(start.x, std::max(p1.y, p0.y + em * 7.0f)));
    ImGui::Dummy(ImVec2(p1.x - start.x + legend_right_w, 0));
  } else {
    ImGui::SetCursorScreenPos(ImVec2(p0.x, p1.y + em * 0.6f));
    draw_colormap_legend(gl, state.display, std::clamp(p1.x - p0.x, em * 14.0f, em * 22.0f), options);
  }
}

}  // namespace attnscope
