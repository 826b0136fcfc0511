#include "render/view_model.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <string>

#include "render/figure_record.h"
#include "scene/attention_view.h"

namespace attnscope {

namespace {

void build_thumbnail(const AttentionSnapshot& snap, const DisplaySettings& display, int layer, int head,
                     HeadThumbnail& thumb) {
  const DisplayMatrix m = build_display_matrix(snap, layer, head, HeadMode::Single, display, false);
  thumb.entropy = mean_row_entropy(m.weights);
  thumb.previous = mean_previous_token_weight(m.weights);
  // Linear and log scales are monotonic per cell, so shrinking first and
  // scaling the small copy gives the same picture for a fraction of the work.
  thumb.values = display.scale == ColorScale::PerRow  // [<= 128, <= 128]
                     ? downsample_max(apply_color_scale(m.weights, display.scale), kThumbnailSide)
                     : apply_color_scale(downsample_max(m.weights, kThumbnailSide), display.scale);
  thumb.texture.upload(thumb.values.data(), static_cast<int>(thumb.values.rows()), static_cast<int>(thumb.values.cols()));
  thumb.ready = true;
}

// Starts over when what the thumbnails show has changed, then builds as many
// as fit in `budget_ms` (all of them when budget_ms < 0).
void update_thumbnails(const AppState& state, ModelViewState& view, double budget_ms) {
  const AttentionSnapshot& snap = *state.snapshot;
  const size_t count = static_cast<size_t>(snap.n_layers) * static_cast<size_t>(snap.n_heads);
  if (view.shown != state.snapshot || view.shown_scale != state.display.scale ||
      view.shown_hide_special != state.display.hide_special) {
    if (view.thumbnails.size() != count) {
      view.thumbnails.clear();  // another model: the old pictures mean nothing
      view.thumbnails.resize(count);
    }
    view.next_to_build = 0;
    view.shown = state.snapshot;
    view.shown_scale = state.display.scale;
    view.shown_hide_special = state.display.hide_special;
  }
  const auto start = std::chrono::steady_clock::now();
  while (view.next_to_build < static_cast<int>(count)) {
    const int index = view.next_to_build++;
    build_thumbnail(snap, state.display, index / snap.n_heads, index % snap.n_heads,
                    view.thumbnails[static_cast<size_t>(index)]);
    const double spent = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (budget_ms >= 0 && spent >= budget_ms) break;
  }
}

void tooltip(const AttentionSnapshot& snap, const HeadThumbnail& thumb, int layer, int head) {
  ImGui::BeginTooltip();
  ImGui::Text("Layer %d, head %d%s", layer, head, snap.ablated(layer, head) ? "  (switched off)" : "");
  ImGui::Text("Entropy %.2f bits: low = focused on few tokens", thumb.entropy);
  ImGui::Text("Previous-token weight %.2f: high = looks one token back", thumb.previous);
  ImGui::TextDisabled("Click to show this head; right-click to switch it %s.",
                      snap.ablated(layer, head) ? "on again" : "off");
  ImGui::EndTooltip();
}

}  // namespace

bool thumbnails_pending(const ModelViewState& view, const AppState& state) {
  if (!state.snapshot) return false;
  return view.shown != state.snapshot || view.shown_scale != state.display.scale ||
         view.shown_hide_special != state.display.hide_special ||
         view.next_to_build < static_cast<int>(view.thumbnails.size());
}

void draw_model_view(AppState& state, ModelViewState& view, GlResources& gl, const ViewDrawOptions& options) {
  if (draw_view_placeholder(state)) return;
  const AttentionSnapshot& snap = *state.snapshot;
  if (snap.n_layers <= 0 || snap.n_heads <= 0) return;
  update_thumbnails(state, view, options.exporting ? -1.0 : 8.0);

  const float em = ImGui::GetFontSize();
  const float small = em * 0.78f;  // caption font size
  ImFont* font = ImGui::GetFont();
  const int n_layers = snap.n_layers, n_heads = snap.n_heads;
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("caption");
  const std::string caption = std::to_string(n_layers) + " layers x " + std::to_string(n_heads) + " heads";
  ImGui::TextUnformatted(caption.c_str());
  record_item_text(options.record, caption, style_color(ImGuiCol_Text));
  if (!options.exporting)
    help_marker("Each square is one head's attention pattern for this sentence.\n"
                "Click a head to show it in the other views. Right-click a head to switch it off (it is "
                "crossed out and the model re-runs without it); right-click again to switch it back on.");

  // Geometry: square thumbnails that fill the width, captions under them when
  // there is room for the text.
  const float row_label_w = ImGui::CalcTextSize("L00").x + em * 0.5f;
  const float gap = em * 0.45f;
  const float legend_h = em * view.legend_em[options.exporting];
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float header_h = em * 1.4f;
  const float by_width = (avail.x - row_label_w) / n_heads - gap;
  // Captions need a thumbnail about four small characters wide; use them when
  // the grid still fits the height with them, else drop them for bigger pictures.
  const float caption_h = small * 2.1f;
  auto by_height = [&](float extra) { return (avail.y - header_h - legend_h) / n_layers - gap - extra; };
  float side = std::min(by_width, by_height(caption_h));
  bool captions = side >= small * 3.6f;
  if (!captions) side = std::min(by_width, by_height(0));
  if (side < em * 1.5f) side = std::max(by_width, em * 1.5f);  // too many layers to fit: scroll instead
  side = std::clamp(side, em * 1.5f, em * 8.0f);
  captions = captions && side >= small * 3.6f;
  const float cell_w = side + gap, cell_h = side + (captions ? caption_h : 0.0f) + gap;

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 grid(origin.x + row_label_w, origin.y + header_h);
  const ImU32 text = style_color(ImGuiCol_Text), dim_text = style_color(ImGuiCol_TextDisabled);
  const float line = std::max(1.0f, options.scale);
  char buffer[32];
  pen.group("column-labels");
  for (int h = 0; h < n_heads; ++h) {  // column headers
    std::snprintf(buffer, sizeof buffer, h == 0 && side > em * 3 ? "head %d" : "%d", h);
    const float w = ImGui::CalcTextSize(buffer).x;
    pen.text(ImVec2(grid.x + h * cell_w + (side - w) * 0.5f, origin.y), dim_text, buffer, TextAnchor::Middle);
  }

  for (int l = 0; l < n_layers; ++l) {
    std::snprintf(buffer, sizeof buffer, "L%d", l);
    pen.group(buffer);  // the row label, then a group per head: "L0H3"
    pen.text(ImVec2(origin.x, grid.y + l * cell_h + (side - em) * 0.5f), dim_text, buffer);
    for (int h = 0; h < n_heads; ++h) {
      char id[32];
      std::snprintf(id, sizeof id, "L%dH%d", l, h);
      pen.group(id);
      const HeadThumbnail& thumb = view.thumbnails[static_cast<size_t>(l * n_heads + h)];
      const ImVec2 p0(grid.x + h * cell_w, grid.y + l * cell_h), p1(p0.x + side, p0.y + side);
      const bool ablated = snap.ablated(l, h);

      ImGui::SetCursorScreenPos(p0);
      ImGui::PushID(l * n_heads + h);
      ImGui::InvisibleButton("##thumb", ImVec2(side, side + (captions ? caption_h : 0.0f)),
                             ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
      const bool hovered = !options.exporting && ImGui::IsItemHovered();
      if (!options.exporting) {
        if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
          state.selection.layer = l;
          state.selection.head = h;
          state.selection.mode = HeadMode::Single;
        }
        if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
          // The switched-off heads of the attention kind shown (encoder-decoder models).
          auto& heads = ablated_heads_of(state.interventions, state.encoder_decoder() ? state.attention : AttentionKind::Self);
          if (!heads.erase({l, h})) heads.insert({l, h});
          state.request_run();
        }
        if (hovered && thumb.ready) tooltip(snap, thumb, l, h);
      }
      ImGui::PopID();

      if (thumb.ready) {
        HeatmapStyle style;
        style.dim = ablated ? 0.75f : 0.0f;
        pen.cells(gl.heatmap, thumb.texture, p0, p1, state.display.colormap, style, thumb.values);
      } else {
        pen.fill(p0, p1, style_color(ImGuiCol_FrameBg));
      }
      if (ablated) {  // a cross and "off": readable without colour
        pen.line(p0, p1, text, 1.5f * line);
        pen.line(ImVec2(p1.x, p0.y), ImVec2(p0.x, p1.y), text, 1.5f * line);
        const ImVec2 ts = font->CalcTextSizeA(small, FLT_MAX, 0, "off");
        const ImVec2 tp(p0.x + (side - ts.x) * 0.5f, p0.y + (side - ts.y) * 0.5f);
        pen.fill(ImVec2(tp.x - 3 * line, tp.y), ImVec2(tp.x + ts.x + 3 * line, tp.y + ts.y), style_color(ImGuiCol_WindowBg));
        pen.text(tp, text, "off", TextAnchor::Middle, font, small);
      }
      const bool selected = state.selection.layer == l &&
                            (state.selection.mode != HeadMode::Single || state.selection.head == h);
      if (selected)
        pen.frame(ImVec2(p0.x - 2 * line, p0.y - 2 * line), ImVec2(p1.x + 2 * line, p1.y + 2 * line), selection_color(),
                  2.5f * line);
      else if (hovered)
        pen.frame(ImVec2(p0.x - line, p0.y - line), ImVec2(p1.x + line, p1.y + line), hover_color(), 2 * line);
      if (captions && thumb.ready) {
        std::snprintf(buffer, sizeof buffer, "H %.2f", thumb.entropy);
        pen.text(ImVec2(p0.x, p1.y + small * 0.1f), ablated ? dim_text : text, buffer, TextAnchor::Start, font, small);
        std::snprintf(buffer, sizeof buffer, "p %.2f", thumb.previous);
        pen.text(ImVec2(p0.x, p1.y + small * 1.05f), ablated ? dim_text : text, buffer, TextAnchor::Start, font, small);
      }
    }
  }

  // Legend: the colour bar, and beside it (or below, when narrow) what H and p mean.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, grid.y + n_layers * cell_h + em * 0.3f));
  const float bar_w = em * 12.0f;
  pen.group("legend");
  ImGui::BeginGroup();
  draw_colormap_legend(gl, state.display, bar_w, options);
  ImGui::EndGroup();
  const float text_w = ImGui::CalcTextSize("p: mean weight on the previous token").x;
  if (avail.x >= bar_w + em * 2.5f + text_w) ImGui::SameLine(0, em * 2.0f);
  ImGui::BeginGroup();
  for (const char* note : {"H: mean entropy of a row, in bits", "    low = focused on a few tokens",
                           "p: mean weight on the previous token"}) {
    const bool dim = note[0] == ' ';
    if (dim) ImGui::TextDisabled("%s", note);
    else ImGui::TextUnformatted(note);
    record_item_text(options.record, note, dim ? dim_text : text);
  }
  ImGui::EndGroup();
  view.legend_em[options.exporting] =
      (ImGui::GetItemRectMax().y - (grid.y + n_layers * cell_h) + ImGui::GetStyle().ItemSpacing.y) / em;
}

}  // namespace attnscope
