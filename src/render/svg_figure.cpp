#include "render/svg_figure.h"

#include <algorithm>
#include <cctype>

#include "scene/display_matrix.h"
#include "render/figure_record.h"
#include "render/gl_heatmap.h"
#include "render/svg_writer.h"
#include "render/view_common.h"
#include "core/error.h"
#include "core/xml_text.h"

namespace attnscope {

bool is_svg_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".svg";
}

std::string heatmap_svg(const AppState& state, const FigureSpec& spec, const HeatmapLayout& cells,
                        const FigureRecord& record, int width_px, int height_px) {
  if (!state.snapshot) throw Error("SVG export: nothing to export yet (no model run)");
  const DisplayMatrix m = build_display_matrix(*state.snapshot, state.selection, state.display);
  if (cells.rows != m.n_rows() || cells.cols != m.n_cols())
    throw Error("SVG export: the figure's layout has " + std::to_string(cells.rows) + "x" + std::to_string(cells.cols) +
                " cells but the matrix has " + std::to_string(m.n_rows()) + "x" + std::to_string(m.n_cols()));
  const auto label = [&](int index) { return token_label(state.snapshot->tokens[static_cast<size_t>(index)]); };
  const auto key_label = [&](int index) { return token_label(state.snapshot->keys()[static_cast<size_t>(index)]); };

  std::string out;
  out.reserve(static_cast<size_t>(m.n_rows()) * static_cast<size_t>(m.n_cols()) * 80 + 16384);
  out += svg::begin(spec, record, width_px, height_px);
  out += svg::groups(record, [](const std::string& id) { return id == "header"; });

  // Cells: one rect each, no anti-aliased seams between neighbours.
  out += "<g id=\"cells\" shape-rendering=\"crispEdges\">\n";
  for (int r = 0; r < m.n_rows(); ++r)
    for (int c = 0; c < m.n_cols(); ++c) {
      const float value = m.values(r, c);
      out += "<rect x=\"" + svg::num(cells.x + c * cells.cell_w) + "\" y=\"" + svg::num(cells.y + r * cells.cell_h) +
             "\" width=\"" + svg::num(cells.cell_w) + "\" height=\"" + svg::num(cells.cell_h) + "\" fill=\"" +
             svg::hex(colormap_color(state.display.colormap, value)) + "\"><title>" +
             xml_escape(label(m.rows[static_cast<size_t>(r)]) + " \u2192 " + key_label(m.cols[static_cast<size_t>(c)]) +
                         ": " + std::to_string(m.weights(r, c))) +
             "</title></rect>\n";
    }
  out += "</g>\n";

  // Highlights, border, axis labels and legend, as the figure drew them.
  out += svg::groups(record, [](const std::string& id) { return id != "header"; });
  return out + svg::end();
}

std::string recorded_svg(const FigureSpec& spec, const FigureRecord& record, int width_px, int height_px) {
  return svg::begin(spec, record, width_px, height_px) + svg::groups(record, [](const std::string&) { return true; }) +
         svg::end();
}

}  // namespace attnscope
