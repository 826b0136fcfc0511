#include "app/svg_figure.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "app/display_matrix.h"
#include "app/gl_heatmap.h"
#include "app/view_common.h"
#include "core/error.h"

namespace attnscope::app {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // Control characters are not allowed in XML 1.0 text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string hex(Rgb8 c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c.r, c.g, c.b);
  return buffer;
}

std::string num(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(v));
  return buffer;
}

std::string text_at(float x, float y, float size, const std::string& content, const std::string& extra = {}) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\"" + extra + ">" +
         escape(content) + "</text>\n";
}

std::vector<std::pair<float, std::string>> legend_ticks(ColorScale scale) {
  switch (scale) {
    case ColorScale::Linear: return {{0.0f, "0"}, {0.25f, "0.25"}, {0.5f, "0.5"}, {0.75f, "0.75"}, {1.0f, "1"}};
    case ColorScale::Log: return {{0.0f, "1e-4"}, {0.25f, "1e-3"}, {0.5f, "0.01"}, {0.75f, "0.1"}, {1.0f, "1"}};
    case ColorScale::PerRow: return {{0.0f, "0"}, {0.5f, "half"}, {1.0f, "row max"}};
  }
  return {};
}

}  // namespace

bool is_svg_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".svg";
}

std::string heatmap_svg(const AppState& state, const FigureSpec& spec, const HeatmapLayout& cells, int width_px,
                        int height_px) {
  if (!state.snapshot) throw Error("SVG export: nothing to export yet (no model run)");
  const DisplayMatrix m = build_display_matrix(*state.snapshot, state.selection, state.display);
  if (cells.rows != m.n_rows() || cells.cols != m.n_cols())
    throw Error("SVG export: the figure's layout has " + std::to_string(cells.rows) + "x" + std::to_string(cells.cols) +
                " cells but the matrix has " + std::to_string(m.n_rows()) + "x" + std::to_string(m.n_cols()));
  const float s = spec.scale;
  const float font = spec.font_size * s;
  const Rgb8 background = spec.light ? Rgb8{240, 240, 240} : Rgb8{15, 15, 15};
  const std::string ink = spec.light ? "#000000" : "#ffffff";
  const std::string dim = spec.light ? "#666666" : "#808080";

  std::string out;
  out.reserve(static_cast<size_t>(m.n_rows()) * static_cast<size_t>(m.n_cols()) * 80 + 16384);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width_px) + "\" height=\"" +
         std::to_string(height_px) + "\" viewBox=\"0 0 " + std::to_string(width_px) + " " + std::to_string(height_px) +
         "\" font-family=\"DejaVu Sans, sans-serif\" fill=\"" + ink + "\">\n";
  out += "<title>" + escape(spec.title + ": " + spec.detail) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"" + hex(background) + "\"/>\n";

  // Header, as in the PNG: title, sentence, head caption.
  float y = 8 * s + font * 1.5f;
  out += text_at(8 * s, y, font * 1.5f, spec.title, " font-weight=\"bold\"");
  y += font * 1.4f;
  out += text_at(8 * s, y, font, "\u201C" + spec.sentence + "\u201D");
  y += font * 1.4f;
  out += text_at(8 * s, y, font, spec.detail, " fill=\"" + dim + "\"");

  // Cells: one rect each, no anti-aliased seams between neighbours.
  out += "<g id=\"cells\" shape-rendering=\"crispEdges\">\n";
  for (int r = 0; r < m.n_rows(); ++r)
    for (int c = 0; c < m.n_cols(); ++c) {
      const float value = m.values(r, c);
      out += "<rect x=\"" + num(cells.x + c * cells.cell_w) + "\" y=\"" + num(cells.y + r * cells.cell_h) +
             "\" width=\"" + num(cells.cell_w) + "\" height=\"" + num(cells.cell_h) + "\" fill=\"" +
             hex(colormap_color(state.display.colormap, value)) + "\"><title>" +
             escape(token_label(state.snapshot->tokens[static_cast<size_t>(m.rows[static_cast<size_t>(r)])]) + " \u2192 " +
                    token_label(state.snapshot->tokens[static_cast<size_t>(m.cols[static_cast<size_t>(c)])]) + ": " +
                    std::to_string(m.weights(r, c))) +
             "</title></rect>\n";
    }
  out += "</g>\n";

  // Axis labels: queries to the left of their row, keys upright above their column.
  const float label_font = std::min(font, std::max(cells.cell_h * 0.8f, 6.0f * s));
  out += "<g id=\"query-labels\" text-anchor=\"end\">\n";
  for (int r = 0; r < m.n_rows(); ++r)
    out += text_at(cells.x - 4 * s, cells.y + (r + 0.5f) * cells.cell_h + label_font * 0.35f, label_font,
                   token_label(state.snapshot->tokens[static_cast<size_t>(m.rows[static_cast<size_t>(r)])]));
  out += "</g>\n<g id=\"key-labels\">\n";
  for (int c = 0; c < m.n_cols(); ++c) {
    const float x = cells.x + (c + 0.5f) * cells.cell_w + label_font * 0.35f, ly = cells.y - 4 * s;
    out += text_at(x, ly, label_font, token_label(state.snapshot->tokens[static_cast<size_t>(m.cols[static_cast<size_t>(c)])]),
                   " transform=\"rotate(-90 " + num(x) + " " + num(ly) + ")\"");
  }
  out += "</g>\n";

  // Legend: the 256 colours of the map, bottom (0) to top (1), right of the cells.
  const float grid_h = cells.rows * cells.cell_h;
  const float bar_x = cells.x + cells.cols * cells.cell_w + 16 * s, bar_w = 14 * s;
  const float bar_top = cells.y + font * 1.5f, bar_h = std::max(grid_h - font * 1.5f, 64 * s);
  out += "<g id=\"legend\">\n";
  out += text_at(bar_x, cells.y + font, font, std::string("weight (") + color_scale_name(state.display.scale) + ")");
  out += "<g shape-rendering=\"crispEdges\">\n";
  const auto& lut = colormap_lut(state.display.colormap);
  const float step = bar_h / kColormapSize;
  for (int i = 0; i < kColormapSize; ++i)
    out += "<rect x=\"" + num(bar_x) + "\" y=\"" + num(bar_top + bar_h - (i + 1) * step) + "\" width=\"" + num(bar_w) +
           "\" height=\"" + num(step + 0.02f) + "\" fill=\"" + hex(lut[static_cast<size_t>(i)]) + "\"/>\n";
  out += "</g>\n";
  for (const auto& [at, label] : legend_ticks(state.display.scale))
    out += text_at(bar_x + bar_w + 4 * s, bar_top + bar_h * (1 - at) + font * 0.35f, font, label);
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace attnscope::app
