#include "render/figure_record.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace attnscope {

void FigureRecord::clear() {
  shapes.clear();
  cells.clear();
  groups.clear();
}

void FigureRecord::begin_group(const std::string& id, ImVec4 clip) {
  if (!groups.empty() && groups.back().first == shapes.size()) groups.pop_back();
  groups.push_back({shapes.size(), id, clip});
}

Rgb8 figure_cell_color(const FigureCells& cells, float value) {
  // The shader's rule: entry floor(x) + (frac(x) >= 0.5), x = clamp(v) * 255.
  const float x = std::clamp(std::isnan(value) ? 0.0f : value, 0.0f, 1.0f) * 255.0f;
  const float whole = std::floor(x);
  const int index = std::min(static_cast<int>(whole) + (x - whole >= 0.5f ? 1 : 0), kColormapSize - 1);
  const Rgb8 c = (cells.diverging ? diverging_lut() : colormap_lut(cells.map))[static_cast<size_t>(index)];
  if (cells.dim <= 0) return c;
  const float dim = std::min(cells.dim, 1.0f);
  const auto fade = [&](std::uint8_t v) {
    const float mixed = static_cast<float>(v) / 255.0f * (1.0f - dim) + 0.55f * dim;
    return static_cast<std::uint8_t>(std::lround(std::clamp(mixed, 0.0f, 1.0f) * 255.0f));
  };
  return {fade(c.r), fade(c.g), fade(c.b)};
}

void FigurePen::line(ImVec2 a, ImVec2 b, ImU32 color, float thickness) {
  if (list_) list_->AddLine(a, b, color, thickness);
  if (!record_ || (color & IM_COL32_A_MASK) == 0) return;
  FigureShape s;
  s.kind = FigureShape::Kind::Line;
  s.a = ImVec2(a.x + 0.5f, a.y + 0.5f);  // ImDrawList::AddLine strokes through pixel centres
  s.b = ImVec2(b.x + 0.5f, b.y + 0.5f);
  s.color = color;
  s.width = thickness;
  record_->shapes.push_back(std::move(s));
}

void FigurePen::frame(ImVec2 min, ImVec2 max, ImU32 color, float thickness) {
  if (list_) list_->AddRect(min, max, color, 0, 0, thickness);
  if (!record_ || (color & IM_COL32_A_MASK) == 0) return;
  FigureShape s;
  s.kind = FigureShape::Kind::Frame;
  s.a = ImVec2(min.x + 0.5f, min.y + 0.5f);  // ImDrawList::AddRect's path, anti-aliased lines on
  s.b = ImVec2(max.x - 0.5f, max.y - 0.5f);
  s.color = color;
  s.width = thickness;
  record_->shapes.push_back(std::move(s));
}

void FigurePen::fill(ImVec2 min, ImVec2 max, ImU32 color, float rounding) {
  if (list_) list_->AddRectFilled(min, max, color, rounding);
  if (!record_ || (color & IM_COL32_A_MASK) == 0) return;
  FigureShape s;
  s.kind = FigureShape::Kind::Fill;
  s.a = min;
  s.b = max;
  s.color = color;
  s.width = rounding;
  record_->shapes.push_back(std::move(s));
}

namespace {

void push_text(FigureRecord* record, ImFont* font, float size, ImVec2 top_left, ImU32 color, std::string text,
               TextAnchor anchor) {
  if (text.empty() || (color & IM_COL32_A_MASK) == 0) return;
  // ImFont::RenderText starts at whole pixels and puts the baseline at the
  // font's rounded ascent, scaled from the size the atlas was built at.
  const float x = std::floor(top_left.x), y = std::floor(top_left.y);
  const float width = font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str()).x;
  FigureShape s;
  s.kind = FigureShape::Kind::Text;
  s.a = ImVec2(anchor == TextAnchor::Start ? x : anchor == TextAnchor::Middle ? x + width * 0.5f : x + width,
               y + std::round(font->Ascent) * size / font->FontSize);
  s.color = color;
  s.font_px = size;
  s.anchor = anchor;
  s.text = std::move(text);
  record->shapes.push_back(std::move(s));
}

}  // namespace

void FigurePen::text(ImVec2 top_left, ImU32 color, const std::string& text, TextAnchor anchor, ImFont* font,
                     float size) {
  if (!font) font = ImGui::GetFont();
  if (size <= 0) size = ImGui::GetFontSize();
  if (list_) list_->AddText(font, size, top_left, color, text.c_str());
  if (record_) push_text(record_, font, size, top_left, color, text, anchor);
}

void FigurePen::cells(HeatmapRenderer& renderer, const HeatmapTexture& texture, ImVec2 min, ImVec2 max, Colormap map,
                      const HeatmapStyle& style, const MatrixRM& values) {
  if (list_) renderer.draw(list_, texture, min, max, map, style);
  if (!record_ || texture.empty() || values.size() == 0 || max.x <= min.x || max.y <= min.y) return;
  record_->cells.push_back({values, map, style.diverging, std::clamp(style.dim, 0.0f, 1.0f)});
  FigureShape s;
  s.kind = FigureShape::Kind::Cells;
  s.a = min;
  s.b = max;
  s.cells = static_cast<int>(record_->cells.size()) - 1;
  record_->shapes.push_back(std::move(s));
}

void record_upright_text(FigureRecord* record, ImVec2 pivot, ImU32 color, const std::string& text) {
  if (!record) return;
  // Where the baseline starts before the turn, relative to the pivot, turned
  // as add_text_vertical turns every vertex: (dx, dy) -> (dy, -dx).
  const size_t before = record->shapes.size();
  push_text(record, ImGui::GetFont(), ImGui::GetFontSize(), pivot, color, text, TextAnchor::Start);
  if (record->shapes.size() == before) return;  // nothing drawn (empty or transparent)
  FigureShape& s = record->shapes.back();
  const ImVec2 d(s.a.x - pivot.x, s.a.y - pivot.y);
  s.a = ImVec2(pivot.x + d.y, pivot.y - d.x);
  s.upright = true;
}

void record_item_text(FigureRecord* record, const std::string& text, ImU32 color) {
  if (!record) return;
  push_text(record, ImGui::GetFont(), ImGui::GetFontSize(), ImGui::GetItemRectMin(), color, text, TextAnchor::Start);
}

void record_separator(FigureRecord* record) {
  // Separator draws its line along the top of its item.
  FigurePen(nullptr, record).line(ImGui::GetItemRectMin(), ImVec2(ImGui::GetItemRectMax().x, ImGui::GetItemRectMin().y),
                                  ImGui::GetColorU32(ImGuiCol_Separator), 1.0f);
}

void record_wrapped_text(FigureRecord* record, ImVec2 top_left, const std::string& text, ImU32 color,
                         float wrap_width) {
  if (!record) return;
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize(), scale = size / font->FontSize;
  // The same breaks as ImFont::RenderText: wrap where CalcWordWrapPositionA
  // says, skip the blanks after a wrap, and start a line at every newline.
  const char* s = text.data();
  const char* end = s + text.size();
  float y = top_left.y;
  std::string line;
  const auto flush = [&] {
    push_text(record, font, size, ImVec2(top_left.x, y), color, line, TextAnchor::Start);
    line.clear();
  };
  while (s < end) {
    const char* eol = font->CalcWordWrapPositionA(scale, s, end, wrap_width);
    if (eol == s)  // not even one character fits: ImGui shows one anyway
      do ++eol; while (eol < end && (static_cast<unsigned char>(*eol) & 0xC0) == 0x80);
    for (; s < eol; ++s) {
      if (*s == '\n') {
        flush();
        y += size;
      } else if (*s != '\r') {
        line += *s;
      }
    }
    flush();
    if (s >= end) break;
    y += size;
    while (s < end && (*s == ' ' || *s == '\t')) ++s;
    if (s < end && *s == '\n') ++s;
  }
}

MatrixRM ramp_values(bool vertical) {
  MatrixRM ramp = vertical ? MatrixRM(kColormapSize, 1) : MatrixRM(1, kColormapSize);  // [256, 1] or [1, 256]
  for (int i = 0; i < kColormapSize; ++i) {
    const float v = static_cast<float>(i) / (kColormapSize - 1);
    if (vertical) ramp(kColormapSize - 1 - i, 0) = v;
    else ramp(0, i) = v;
  }
  return ramp;
}

}  // namespace attnscope
