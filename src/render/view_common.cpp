#include "render/view_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include <imgui_internal.h>  // ImGui::CalcWrapWidthForPos

#include "render/figure_record.h"
#include "scene/display_mode_choice.h"
#include "scene/head_labels.h"
#include "scene/display_modes.h"

namespace attnscope {

std::string token_label(const Token& token, int max_chars) {
  std::string text = token.display;
  const size_t first = text.find_first_not_of(' ');
  text = first == std::string::npos ? (text.empty() ? std::string() : std::string("\xC2\xB7")) : text.substr(first);
  // Count UTF-8 characters (bytes that do not continue a sequence) so a cut never splits one.
  int chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > max_chars) return text.substr(0, i) + "..";
  }
  return text;
}

std::string token_quote(const AttentionSnapshot& snapshot, int index) {
  if (index < 0 || index >= static_cast<int>(snapshot.tokens.size())) return "?";
  std::string text = "#";
  text += std::to_string(index);
  text += " \"";
  text += snapshot.tokens[static_cast<size_t>(index)].display;
  text += "\"";
  return text;
}

ImU32 to_color(Rgb8 rgb, float alpha) {
  return IM_COL32(rgb.r, rgb.g, rgb.b, static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f));
}

ImU32 style_color(ImGuiCol which, float alpha) { return ImGui::GetColorU32(which, alpha); }

// Orange and sky blue from the Okabe-Ito palette: distinct for every kind of colour vision.
ImU32 selection_color(float alpha) { return to_color({230, 159, 0}, alpha); }
ImU32 hover_color(float alpha) { return to_color({86, 180, 233}, alpha); }

std::string head_caption(const AttentionSnapshot& snapshot, const Selection& selection, bool one_based) {
  std::string text = "Layer " + std::to_string(shown_index(selection.layer, one_based));
  switch (selection.mode) {
    case HeadMode::Single:
      return text + ", head " + std::to_string(shown_index(selection.head, one_based)) +
             (snapshot.ablated(selection.layer, selection.head) ? " (ablated)" : "");
    case HeadMode::Mean:
      return text + ", mean of " + std::to_string(snapshot.n_heads) + " heads";
    case HeadMode::Max:
      return text + ", max of " + std::to_string(snapshot.n_heads) + " heads";
  }
  return text;
}

const char* color_scale_name(ColorScale scale) {
  switch (scale) {
    case ColorScale::Linear: return "linear";
    case ColorScale::Log: return "log";
    case ColorScale::PerRow: return "per row";
  }
  return "?";
}

bool draw_view_placeholder(const AppState& state) {
  if (!state.model) {
    ImGui::TextDisabled("No model loaded. Use File > Open model folder.");
    return true;
  }
  if (!state.snapshot || state.snapshot->n_tokens == 0) {
    ImGui::TextDisabled(state.snapshot ? "Type some text to see its attention." : "Running the model...");
    return true;
  }
  return false;
}

namespace {

// SameLine() when an item `width` wide still fits on the current line.
void same_line_if_fits(float width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

float labelled_width(float widget, const char* label) {
  return widget + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

}  // namespace

const char* display_mode_label(DisplayMode mode) {
  switch (mode) {
    case DisplayMode::Raw: return "attention";
    case DisplayMode::Value: return "value-weighted";
    case DisplayMode::Rollout: return "rollout";
    case DisplayMode::Flow: return "flow";
  }
  return "?";
}

namespace {

void draw_display_mode_combo(AppState& state, float width) {
  const DisplayMode shown = chosen_display_mode(state);
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("Show", display_mode_label(shown))) {
    for (DisplayMode mode : {DisplayMode::Raw, DisplayMode::Value, DisplayMode::Rollout, DisplayMode::Flow})
      if (ImGui::Selectable(display_mode_label(mode), mode == shown)) choose_display_mode(state, mode);
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", display_mode_caption(shown));
  if (state.pending_display_mode) {
    ImGui::SameLine();
    ImGui::TextDisabled("computing %s...", display_mode_label(*state.pending_display_mode));
  }
}

}  // namespace

void draw_display_mode_note(const AttentionSnapshot& snapshot, DisplayMode mode) {
  if (mode == DisplayMode::Raw) return;
  if (!display_mode_applies(snapshot, mode)) {
    if (mode == DisplayMode::Flow && snapshot.n_tokens > kMaxFlowTokens)
      ImGui::TextDisabled("Flow needs at most %d tokens: showing attention weights.", kMaxFlowTokens);
    else
      ImGui::TextDisabled("%s does not apply to cross-attention: showing attention weights.", display_mode_label(mode));
    return;
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", display_mode_caption(mode));
  ImGui::PopTextWrapPos();
}

void draw_display_controls(AppState& state) {
  DisplaySettings& display = state.display;
  const float width = ImGui::GetFontSize() * 7;
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("Colormap", colormap_name(display.colormap))) {
    for (int i = 0; i < kColormapCount; ++i) {
      const auto map = static_cast<Colormap>(i);
      if (ImGui::Selectable(colormap_name(map), map == display.colormap)) display.colormap = map;
    }
    ImGui::EndCombo();
  }
  same_line_if_fits(labelled_width(width, "Scale"));
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("Scale", color_scale_name(display.scale))) {
    for (ColorScale scale : {ColorScale::Linear, ColorScale::Log, ColorScale::PerRow})
      if (ImGui::Selectable(color_scale_name(scale), scale == display.scale)) display.scale = scale;
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("linear: colour = weight\nlog: 0.0001 .. 1 on a log scale, to see small weights\n"
                      "per row: each query's strongest key is full colour");
  // Wide enough for the longest choice, "value-weighted".
  const float mode_width = ImGui::CalcTextSize("value-weighted").x + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2;
  same_line_if_fits(labelled_width(mode_width, "Show"));
  draw_display_mode_combo(state, mode_width);
  const char* hide_label = "Hide special tokens and renormalise (display only)";
  same_line_if_fits(labelled_width(ImGui::GetFrameHeight(), hide_label));
  ImGui::Checkbox(hide_label, &display.hide_special);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Drops [CLS], [SEP], BOS and similar rows and columns from the picture and rescales\n"
                      "each row to sum to 1. The model still saw them: this changes the display, not the run.");
}

namespace {

struct Bar {
  ImVec2 min, max;
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
};

// Draws the ramp texture as a bar and returns its rectangle; advances the cursor.
Bar draw_bar(GlResources& gl, Colormap map, bool diverging, float width, const ViewDrawOptions& options) {
  const float bar_h = ImGui::GetFontSize() * 0.9f;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 p1(p0.x + width, p0.y + bar_h);
  HeatmapStyle style;
  style.diverging = diverging;
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.cells(gl.heatmap, gl.heatmap.ramp(), p0, p1, map, style, options.record ? ramp_values(false) : MatrixRM());
  pen.frame(p0, p1, style_color(ImGuiCol_Border), std::max(1.0f, options.scale));
  return Bar{p0, p1};
}

// Tick marks with labels under a bar; `ticks` are (position 0..1, label).
void draw_ticks(const Bar& bar, const std::vector<std::pair<float, std::string>>& ticks,
                const ViewDrawOptions& options) {
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  const ImU32 text = style_color(ImGuiCol_Text);
  const float tick = ImGui::GetFontSize() * 0.3f;
  for (const auto& [at, label] : ticks) {
    const float x = bar.min.x + at * bar.width();
    pen.line(ImVec2(x, bar.max.y), ImVec2(x, bar.max.y + tick), text, std::max(1.0f, options.scale));
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    const float lx = std::max(bar.min.x, std::min(x - w * 0.5f, bar.max.x - w));  // labels stay within the bar
    pen.text(ImVec2(lx, bar.max.y + tick), text, label,
             lx == bar.min.x ? TextAnchor::Start : lx == bar.max.x - w ? TextAnchor::End : TextAnchor::Middle);
  }
  ImGui::Dummy(ImVec2(bar.width(), bar.height() + tick + ImGui::GetFontSize()));
}

std::string number(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

namespace {

std::vector<std::pair<float, std::string>> scale_ticks(ColorScale scale) {
  std::vector<std::pair<float, std::string>> ticks;
  switch (scale) {
    case ColorScale::Linear:
      for (int i = 0; i <= 4; ++i) ticks.emplace_back(i / 4.0f, number(i / 4.0f));
      break;
    case ColorScale::Log:
      for (int i = 0; i <= 4; ++i) ticks.emplace_back(i / 4.0f, number(std::pow(10.0f, static_cast<float>(i - 4))));
      break;
    case ColorScale::PerRow:
      ticks = {{0.0f, "0"}, {0.5f, "half"}, {1.0f, "row max"}};
      break;
  }
  return ticks;
}

}  // namespace

void draw_colormap_legend(GlResources& gl, const DisplaySettings& display, float width,
                          const ViewDrawOptions& options) {
  const char* title = display.scale == ColorScale::Log ? "Attention weight (log scale)"
                      : display.scale == ColorScale::PerRow ? "Attention weight / row maximum"
                                                           : "Attention weight";
  ImGui::TextUnformatted(title);
  record_item_text(options.record, title, style_color(ImGuiCol_Text));
  draw_ticks(draw_bar(gl, display.colormap, false, width, options), scale_ticks(display.scale), options);
}

float vertical_legend_width() {
  const float em = ImGui::GetFontSize();
  return em * 1.6f + std::max(ImGui::CalcTextSize("0.0001").x, ImGui::CalcTextSize("weight").x);
}

void draw_colormap_legend_vertical(GlResources& gl, const DisplaySettings& display, ImVec2 top_left, float height,
                                   const ViewDrawOptions& options) {
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  const float em = ImGui::GetFontSize(), line = std::max(1.0f, options.scale);
  const ImU32 text = style_color(ImGuiCol_Text);
  const char* title = display.scale == ColorScale::Log ? "weight (log)"
                      : display.scale == ColorScale::PerRow ? "/ row max" : "weight";
  pen.text(top_left, text, title);
  const ImVec2 p0(top_left.x, top_left.y + ImGui::GetTextLineHeightWithSpacing() + em * 0.3f);
  const ImVec2 p1(p0.x + em * 0.9f, p0.y + std::max(height - (p0.y - top_left.y), em * 4.0f));
  pen.cells(gl.heatmap, gl.heatmap.ramp_vertical(), p0, p1, display.colormap, {},
            options.record ? ramp_values(true) : MatrixRM());
  pen.frame(p0, p1, style_color(ImGuiCol_Border), line);
  // Labels only, centred on their value: a tick line next to "1" would read as "-1".
  for (const auto& [at, label] : scale_ticks(display.scale)) {
    const float y = p1.y - at * (p1.y - p0.y);
    pen.text(ImVec2(p1.x + em * 0.4f, y - ImGui::GetTextLineHeight() * 0.5f), text, label);
  }
}

void help_marker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void draw_diverging_legend(GlResources& gl, float max_abs, float width, const ViewDrawOptions& options) {
  char lo[32], hi[32];
  std::snprintf(lo, sizeof lo, "%.3g", -max_abs);
  std::snprintf(hi, sizeof hi, "+%.3g", max_abs);
  draw_ticks(draw_bar(gl, Colormap::Viridis, true, width, options), {{0.0f, lo}, {0.5f, "0"}, {1.0f, hi}},
             options);
}

void figure_text(const std::string& text, ImU32 color, const ViewDrawOptions& options) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  record_item_text(options.record, text, color);
}

void figure_wrapped_text(const std::string& text, ImU32 color, const ViewDrawOptions& options) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::PushTextWrapPos(0.0f);
  record_wrapped_text(options.record, at, text, color, ImGui::CalcWrapWidthForPos(at, 0.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

void add_text_vertical(ImDrawList* draw_list, ImVec2 bottom_left, ImU32 color, const char* text, FigureRecord* record) {
  record_upright_text(record, bottom_left, color, text);
  const int first = draw_list->VtxBuffer.Size;
  // Lay the text out horizontally with its top-left at the pivot, then turn
  // every new vertex 90 degrees counter-clockwise about the pivot: (dx, dy) -> (dy, -dx).
  // RenderText, not AddText: AddText would cull glyphs that lie outside the
  // clip rectangle before the turn, though they lie inside it after.
  const ImVec4 no_cull(-1e9f, -1e9f, 1e9f, 1e9f);
  ImGui::GetFont()->RenderText(draw_list, ImGui::GetFontSize(), bottom_left, color, no_cull, text, nullptr);
  for (int i = first; i < draw_list->VtxBuffer.Size; ++i) {
    ImDrawVert& v = draw_list->VtxBuffer[i];
    const float dx = v.pos.x - bottom_left.x, dy = v.pos.y - bottom_left.y;
    v.pos = ImVec2(bottom_left.x + dy, bottom_left.y - dx);
  }
}

}  // namespace attnscope
