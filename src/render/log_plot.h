// A small log-log line plot drawn with the figure pen, so that it exports to
// PNG and SVG like every view: frame, ticks at powers of two (x) and of ten
// (y), series as lines with dots, vertical marker lines with a label, and a
// legend under the frame.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <imgui.h>

namespace attnscope {

class FigurePen;

struct PlotSeries {
  std::string label;
  ImU32 color = 0;
  std::vector<ImVec2> points;  // (x, y), both > 0; others are skipped
  bool dashed = false;         // computed curves: dashed, no dots
};

struct PlotMarker {
  float x = 0;
  std::string label;
  ImU32 color = 0;
};

struct LogPlot {
  std::string id;  // unique in the figure, letters and dashes: the SVG group names
  std::string title;
  std::string x_label = "T (tokens)";
  std::function<std::string(double)> y_tick;  // "1 ms", "10M"
  float x_min = 16, x_max = 1024;             // data range of x (the y range follows the series)
  std::vector<PlotSeries> series;
  std::vector<PlotMarker> markers;
};

// Draws at the cursor in a box `size` wide and tall (legend included) and
// advances the cursor past it.
void draw_log_plot(FigurePen& pen, const LogPlot& plot, ImVec2 size, float scale);

// "0.1 ms", "2 ms", "1.5 s"; "10k", "1M", "1G" for counts.
std::string format_ms(double ms);
std::string format_count(double n);

}  // namespace attnscope
