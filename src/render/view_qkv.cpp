#include "render/view_qkv.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "scene/display_matrix.h"

namespace attnscope {

namespace {

float max_abs(const MatrixRM& m) { return m.size() ? m.cwiseAbs().maxCoeff() : 0.0f; }

// Signed values -> [0, 1] for the diverging lookup: 0 maps to the middle (white).
void upload_signed(HeatmapTexture& texture, const MatrixRM& m, float scale) {
  MatrixRM values(m.rows(), m.cols());  // [T, Dh]
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
  upload_signed(view.q, cap.q, view.qk_max_abs);
  upload_signed(view.k, cap.k, view.qk_max_abs);
  upload_signed(view.v, cap.v, view.v_max_abs);
  view.shown = state.snapshot;
  view.shown_layer = layer;
  view.shown_head = head;
}

// A vector as a row of coloured cells; a hover tooltip gives each number.
// `describe` writes the tooltip line of element d.
template <typename Describe>
void draw_strip(ImDrawList* draw_list, ImVec2 p0, float cell_w, float height, int n, bool interactive,
                Describe describe, const float* values, float scale) {
  const float inv = scale > 0 ? 1.0f / scale : 0.0f;
  for (int d = 0; d < n; ++d)
    draw_list->AddRectFilled(ImVec2(p0.x + d * cell_w, p0.y), ImVec2(p0.x + (d + 1) * cell_w, p0.y + height),
                             to_color(diverging_color(values[d] * inv)));
  const ImVec2 p1(p0.x + n * cell_w, p0.y + height);
  draw_list->AddRect(p0, p1, style_color(ImGuiCol_Border));
  if (!interactive || !ImGui::IsMouseHoveringRect(p0, p1) || !ImGui::IsWindowHovered()) return;
  const int d = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - p0.x) / cell_w), 0, n - 1);
  draw_list->AddRect(ImVec2(p0.x + d * cell_w, p0.y), ImVec2(p0.x + (d + 1) * cell_w, p1.y), hover_color(), 0, 0, 2);
  char line[160];
  describe(d, line, sizeof line);
  ImGui::SetTooltip("%s", line);
}

}  // namespace

void draw_qkv_view(AppState& state, QkvViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  const int layer = state.selection.layer, head = state.selection.head, i = state.effective_query();
  if (layer < 0 || layer >= snap.n_layers || head < 0 || head >= snap.n_heads || i < 0 || snap.head_dim <= 0) return;
  refresh(state, view, layer, head);
  const HeadCapture& cap = snap.head(layer, head);
  const int n_tokens = snap.n_tokens, dh = snap.head_dim;
  const float inv_sqrt = 1.0f / std::sqrt(static_cast<float>(dh));
  const bool interactive = !options.exporting;
  const std::string query_name = token_quote(snap, i);
  const float em = ImGui::GetFontSize();

  ImGui::Text("Layer %d, head %d, query %s", layer, head, query_name.c_str());
  if (state.selection.mode != HeadMode::Single) {
    ImGui::SameLine();
    ImGui::TextDisabled("(Q, K and V belong to one head)");
  }
  if (snap.ablated(layer, head)) ImGui::TextDisabled("This head is switched off: its weights were set to 0.");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("A soft database lookup: the query asks a question, each key says what its token offers, "
                      "q\u00B7k scores the match, softmax turns scores into weights, and the answer is the weighted "
                      "mix of the values.");
  ImGui::PopTextWrapPos();
  if (interactive) ImGui::Checkbox("Strongest keys first", &view.strongest_first);

  // Columns: key token | k_j | q x k | q.k | / sqrt(Dh) | weight | weight x v_j
  const float avail = ImGui::GetContentRegionAvail().x;
  const float token_w = em * 6.5f, weight_w = em * 6.0f, pad = em * 0.6f;
  const float number_w = std::max(ImGui::CalcTextSize("/ sqrt(Dh)").x, ImGui::CalcTextSize("-000.000").x);
  const float cell_w = std::clamp((avail - token_w - 2 * number_w - weight_w - 6 * pad) / (3.0f * dh),
                                  2.0f * options.scale, em * 0.9f);
  const float strip_w = cell_w * dh;
  float x = 0;
  const float col_token = x, col_k = (x += token_w + pad), col_prod = (x += strip_w + pad),
              col_dot = (x += strip_w + pad), col_scaled = (x += number_w + pad), col_weight = (x += number_w + pad),
              col_v = (x += weight_w + pad);
  // row_h is the pitch from one row to the next: the ListClipper counts in
  // pitches, and each Dummy adds ItemSpacing.y after itself.
  const float row_h = ImGui::GetTextLineHeightWithSpacing() * 1.1f, strip_h = row_h * 0.7f;
  const ImVec2 row_size(col_v + strip_w, row_h - ImGui::GetStyle().ItemSpacing.y);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float* q = cap.q.row(i).data();
  const float v_scale = view.v_max_abs, qk_scale = view.qk_max_abs;
  // q x k gets its own scale, the largest product over every key, so the
  // strips show which dimensions agree rather than fading to white.
  float prod_scale = 0;
  for (int j = 0; j < n_tokens; ++j)
    prod_scale = std::max(prod_scale, (cap.q.row(i).cwiseProduct(cap.k.row(j))).cwiseAbs().maxCoeff());
  char buffer[64];

  // 1. the query
  ImVec2 at = ImGui::GetCursorScreenPos();
  draw_list->AddText(ImVec2(at.x + col_token, at.y), selection_color(), "query q_i");
  draw_strip(draw_list, ImVec2(at.x + col_k, at.y + (row_h - strip_h) * 0.5f), cell_w, strip_h, dh, interactive,
             [&](int d, char* out, size_t size) { std::snprintf(out, size, "q[%d] = %.4f", d, q[d]); }, q, qk_scale);
  draw_list->AddText(ImVec2(at.x + col_prod, at.y), style_color(ImGuiCol_TextDisabled), "what this token looks for");
  ImGui::Dummy(row_size);

  // 2. one row per key
  at = ImGui::GetCursorScreenPos();
  const ImU32 head_text = style_color(ImGuiCol_TextDisabled);
  const std::pair<float, const char*> headers[] = {{col_token, "key token"}, {col_k, "key k_j"},
                                                   {col_prod, "q \u00D7 k_j"}, {col_dot, "q\u00B7k_j"},
                                                   {col_scaled, "/ sqrt(Dh)"}, {col_weight, "softmax"},
                                                   {col_v, "w \u00D7 v_j"}};
  for (const auto& [cx, label] : headers) draw_list->AddText(ImVec2(at.x + cx, at.y), head_text, label);
  ImGui::Dummy(row_size);
  std::vector<int> order(static_cast<size_t>(n_tokens));
  std::iota(order.begin(), order.end(), 0);
  if (view.strongest_first)
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cap.probs(i, a) > cap.probs(i, b); });
  std::vector<float> prod(static_cast<size_t>(dh)), weighted(static_cast<size_t>(dh));
  ImGuiListClipper clipper;
  clipper.Begin(n_tokens, row_h);
  while (clipper.Step()) {
    for (int n = clipper.DisplayStart; n < clipper.DisplayEnd; ++n) {
      const int j = order[static_cast<size_t>(n)];
      at = ImGui::GetCursorScreenPos();
      ImGui::Dummy(row_size);
      const float y = at.y + (row_h - strip_h) * 0.5f, ty = at.y + (row_h - ImGui::GetTextLineHeight()) * 0.5f;
      const std::string label = token_label(snap.tokens[static_cast<size_t>(j)], 10);
      draw_list->AddText(ImVec2(at.x + col_token, ty), style_color(ImGuiCol_Text), label.c_str());
      const float score = raw_score(snap, layer, head, i, j);
      if (std::isinf(score)) {
        draw_list->AddText(ImVec2(at.x + col_k, ty), head_text,
                           snap.causal && j > i ? "masked: a later token (causal mask)" : "masked key");
        continue;
      }
      const float* k = cap.k.row(j).data();
      const float* v = cap.v.row(j).data();
      const float w = cap.probs(i, j);
      float dot = 0;
      for (int d = 0; d < dh; ++d) {
        prod[static_cast<size_t>(d)] = q[d] * k[d];
        weighted[static_cast<size_t>(d)] = w * v[d];
        dot += prod[static_cast<size_t>(d)];
      }
      draw_strip(draw_list, ImVec2(at.x + col_k, y), cell_w, strip_h, dh, interactive,
                 [&](int d, char* out, size_t size) { std::snprintf(out, size, "k[%d] = %.4f", d, k[d]); }, k,
                 qk_scale);
      draw_strip(draw_list, ImVec2(at.x + col_prod, y), cell_w, strip_h, dh, interactive,
                 [&](int d, char* out, size_t size) {
                   std::snprintf(out, size, "q[%d] \u00D7 k[%d] = %.4f \u00D7 %.4f = %.4f", d, d, q[d], k[d], q[d] * k[d]);
                 },
                 prod.data(), prod_scale);
      std::snprintf(buffer, sizeof buffer, "%.3f", dot);
      draw_list->AddText(ImVec2(at.x + col_dot, ty), style_color(ImGuiCol_Text), buffer);
      std::snprintf(buffer, sizeof buffer, "%.3f", dot * inv_sqrt);
      draw_list->AddText(ImVec2(at.x + col_scaled, ty), style_color(ImGuiCol_Text), buffer);
      const float bar = weight_w - em * 3.2f;
      draw_list->AddRectFilled(ImVec2(at.x + col_weight, y), ImVec2(at.x + col_weight + bar * w, y + strip_h),
                               selection_color(0.85f));
      draw_list->AddRect(ImVec2(at.x + col_weight, y), ImVec2(at.x + col_weight + bar, y + strip_h),
                         style_color(ImGuiCol_Border));
      std::snprintf(buffer, sizeof buffer, "%.0f%%", 100.0f * w);
      draw_list->AddText(ImVec2(at.x + col_weight + bar + em * 0.3f, ty), style_color(ImGuiCol_Text), buffer);
      draw_strip(draw_list, ImVec2(at.x + col_v, y), cell_w, strip_h, dh, interactive,
                 [&](int d, char* out, size_t size) {
                   std::snprintf(out, size, "weight \u00D7 v[%d] = %.3f \u00D7 %.4f = %.4f", d, w, v[d], w * v[d]);
                 },
                 weighted.data(), v_scale);
    }
  }

  // 3. the answer
  at = ImGui::GetCursorScreenPos();
  const float* out = cap.out.row(i).data();
  draw_list->AddText(ImVec2(at.x + col_token, at.y + row_h * 0.1f), selection_color(), "output");
  draw_list->AddText(ImVec2(at.x + col_dot, at.y + row_h * 0.1f), head_text, "sum of the weighted values =");
  draw_strip(draw_list, ImVec2(at.x + col_v, at.y + row_h * 0.1f + (row_h - strip_h) * 0.5f), cell_w, strip_h, dh,
             interactive, [&](int d, char* o, size_t size) { std::snprintf(o, size, "out[%d] = %.4f", d, out[d]); },
             out, v_scale);
  ImGui::Dummy(ImVec2(col_v + strip_w, row_h * 1.3f));

  // Legends of the two colour scales, then the whole matrices.
  const float legend_w = std::clamp((avail - em * 5.0f) / 3.0f, em * 7.0f, em * 14.0f);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("q and k");
  draw_diverging_legend(gl, qk_scale, legend_w, options);
  ImGui::EndGroup();
  ImGui::SameLine(0, em * 2);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("q \u00D7 k");
  draw_diverging_legend(gl, prod_scale, legend_w, options);
  ImGui::EndGroup();
  ImGui::SameLine(0, em * 2);
  ImGui::BeginGroup();
  ImGui::TextUnformatted("v, weight \u00D7 v, output");
  draw_diverging_legend(gl, v_scale, legend_w, options);
  ImGui::EndGroup();

  ImGui::Separator();
  ImGui::Text("Every token's query, key and value [T = %d x Dh = %d]", n_tokens, dh);
  const float matrix_w = std::min((ImGui::GetContentRegionAvail().x - 2 * em) / 3.0f, em * 16.0f);
  const float matrix_h = std::clamp(n_tokens * em * 0.6f, em * 4.0f, em * 14.0f);
  at = ImGui::GetCursorScreenPos();
  const HeatmapTexture* textures[] = {&view.q, &view.k, &view.v};
  const char* names[] = {"Q", "K", "V"};
  for (int m = 0; m < 3; ++m) {
    const ImVec2 p0(at.x + m * (matrix_w + em), at.y + ImGui::GetTextLineHeightWithSpacing());
    const ImVec2 p1(p0.x + matrix_w, p0.y + matrix_h);
    draw_list->AddText(ImVec2(p0.x, at.y), style_color(ImGuiCol_Text), names[m]);
    HeatmapStyle style;
    style.diverging = true;
    gl.heatmap.draw(draw_list, *textures[m], p0, p1, state.display.colormap, style);
    draw_list->AddRect(p0, p1, style_color(ImGuiCol_Border));
    const float row = matrix_h / n_tokens;  // the query's row in Q, outlined
    if (m == 0)
      draw_list->AddRect(ImVec2(p0.x - 1, p0.y + i * row - 1), ImVec2(p1.x + 1, p0.y + (i + 1) * row + 1),
                         selection_color(), 0, 0, 2 * options.scale);
  }
  ImGui::Dummy(ImVec2(3 * matrix_w + 2 * em, matrix_h + ImGui::GetTextLineHeightWithSpacing()));
  ImGui::TextDisabled("Rows are tokens, columns the %d dimensions; the query's row is outlined in Q.", dh);
}

}  // namespace attnscope
