#include "render/figure_output.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/export_data.h"
#include "render/fonts.h"
#include "render/svg_figure.h"
#include "render/view_common.h"
#include "render/views.h"

namespace attnscope {

namespace {

constexpr size_t kMaxSentenceInFigure = 240;  // bytes of the sentence printed in a figure header

// A sentence short enough for a figure header, cut on a UTF-8 boundary.
std::string header_sentence(const std::string& text) {
  if (text.size() <= kMaxSentenceInFigure) return text;
  size_t cut = kMaxSentenceInFigure;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

bool is_png_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png";
}

}  // namespace

FigureSpec make_figure_spec(const AppState& s, ViewId view, float width, float height, float scale, bool light) {
  FigureSpec spec;
  spec.title = view_title(view);
  spec.sentence = header_sentence(s.snapshot->text);
  spec.detail = head_caption(*s.snapshot, s.selection) + "   \u00B7   " + s.model->source.filename().string();
  if (!s.snapshot->interventions.ablated_heads.empty())
    spec.detail += "   \u00B7   " + std::to_string(s.snapshot->interventions.ablated_heads.size()) + " head(s) off";
  spec.width = width;
  spec.height = height;
  spec.scale = scale;
  spec.font_size = kBaseFontSize;
  spec.light = light;
  return spec;
}

DrawnFigure draw_figure(Views& views, AppState& state, ViewId view, const FigureSpec& spec, bool for_svg) {
  DrawnFigure figure;
  figure.spec = spec;
  ViewDrawOptions options;
  options.exporting = true;
  options.scale = spec.scale;
  if (for_svg) options.record = &figure.record;
  figure.image = render_figure(spec, [&] { views.draw_content(view, state, options); }, options.record);
  return figure;
}

DrawnFigure write_figure(Views& views, AppState& state, ViewId view, const FigureSpec& spec,
                         const std::filesystem::path& out, bool overwrite) {
  const bool svg = is_svg_path(out);
  if (!svg && !is_png_path(out))
    throw Error(ErrorKind::Usage, out.string() + ": a figure is written as .png or .svg");
  const Overwrite policy = overwrite ? Overwrite::Allow : Overwrite::Refuse;
  check_output_path(out, policy);  // before drawing: a refused name costs nothing
  if (svg) check_svg_supported(view);
  DrawnFigure figure = draw_figure(views, state, view, spec, svg);
  if (svg) {
    // The SVG is made from what the PNG render drew: shapes land on the same pixels.
    const int w = figure.image.width, h = figure.image.height;
    write_export(out,
                 view == ViewId::Heatmap ? heatmap_svg(state, spec, views.heatmap_layout(), figure.record, w, h)
                                         : recorded_svg(spec, figure.record, w, h),
                 overwrite);
    return figure;
  }
  write_png(out, figure.image, policy);
  return figure;
}

}  // namespace attnscope
