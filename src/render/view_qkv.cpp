#include "render/view_qkv.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "core/encoder_decoder.h"
#include "render/figure_record.h"
#include "scene/display_matrix.h"

namespace attnscope {

namespace {

float max_abs(const MatrixRM& m) { return m.size() ? m.cwiseAbs().maxCoeff() : 0.0f; }

bool cross_attention(const AttentionSnapshot& snap) { return !snap.key_tokens.empty(); }

// The score column's header: what turns q·k into the score the softmax reads.
const char* score_header(const AttentionSnapshot& snap) {
  const auto* ed = snap.model ? snap.model->encoder_decoder.get() : nullptr;
  if (!ed || ed->config.scale_scores) return "/ sqrt(Dh)";
  return snap.score_bias(0) ? "+ pos. bias" : "score";  // T5: no scaling; self-attention adds its bias
}

// Signed values -> [0, 1] for the diverging lookup: 0 maps to the middle (white).
void upload_signed(HeatmapTexture& texture, MatrixRM& values, const MatrixRM& m, float scale) {
  values.resize(m.rows(), m.cols());  // [T, Dh]
  const float inv = scale > 0 ? 1.0f / scale : 0.0f;
  for (Eigen::Index i = 0; i < m.size(); ++i)
    values.data()[i] = std::clamp(m.data()[i] * inv, -1.0f, 1.0f) * 0.5f + 0.5f;
  texture.upload(values.data(), static_cast<int>(values.rows()), static_cast<int>(values.cols()));
}

void refresh(const AppState& state, QkvViewState& view, int layer, int head) {
  if (view.shown == state.snapshot && view.shown_layer == layer && view.shown_head == head) return;
  const HeadCapture& cap = state.snapshot->head(layer, head);
  view.qk_max_abs = std::max(max_abs(cap.q), max_abs(cap.k));
  view.v_max_abs = max_abs(cap.v);
  upload_signed(view.q, view.q_cells, cap.q, view.qk_max_abs);
  upload_signed(view.k, view.k_cells, cap.k, view.qk_max_abs);
  upload_signed(view.v, view.v_cells, cap.v, view.v_max_abs);
  view.shown = state.snapshot;
  view.shown_layer = layer;
  view.shown_head = head;
}

// Where the columns of the lookup table sit, relative to the row's left edge:
// key token | k_j | q x k | q.k | / sqrt(Dh) | weight | weight x v_j
struct QkvLayout {
  int dh = 0;
  float em = 0, cell_w = 0, strip_w = 0, row_h = 0, strip_h = 0, weight_w = 0;
  float token = 0, k = 0, prod = 0, dot = 0, scaled = 0, weight = 0, v = 0;
  ImVec2 row_size;
};

QkvLayout layout_columns(int dh, float scale) {
  QkvLayout l;
  l.dh = dh;
  l.em = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float token_w = l.em * 6.5f, pad = l.em * 0.6f;
  l.weight_w = l.em * 6.0f;
  const float number_w = std::max({ImGui::CalcTextSize("/ sqrt(Dh)").x, ImGui::CalcTextSize("+ pos. bias").x,
                                   ImGui::CalcTextSize("-000.000").x});
  // Whole pixels per cell: edges land on pixel boundaries, crisp in the PNG
  // and in the same place in the SVG.
  l.cell_w = std::floor(std::clamp((avail - token_w - 2 * number_w - l.weight_w - 6 * pad) / (3.0f * dh),
                                   2.0f * scale, l.em * 0.9f));
  l.strip_w = l.cell_w * dh;
  float x = 0;
  l.token = x;
  l.k = (x += token_w + pad);
  l.prod = (x += l.strip_w + pad);
  l.dot = (x += l.strip_w + pad);
  l.scaled = (x += number_w + pad);
  l.weight = (x += number_w + pad);
  l.v = (x += l.weight_w + pad);
  // row_h is the pitch from one row to the next: the ListClipper counts in
  // pitches, and each Dummy adds ItemSpacing.y after itself.
  l.row_h = ImGui::GetTextLineHeightWithSpacing() * 1.1f;
  l.strip_h = std::round(l.row_h * 0.7f);
  l.row_size = ImVec2(l.v + l.strip_w, l.row_h - ImGui::GetStyle().ItemSpacing.y);
  return l;
}

// The colour scales: q and k share one, v and the output another, and q x k
// gets the largest product over every key, so the strips show which
// dimensions agree rather than fading to white.
struct QkvScales {
  float qk = 0, v = 0, prod = 0;
};

QkvScales scales_for(const QkvViewState& view, const HeadCapture& cap, int i) {
  QkvScales s{view.qk_max_abs, view.v_max_abs, 0};
  for (Eigen::Index j = 0; j < cap.k.rows(); ++j)
    s.prod = std::max(s.prod, (cap.q.row(i).cwiseProduct(cap.k.row(j))).cwiseAbs().maxCoeff());
  return s;
}

// A vector as a row of coloured cells in a frame.
void draw_strip(FigurePen& pen, ImVec2 p0, const QkvLayout& l, const float* values, float scale) {
  p0 = ImVec2(std::round(p0.x), std::round(p0.y));
  const float inv = scale > 0 ? 1.0f / scale : 0.0f;
  for (int d = 0; d < l.dh; ++d)
    pen.fill(ImVec2(p0.x + d * l.cell_w, p0.y), ImVec2(p0.x + (d + 1) * l.cell_w, p0.y + l.strip_h),
             to_color(diverging_color(values[d] * inv)));
  pen.frame(p0, ImVec2(p0.x + l.strip_w, p0.y + l.strip_h), style_color(ImGuiCol_Border), 1.0f);
}

// Hovering a strip outlines one cell; `describe` writes its tooltip line.
template <typename Describe>
void strip_hover(ImVec2 p0, const QkvLayout& l, Describe describe) {
  const ImVec2 p1(p0.x + l.strip_w, p0.y + l.strip_h);
  if (!ImGui::IsMouseHoveringRect(p0, p1) || !ImGui::IsWindowHovered()) return;
  const int d = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p0.x) / l.cell_w), 0, l.dh - 1);
  ImGui::GetWindowDrawList()->AddRect(ImVec2(p0.x + d * l.cell_w, p0.y), ImVec2(p0.x + (d + 1) * l.cell_w, p1.y),
                                      hover_color(), 0, 0, 2);
  char line[160];
  describe(d, line, sizeof line);
  ImGui::SetTooltip("%s", line);
}

// Everything a row of the lookup table reads.
struct QkvRows {
  const AttentionSnapshot& snap;
  const HeadCapture& cap;
  int layer, head, i;
  QkvScales scales;
  QkvLayout layout;
  bool interactive;
};

void draw_caption(const AppState& state, const QkvRows& r, QkvViewState& view, const ViewDrawOptions& options) {
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  char line[200];
  std::snprintf(line, sizeof line, "Layer %d, head %d, query %s", r.layer, r.head, token_quote(r.snap, r.i).c_str());
  figure_text(line, text, options);
  if (state.selection.mode != HeadMode::Single) {
    ImGui::SameLine();
    figure_text("(Q, K and V belong to one head)", dim, options);
  }
  if (r.snap.ablated(r.layer, r.head)) figure_text("This head is switched off: its weights were set to 0.", dim, options);
  if (cross_attention(r.snap))
    figure_wrapped_text("Cross-attention: the query is a target position; keys and values are the source tokens.",
                        dim, options);
  figure_wrapped_text("A soft database lookup: the query asks a question, each key says what its token offers, "
                      "q\u00B7k scores the match, softmax turns scores into weights, and the answer is the weighted "
                      "mix of the values.",
                      dim, options);
  if (r.interactive) ImGui::Checkbox("Strongest keys first", &view.strongest_first);
}

void draw_query_and_headers(FigurePen& pen, const QkvRows& r) {
  const QkvLayout& l = r.layout;
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  const float* q = r.cap.q.row(r.i).data();
  ImVec2 at = ImGui::GetCursorScreenPos();
  pen.text(ImVec2(at.x + l.token, at.y), selection_color(), "query q_i");
  const ImVec2 strip(at.x + l.k, at.y + (l.row_h - l.strip_h) * 0.5f);
  draw_strip(pen, strip, l, q, r.scales.qk);
  if (r.interactive)
    strip_hover(strip, l, [&](int d, char* out, size_t size) { std::snprintf(out, size, "q[%d] = %.4f", d, q[d]); });
  pen.text(ImVec2(at.x + l.prod, at.y), dim, "what this token looks for");
  ImGui::Dummy(l.row_size);

  at = ImGui::GetCursorScreenPos();
  const std::pair<float, const char*> headers[] = {{l.token, "key token"}, {l.k, "key k_j"},
                                                   {l.prod, "q \u00D7 k_j"}, {l.dot, "q\u00B7k_j"},
                                                   {l.scaled, score_header(r.snap)}, {l.weight, "softmax"},
                                                   {l.v, "w \u00D7 v_j"}};
  for (const auto& [x, label] : headers) pen.text(ImVec2(at.x + x, at.y), dim, label);
  ImGui::Dummy(l.row_size);
}

void draw_number(FigurePen& pen, ImVec2 at, float value, const char* format) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  pen.text(at, style_color(ImGuiCol_Text), buffer);
}

void draw_weight_bar(FigurePen& pen, const QkvLayout& l, ImVec2 at, float y, float ty, float w) {
  const float bar = std::round(l.weight_w - l.em * 3.2f);
  at.x = std::round(at.x);
  y = std::round(y);
  pen.fill(ImVec2(at.x + l.weight, y), ImVec2(at.x + l.weight + bar * w, y + l.strip_h), selection_color(0.85f));
  pen.frame(ImVec2(at.x + l.weight, y), ImVec2(at.x + l.weight + bar, y + l.strip_h), style_color(ImGuiCol_Border),
            1.0f);
  draw_number(pen, ImVec2(at.x + l.weight + bar + l.em * 0.3f, ty), 100.0f * w, "%.0f%%");
}

// One key j: its vector, the products with q, the score, the weight and the weighted value.
void draw_key_row(FigurePen& pen, const QkvRows& r, int j) {
  const QkvLayout& l = r.layout;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Dummy(l.row_size);
  const float y = at.y + (l.row_h - l.strip_h) * 0.5f, ty = at.y + (l.row_h - ImGui::GetTextLineHeight()) * 0.5f;
  pen.text(ImVec2(at.x + l.token, ty), style_color(ImGuiCol_Text), token_label(r.snap.keys()[static_cast<size_t>(j)], 10));
  if (std::isinf(raw_score(r.snap, r.layer, r.head, r.i, j))) {
    pen.text(ImVec2(at.x + l.k, ty), style_color(ImGuiCol_TextDisabled),
             r.snap.causal && j > r.i ? "masked: a later token (causal mask)" : "masked key");
    return;
  }
  const float* q = r.cap.q.row(r.i).data();
  const float* k = r.cap.k.row(j).data();
  const float* v = r.cap.v.row(j).data();
  const float w = r.cap.probs(r.i, j);
  std::vector<float> prod(static_cast<size_t>(l.dh)), weighted(static_cast<size_t>(l.dh));  // [Dh] each
  float dot = 0;
  for (int d = 0; d < l.dh; ++d) {
    prod[static_cast<size_t>(d)] = q[d] * k[d];
    weighted[static_cast<size_t>(d)] = w * v[d];
    dot += prod[static_cast<size_t>(d)];
  }
  draw_strip(pen, ImVec2(at.x + l.k, y), l, k, r.scales.qk);
  draw_strip(pen, ImVec2(at.x + l.prod, y), l, prod.data(), r.scales.prod);
  draw_number(pen, ImVec2(at.x + l.dot, ty), dot, "%.3f");
  draw_number(pen, ImVec2(at.x + l.scaled, ty), raw_score(r.snap, r.layer, r.head, r.i, j), "%.3f");
  draw_weight_bar(pen, l, at, y, ty, w);
  draw_strip(pen, ImVec2(at.x + l.v, y), l, weighted.data(), r.scales.v);
  if (!r.interactive) return;
  strip_hover(ImVec2(at.x + l.k, y), l,
              [&](int d, char* out, size_t size) { std::snprintf(out, size, "k[%d] = %.4f", d, k[d]); });
  strip_hover(ImVec2(at.x + l.prod, y), l, [&](int d, char* out, size_t size) {
    std::snprintf(out, size, "q[%d] \u00D7 k[%d] = %.4f \u00D7 %.4f = %.4f", d, d, q[d], k[d], q[d] * k[d]);
  });
  strip_hover(ImVec2(at.x + l.v, y), l, [&](int d, char* out, size_t size) {
    std::snprintf(out, size, "weight \u00D7 v[%d] = %.3f \u00D7 %.4f = %.4f", d, w, v[d], w * v[d]);
  });
}

void draw_key_rows(FigurePen& pen, const QkvRows& r, bool strongest_first) {
  std::vector<int> order(static_cast<size_t>(r.snap.n_keys()));
  std::iota(order.begin(), order.end(), 0);
  if (strongest_first)
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return r.cap.probs(r.i, a) > r.cap.probs(r.i, b); });
  ImGuiListClipper clipper;
  clipper.Begin(r.snap.n_keys(), r.layout.row_h);
  while (clipper.Step())
    for (int n = clipper.DisplayStart; n < clipper.DisplayEnd; ++n) draw_key_row(pen, r, order[static_cast<size_t>(n)]);
}

void draw_output_row(FigurePen& pen, const QkvRows& r) {
  const QkvLayout& l = r.layout;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float* out = r.cap.out.row(r.i).data();
  const float y = at.y + l.row_h * 0.1f;
  pen.text(ImVec2(at.x + l.token, y), selection_color(), "output");
  pen.text(ImVec2(at.x + l.dot, y), style_color(ImGuiCol_TextDisabled), "sum of the weighted values =");
  const ImVec2 strip(at.x + l.v, y + (l.row_h - l.strip_h) * 0.5f);
  draw_strip(pen, strip, l, out, r.scales.v);
  if (r.interactive)
    strip_hover(strip, l, [&](int d, char* o, size_t size) { std::snprintf(o, size, "out[%d] = %.4f", d, out[d]); });
  ImGui::Dummy(ImVec2(l.v + l.strip_w, l.row_h * 1.3f));
}

void draw_legends(GlResources& gl, const QkvScales& scales, const ViewDrawOptions& options) {
  const float em = ImGui::GetFontSize();
  const float legend_w = std::clamp((ImGui::GetContentRegionAvail().x - em * 5.0f) / 3.0f, em * 7.0f, em * 14.0f);
  const std::pair<const char*, float> legends[] = {
      {"q and k", scales.qk}, {"q \u00D7 k", scales.prod}, {"v, weight \u00D7 v, output", scales.v}};
  for (size_t n = 0; n < 3; ++n) {
    if (n > 0) ImGui::SameLine(0, em * 2);
    ImGui::BeginGroup();
    figure_text(legends[n].first, style_color(ImGuiCol_Text), options);
    draw_diverging_legend(gl, legends[n].second, legend_w, options);
    ImGui::EndGroup();
  }
}

// The whole Q, K and V matrices side by side, the query's row outlined in Q.
void draw_matrices(FigurePen& pen, const AppState& state, const QkvViewState& view, GlResources& gl, int i,
                   const ViewDrawOptions& options) {
  // Cross-attention: Q has a row per decoder token, K and V one per source
  // token; rows keep one height so that the matrices compare at a glance.
  const int n_tokens = state.snapshot->n_tokens, n_keys = state.snapshot->n_keys();
  const float em = ImGui::GetFontSize();
  const float matrix_w = std::min((ImGui::GetContentRegionAvail().x - 2 * em) / 3.0f, em * 16.0f);
  const float full_h = std::clamp(std::max(n_tokens, n_keys) * em * 0.6f, em * 4.0f, em * 14.0f);
  const float row = full_h / std::max(n_tokens, n_keys);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const HeatmapTexture* textures[] = {&view.q, &view.k, &view.v};
  const MatrixRM* cells[] = {&view.q_cells, &view.k_cells, &view.v_cells};
  const char* names[] = {"Q", "K", "V"};
  HeatmapStyle style;
  style.diverging = true;
  for (int m = 0; m < 3; ++m) {
    const ImVec2 p0(at.x + m * (matrix_w + em), at.y + ImGui::GetTextLineHeightWithSpacing());
    const ImVec2 p1(p0.x + matrix_w, p0.y + row * (m == 0 ? n_tokens : n_keys));
    pen.text(ImVec2(p0.x, at.y), style_color(ImGuiCol_Text), names[m]);
    pen.cells(gl.heatmap, *textures[m], p0, p1, state.display.colormap, style, *cells[m]);
    pen.frame(p0, p1, style_color(ImGuiCol_Border), 1.0f);
    if (m == 0)
      pen.frame(ImVec2(p0.x - 1, p0.y + i * row - 1), ImVec2(p1.x + 1, p0.y + (i + 1) * row + 1), selection_color(),
                2 * options.scale);
  }
  ImGui::Dummy(ImVec2(3 * matrix_w + 2 * em, full_h + ImGui::GetTextLineHeightWithSpacing()));
}

}  // namespace

void draw_qkv_view(AppState& state, QkvViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  const int layer = state.selection.layer, head = state.selection.head, i = state.effective_query();
  if (layer < 0 || layer >= snap.n_layers || head < 0 || head >= snap.n_heads || i < 0 || snap.head_dim <= 0) return;
  refresh(state, view, layer, head);
  const HeadCapture& cap = snap.head(layer, head);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  const QkvRows rows{snap, cap, layer, head, i, scales_for(view, cap, i), layout_columns(snap.head_dim, options.scale),
                    !options.exporting};
  draw_caption(state, rows, view, options);
  pen.group("lookup");
  draw_query_and_headers(pen, rows);
  draw_key_rows(pen, rows, view.strongest_first);
  draw_output_row(pen, rows);
  pen.group("legends");
  draw_legends(gl, rows.scales, options);
  ImGui::Separator();
  record_separator(options.record);
  pen.group("matrices");
  char line[160];
  if (cross_attention(snap))
    std::snprintf(line, sizeof line, "Decoder queries [Tt = %d x Dh = %d]; source keys and values [Ts = %d x Dh = %d]",
                  snap.n_tokens, snap.head_dim, snap.n_keys(), snap.head_dim);
  else
    std::snprintf(line, sizeof line, "Every token's query, key and value [T = %d x Dh = %d]", snap.n_tokens, snap.head_dim);
  figure_text(line, style_color(ImGuiCol_Text), options);
  draw_matrices(pen, state, view, gl, i, options);
  std::snprintf(line, sizeof line, "Rows are tokens, columns the %d dimensions; the query's row is outlined in Q.",
                snap.head_dim);
  figure_text(line, style_color(ImGuiCol_TextDisabled), options);
}

}  // namespace attnscope
