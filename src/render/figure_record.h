// What a figure drew, shape by shape, in drawing order and in the figure's
// pixels: the source of the SVG copy of a view, so that every line, label and
// cell sits where the PNG has it and has the PNG's colour.
//
// Views draw through a FigurePen: it adds to the ImGui draw list as always
// and, during a figure export (ViewDrawOptions::record set), also appends the
// shape here. render_figure() clears the record at the start of each frame,
// so it ends up holding the last frame, the one read back into the PNG.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "render/gl_heatmap.h"
#include "core/colormap.h"
#include "core/ops.h"

namespace attnscope {

enum class TextAnchor { Start, Middle, End };

struct FigureShape {
  enum class Kind { Text, Line, Frame, Fill, Cells };
  Kind kind = Kind::Fill;
  // Line: the two ends of the stroke's centre line. Frame: the stroke's path.
  // Fill, Cells: the corners. Text: the anchor point on the baseline.
  ImVec2 a, b;
  ImU32 color = 0;      // as drawn, alpha included (Cells: unused)
  float width = 0;      // Line, Frame: stroke width; Fill: corner radius
  float font_px = 0;    // Text: ImGui font size (the font's pixel height, not its em size)
  TextAnchor anchor = TextAnchor::Start;  // Text: which end of the text `a` is
  bool upright = false; // Text: turned 90 degrees counter-clockwise (reads bottom to top) about `a`
  std::string text;     // Text
  int cells = -1;       // Cells: index into FigureRecord::cells
};

// A heatmap texture as the shader shows it: value -> lookup entry, faded by dim.
struct FigureCells {
  MatrixRM values;      // [rows, cols] in [0, 1], row 0 at the top
  Colormap map = Colormap::Viridis;
  bool diverging = false;
  float dim = 0;
};

struct FigureGroup {
  size_t first = 0;  // index of its first shape; it runs to the next group's first
  std::string id;    // unique in the figure: becomes the SVG <g id>
  ImVec4 clip{0, 0, 0, 0};  // x0, y0, x1, y1 its shapes were clipped to; empty: the window's only
};

struct FigureRecord {
  std::vector<FigureShape> shapes;
  std::vector<FigureCells> cells;
  std::vector<FigureGroup> groups;  // shapes before the first group belong to none
  ImU32 background = 0, text = 0, text_dim = 0;  // the figure theme's colours
  ImVec4 clip{0, 0, 0, 0};  // x0, y0, x1, y1: the figure window's clip rectangle; nothing shows outside it

  void clear();
  // Starts a group; an empty group started before is dropped.
  void begin_group(const std::string& id, ImVec4 clip = {});
};

// The colour of lookup entry round(v * 255) faded towards grey by dim, as
// shaders/heatmap.frag computes it (GL rounds to the nearest 8-bit value).
Rgb8 figure_cell_color(const FigureCells& cells, float value);

// Draws into an ImGui draw list and records what it drew when `record` is set.
// Positions and rounding follow ImDrawList (lines and frames are offset half
// a pixel, text starts at a whole pixel), so the record matches the pixels.
class FigurePen {
 public:
  FigurePen(ImDrawList* draw_list, FigureRecord* record) : list_(draw_list), record_(record) {}

  void group(const std::string& id) { if (record_) record_->begin_group(id); }
  // A group drawn inside ImDrawList::PushClipRect(min, max, true).
  void clipped_group(const std::string& id, ImVec2 min, ImVec2 max) {
    if (record_) record_->begin_group(id, ImVec4(min.x, min.y, max.x, max.y));
  }
  void line(ImVec2 a, ImVec2 b, ImU32 color, float thickness);
  void frame(ImVec2 min, ImVec2 max, ImU32 color, float thickness);  // rectangle outline
  void fill(ImVec2 min, ImVec2 max, ImU32 color, float rounding = 0);
  // `top_left` as for ImDrawList::AddText. `anchor` says which end the SVG
  // pins, so a right-aligned label stays right-aligned whatever the renderer's
  // glyph widths. font = nullptr: the current font; size = 0: its size.
  void text(ImVec2 top_left, ImU32 color, const std::string& text, TextAnchor anchor = TextAnchor::Start,
            ImFont* font = nullptr, float size = 0);
  // A heatmap texture; `values` is what the texture holds (what gets recorded).
  void cells(HeatmapRenderer& renderer, const HeatmapTexture& texture, ImVec2 min, ImVec2 max, Colormap map,
             const HeatmapStyle& style, const MatrixRM& values);
  ImDrawList* draw_list() const { return list_; }
  FigureRecord* record() const { return record_; }

 private:
  ImDrawList* list_;
  FigureRecord* record_;
};

// Records text that add_text_vertical() drew: laid out with its top-left at
// `pivot`, then turned about it. No-op without a record.
void record_upright_text(FigureRecord* record, ImVec2 pivot, ImU32 color, const std::string& text);
// Records the text of the last ImGui item (ImGui::Text and the like) where
// ImGui put it. No-op without a record.
void record_item_text(FigureRecord* record, const std::string& text, ImU32 color);
// Records the line of the ImGui::Separator() just drawn. No-op without a record.
void record_separator(FigureRecord* record);
// Records `text` as ImGui wraps it at `wrap_width` from `top_left`, one shape per line.
void record_wrapped_text(FigureRecord* record, ImVec2 top_left, const std::string& text, ImU32 color,
                         float wrap_width);
// The lookup ramp of a colour bar: [1, 256] left to right, or [256, 1] with 1 at the top.
MatrixRM ramp_values(bool vertical);

}  // namespace attnscope
