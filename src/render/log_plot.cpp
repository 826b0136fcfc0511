#include "render/log_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "render/figure_record.h"
#include "render/view_common.h"

namespace attnscope {

namespace {

// Data -> pixels on log axes.
struct Axes {
  ImVec2 min, max;             // the frame in pixels
  double lx0, lx1, ly0, ly1;   // log10 of the data range

  ImVec2 at(double x, double y) const {
    const double fx = (std::log10(x) - lx0) / (lx1 - lx0), fy = (std::log10(y) - ly0) / (ly1 - ly0);
    return ImVec2(min.x + static_cast<float>(fx) * (max.x - min.x), max.y - static_cast<float>(fy) * (max.y - min.y));
  }
};

// The y range of every positive point, widened to whole decades.
void y_range(const LogPlot& plot, double* lo, double* hi) {
  double a = INFINITY, b = -INFINITY;
  for (const PlotSeries& s : plot.series)
    for (ImVec2 p : s.points)
      if (p.x >= plot.x_min && p.x <= plot.x_max && p.y > 0) {
        a = std::min(a, static_cast<double>(p.y));
        b = std::max(b, static_cast<double>(p.y));
      }
  if (!std::isfinite(a)) a = 1, b = 10;
  *lo = std::floor(std::log10(a));
  *hi = std::max(std::ceil(std::log10(b)), *lo + 1);
}

void dashed_line(FigurePen& pen, ImVec2 a, ImVec2 b, ImU32 color, float width, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y, length = std::sqrt(dx * dx + dy * dy);
  if (length <= 0) return;
  for (float s = 0; s < length; s += 2 * dash) {
    const float e = std::min(s + dash, length);
    pen.line(ImVec2(a.x + dx * s / length, a.y + dy * s / length), ImVec2(a.x + dx * e / length, a.y + dy * e / length), color,
             width);
  }
}

void draw_ticks(FigurePen& pen, const LogPlot& plot, const Axes& ax, float scale) {
  const ImU32 dim = style_color(ImGuiCol_TextDisabled), grid = style_color(ImGuiCol_Border, 0.45f);
  const float line_h = ImGui::GetTextLineHeight();
  // Powers of two along x, thinned so the labels never touch.
  int step = 1;
  const float label_w = ImGui::CalcTextSize("00000").x;
  const float per_octave = (ax.max.x - ax.min.x) / static_cast<float>((ax.lx1 - ax.lx0) / std::log10(2.0));
  while (per_octave * static_cast<float>(step) < label_w) step *= 2;
  int octave = 0;
  for (double x = 1; x <= plot.x_max * 1.0001; x *= 2, ++octave) {
    if (x < plot.x_min * 0.9999 || octave % step) continue;
    const ImVec2 p = ax.at(x, std::pow(10.0, ax.ly0));
    pen.line(ImVec2(p.x, ax.min.y), ImVec2(p.x, ax.max.y), grid, 1.0f * scale);
    const std::string label = std::to_string(static_cast<long long>(x));
    pen.text(ImVec2(p.x - ImGui::CalcTextSize(label.c_str()).x * 0.5f, ax.max.y + 3 * scale), dim, label, TextAnchor::Middle);
  }
  for (double e = ax.ly0; e <= ax.ly1 + 1e-9; e += 1) {
    const ImVec2 p = ax.at(plot.x_min, std::pow(10.0, e));
    pen.line(ImVec2(ax.min.x, p.y), ImVec2(ax.max.x, p.y), grid, 1.0f * scale);
    const std::string label = plot.y_tick ? plot.y_tick(std::pow(10.0, e)) : format_count(std::pow(10.0, e));
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    pen.text(ImVec2(ax.min.x - w - 4 * scale, p.y - line_h * 0.5f), dim, label, TextAnchor::End);
  }
}

void draw_series(FigurePen& pen, const PlotSeries& s, const Axes& ax, float scale) {
  std::vector<ImVec2> px;
  for (ImVec2 p : s.points)
    if (p.x > 0 && p.y > 0) px.push_back(ax.at(p.x, p.y));
  for (size_t i = 1; i < px.size(); ++i) {
    if (s.dashed) dashed_line(pen, px[i - 1], px[i], s.color, 1.5f * scale, 5 * scale);
    else pen.line(px[i - 1], px[i], s.color, 2.0f * scale);
  }
  if (s.dashed) return;
  const float r = 3.0f * scale;
  for (ImVec2 p : px) pen.fill(ImVec2(p.x - r, p.y - r), ImVec2(p.x + r, p.y + r), s.color, r);
}

void draw_markers(FigurePen& pen, const LogPlot& plot, const Axes& ax, float scale) {
  const float line_h = ImGui::GetTextLineHeight();
  int row = 0;
  for (const PlotMarker& m : plot.markers) {
    if (m.x < plot.x_min || m.x > plot.x_max) continue;
    const float x = ax.at(m.x, std::pow(10.0, ax.ly0)).x;
    dashed_line(pen, ImVec2(x, ax.min.y), ImVec2(x, ax.max.y), m.color, 1.0f * scale, 3 * scale);
    // Right of the line when there is room, else left of it.
    const float w = ImGui::CalcTextSize(m.label.c_str()).x;
    const bool right = x + 4 * scale + w <= ax.max.x;
    const float tx = right ? x + 4 * scale : x - 4 * scale - w;
    pen.text(ImVec2(tx, ax.min.y + 2 * scale + row * line_h), m.color, m.label, right ? TextAnchor::Start : TextAnchor::End);
    ++row;
  }
}

// One row per series under the frame: a short stroke and its label.
void draw_legend(FigurePen& pen, const LogPlot& plot, ImVec2 top_left, float scale) {
  const float line_h = ImGui::GetTextLineHeightWithSpacing(), stroke = 22 * scale;
  float y = top_left.y;
  for (const PlotSeries& s : plot.series) {
    const float mid = y + ImGui::GetTextLineHeight() * 0.5f;
    if (s.dashed) dashed_line(pen, ImVec2(top_left.x, mid), ImVec2(top_left.x + stroke, mid), s.color, 1.5f * scale, 5 * scale);
    else pen.line(ImVec2(top_left.x, mid), ImVec2(top_left.x + stroke, mid), s.color, 2.0f * scale);
    pen.text(ImVec2(top_left.x + stroke + 6 * scale, y), style_color(ImGuiCol_Text), s.label);
    y += line_h;
  }
}

}  // namespace

void draw_log_plot(FigurePen& pen, const LogPlot& plot, ImVec2 size, float scale) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);
  const float line_h = ImGui::GetTextLineHeight(), row_h = ImGui::GetTextLineHeightWithSpacing();
  double ly0 = 0, ly1 = 1;
  y_range(plot, &ly0, &ly1);
  float y_label_w = 0;
  for (double e = ly0; e <= ly1 + 1e-9; e += 1) {
    const std::string label = plot.y_tick ? plot.y_tick(std::pow(10.0, e)) : format_count(std::pow(10.0, e));
    y_label_w = std::max(y_label_w, ImGui::CalcTextSize(label.c_str()).x);
  }
  const float legend_h = row_h * static_cast<float>(plot.series.size());
  Axes ax;
  ax.min = ImVec2(at.x + y_label_w + 8 * scale, at.y + row_h + 4 * scale);
  // Room on the right for half of the last x label, which is centred on its tick.
  const float right = std::max(6 * scale, ImGui::CalcTextSize(std::to_string(static_cast<long long>(plot.x_max)).c_str()).x * 0.5f + 2 * scale);
  ax.max = ImVec2(at.x + size.x - right, at.y + size.y - legend_h - 2 * line_h - 6 * scale);
  ax.lx0 = std::log10(plot.x_min);
  ax.lx1 = std::log10(std::max(plot.x_max, plot.x_min * 2));
  ax.ly0 = ly0;
  ax.ly1 = ly1;
  if (ax.max.y - ax.min.y < 3 * line_h || ax.max.x - ax.min.x < 40 * scale) return;  // no room to say anything

  pen.group(plot.id + "-axes");
  pen.text(at, style_color(ImGuiCol_Text), plot.title);
  draw_ticks(pen, plot, ax, scale);
  pen.frame(ax.min, ax.max, style_color(ImGuiCol_Border), 1.0f * scale);
  const float x_label_w = ImGui::CalcTextSize(plot.x_label.c_str()).x;
  pen.text(ImVec2((ax.min.x + ax.max.x - x_label_w) * 0.5f, ax.max.y + line_h + 4 * scale), style_color(ImGuiCol_TextDisabled),
           plot.x_label, TextAnchor::Middle);
  ImDrawList* list = pen.draw_list();
  if (list) list->PushClipRect(ax.min, ax.max, true);
  pen.clipped_group(plot.id + "-curves", ax.min, ax.max);
  for (const PlotSeries& s : plot.series) draw_series(pen, s, ax, scale);
  draw_markers(pen, plot, ax, scale);
  if (list) list->PopClipRect();
  pen.group(plot.id + "-legend");
  draw_legend(pen, plot, ImVec2(ax.min.x, ax.max.y + 2 * line_h + 6 * scale), scale);
}

std::string format_ms(double ms) {
  char buffer[32];
  if (ms >= 1000) std::snprintf(buffer, sizeof buffer, "%.3g s", ms / 1000);
  else std::snprintf(buffer, sizeof buffer, "%.3g ms", ms);
  return buffer;
}

std::string format_count(double n) {
  const char* suffix[] = {"", "k", "M", "G", "T", "P"};
  int i = 0;
  while (n >= 1000 && i < 5) n /= 1000, ++i;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g%s", n, suffix[i]);
  return buffer;
}

}  // namespace attnscope
