#include "render/svg_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <stb/stb_image_write.h>

#include "core/xml_text.h"

namespace attnscope::svg {

namespace {

// DejaVu Sans (fonts-dejavu-core): unitsPerEm 2048, hhea ascender 1901 and
// descender -483. stb_truetype, inside ImGui, scales a font so that
// ascender - descender fills the requested pixel size.
constexpr float kEmPerPixelHeight = 2048.0f / (1901.0f + 483.0f);

Rgb8 rgb(ImU32 c) {
  return {static_cast<std::uint8_t>((c >> IM_COL32_R_SHIFT) & 0xFF), static_cast<std::uint8_t>((c >> IM_COL32_G_SHIFT) & 0xFF),
          static_cast<std::uint8_t>((c >> IM_COL32_B_SHIFT) & 0xFF)};
}

std::string base64(const std::vector<unsigned char>& bytes) {
  static const char* kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned>(bytes[i]) << 16 | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0) |
                       (i + 2 < bytes.size() ? bytes[i + 2] : 0);
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kDigits[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[v & 63] : '=';
  }
  return out;
}

std::string rect_attributes(ImVec2 min, ImVec2 max) {
  return "x=\"" + num(min.x) + "\" y=\"" + num(min.y) + "\" width=\"" + num(max.x - min.x) + "\" height=\"" +
         num(max.y - min.y) + "\"";
}

std::string shape(const FigureRecord& record, const FigureShape& s) {
  switch (s.kind) {
    case FigureShape::Kind::Text:
      return text(s.a.x, s.a.y, s.font_px, s.color, s.text, s.anchor,
                  s.upright ? " transform=\"rotate(-90 " + num(s.a.x) + " " + num(s.a.y) + ")\"" : std::string());
    case FigureShape::Kind::Line:
      return "<line x1=\"" + num(s.a.x) + "\" y1=\"" + num(s.a.y) + "\" x2=\"" + num(s.b.x) + "\" y2=\"" + num(s.b.y) +
             "\" stroke=" + paint(s.color, "stroke") + " stroke-width=\"" + num(s.width) + "\"/>\n";
    case FigureShape::Kind::Frame:
      return "<rect " + rect_attributes(s.a, s.b) + " fill=\"none\" stroke=" + paint(s.color, "stroke") +
             " stroke-width=\"" + num(s.width) + "\"/>\n";
    case FigureShape::Kind::Fill:
      return "<rect " + rect_attributes(s.a, s.b) + (s.width > 0 ? " rx=\"" + num(s.width) + "\"" : std::string()) +
             " fill=" + paint(s.color, "fill") + "/>\n";
    case FigureShape::Kind::Cells:
      if (s.cells < 0 || s.cells >= static_cast<int>(record.cells.size())) return {};
      return cells(record.cells[static_cast<size_t>(s.cells)], s.a, s.b);
  }
  return {};
}

// A coordinate as num() writes it (three decimals).
float written(float v) { return std::round(v * 1000.0f) / 1000.0f; }

}  // namespace

std::string hex(Rgb8 c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c.r, c.g, c.b);
  return buffer;
}

std::string num(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(v));
  // Trailing zeros say nothing and a cell grid has many numbers.
  std::string out = buffer;
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

std::string paint(ImU32 color, const char* which) {
  std::string out(1, '"');
  out += hex(rgb(color));
  out += '"';
  const unsigned alpha = (color >> IM_COL32_A_SHIFT) & 0xFF;
  if (alpha < 255) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.4f", alpha / 255.0);
    out.append(" ").append(which).append("-opacity=\"").append(buffer).append("\"");
  }
  return out;
}

float em_size(float font_px) { return font_px * kEmPerPixelHeight; }

std::string text(float x, float y, float font_px, ImU32 color, const std::string& content, TextAnchor anchor,
                 const std::string& extra) {
  const char* anchor_attribute = anchor == TextAnchor::Middle ? " text-anchor=\"middle\""
                                 : anchor == TextAnchor::End  ? " text-anchor=\"end\""
                                                              : "";
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(em_size(font_px)) + "\"" +
         anchor_attribute + " fill=" + paint(color, "fill") + extra + ">" + xml_escape(content) + "</text>\n";
}

std::string begin(const FigureSpec& spec, const FigureRecord& record, int width_px, int height_px) {
  const std::string w = std::to_string(width_px), h = std::to_string(height_px);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  // xml:space keeps runs of spaces in text ("Layer 1   ·   gpt2") as ImGui shows them.
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"" + w +
         "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h +
         "\" font-family=\"DejaVu Sans, sans-serif\" xml:space=\"preserve\">\n";
  out += "<title>" + xml_escape(spec.title + ": " + spec.detail) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"" + hex(rgb(record.background)) + "\"/>\n";
  const ImVec4 c = record.clip;
  if (c.z > c.x && c.w > c.y) {
    out += "<defs><clipPath id=\"figure-window\"><rect " + rect_attributes(ImVec2(c.x, c.y), ImVec2(c.z, c.w)) +
           "/></clipPath></defs>\n<g clip-path=\"url(#figure-window)\">\n";
  } else {
    out += "<g>\n";
  }
  return out;
}

std::string end() { return "</g>\n</svg>\n"; }

std::string groups(const FigureRecord& record, const std::function<bool(const std::string&)>& keep) {
  std::string out;
  for (size_t g = 0; g < record.groups.size(); ++g) {
    const FigureGroup& group = record.groups[g];
    if (!keep(group.id)) continue;
    const size_t last = g + 1 < record.groups.size() ? record.groups[g + 1].first : record.shapes.size();
    const ImVec4 c = group.clip;
    if (c.z > c.x && c.w > c.y) {
      const std::string clip_id = xml_escape(group.id) + "-clip";
      out += "<clipPath id=\"" + clip_id + "\"><rect " + rect_attributes(ImVec2(c.x, c.y), ImVec2(c.z, c.w)) +
             "/></clipPath>\n<g id=\"" + xml_escape(group.id) + "\" clip-path=\"url(#" + clip_id + ")\">\n";
    } else {
      out += "<g id=\"" + xml_escape(group.id) + "\">\n";
    }
    for (size_t i = group.first; i < last && i < record.shapes.size(); ++i) out += shape(record, record.shapes[i]);
    out += "</g>\n";
  }
  return out;
}

std::string cells(const FigureCells& cells, ImVec2 min, ImVec2 max) {
  const int rows = static_cast<int>(cells.values.rows()), cols = static_cast<int>(cells.values.cols());
  if (rows <= 0 || cols <= 0) return {};
  const float cell_w = (max.x - min.x) / static_cast<float>(cols), cell_h = (max.y - min.y) / static_cast<float>(rows);
  if (rows * cols <= kMaxCellRects) {
    // crispEdges: a pixel takes the cell its centre falls in, as GL's nearest sampling does.
    std::string out = "<g class=\"cells\" shape-rendering=\"crispEdges\">\n";
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols;) {
        const Rgb8 color = figure_cell_color(cells, cells.values(r, c));
        int run_end = c + 1;
        while (run_end < cols && figure_cell_color(cells, cells.values(r, run_end)) == color) ++run_end;
        // Each rect ends where the next begins, after the rounding num() applies:
        // a crispEdges renderer leaves a pixel row empty at the smallest gap.
        const float x = written(min.x + c * cell_w), y = written(min.y + r * cell_h);
        const float x_end = written(min.x + run_end * cell_w), y_end = written(min.y + (r + 1) * cell_h);
        out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(x_end - x) + "\" height=\"" + num(y_end - y) +
               "\" fill=\"" + hex(color) + "\"/>\n";
        c = run_end;
      }
    }
    return out + "</g>\n";
  }
  // A large matrix becomes an image of the pixels GL filled: those whose
  // centre lies inside the rectangle, each the texel under its centre. At the
  // figure's size it reproduces the PNG exactly, with no resampling by the SVG
  // renderer (many ignore image-rendering). When the rectangle has fewer
  // pixels than cells, each pixel is split `fine` times so no cell is lost.
  const int x0 = static_cast<int>(std::ceil(min.x - 0.5f)), x1 = static_cast<int>(std::ceil(max.x - 0.5f));
  const int y0 = static_cast<int>(std::ceil(min.y - 0.5f)), y1 = static_cast<int>(std::ceil(max.y - 0.5f));
  if (x1 <= x0 || y1 <= y0) return {};
  const int fine = std::max({1, (cols + x1 - x0 - 1) / (x1 - x0), (rows + y1 - y0 - 1) / (y1 - y0)});
  const int width = (x1 - x0) * fine, height = (y1 - y0) * fine;
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);  // [height, width, 3]
  for (int py = 0; py < height; ++py) {
    const float v = (y0 + (py + 0.5f) / fine - min.y) / (max.y - min.y);
    const int r = std::clamp(static_cast<int>(std::floor(v * rows)), 0, rows - 1);
    for (int px = 0; px < width; ++px) {
      const float u = (x0 + (px + 0.5f) / fine - min.x) / (max.x - min.x);
      const int c = std::clamp(static_cast<int>(std::floor(u * cols)), 0, cols - 1);
      const Rgb8 color = figure_cell_color(cells, cells.values(r, c));
      unsigned char* p = &pixels[(static_cast<size_t>(py) * static_cast<size_t>(width) + static_cast<size_t>(px)) * 3];
      p[0] = color.r;
      p[1] = color.g;
      p[2] = color.b;
    }
  }
  std::vector<unsigned char> png;
  stbi_write_png_to_func(
      [](void* context, void* data, int size) {
        auto* bytes = static_cast<std::vector<unsigned char>*>(context);
        bytes->insert(bytes->end(), static_cast<unsigned char*>(data), static_cast<unsigned char*>(data) + size);
      },
      &png, width, height, 3, pixels.data(), width * 3);
  return "<image class=\"cells\" " + rect_attributes(ImVec2(static_cast<float>(x0), static_cast<float>(y0)),
                                                    ImVec2(static_cast<float>(x1), static_cast<float>(y1))) +
         " preserveAspectRatio=\"none\" image-rendering=\"pixelated\" style=\"image-rendering:pixelated\""
         " xlink:href=\"data:image/png;base64," + base64(png) + "\"/>\n";
}

}  // namespace attnscope::svg
