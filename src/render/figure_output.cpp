#include "render/figure_output.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "core/decoder_capture.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/export_data.h"
#include "render/fonts.h"
#include "render/svg_figure.h"
#include "render/view_common.h"
#include "render/view_alignment.h"
#include "render/view_minimal_pair.h"
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

const char* attention_kind_title(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::Self: return "Encoder self-attention";
    case AttentionKind::DecoderSelf: return "Decoder self-attention";
    case AttentionKind::Cross: return "Cross-attention";
  }
  return "";
}

// What the figure shows, for its header; encoder-decoder figures name the kind of attention.
std::string figure_caption(const AppState& s, ViewId view) {
  if (!s.run || !s.run->decoder) return head_caption(*s.snapshot, s.selection, s.display.one_based_heads);
  if (view == ViewId::Alignment) {
    const int layer = std::clamp(s.selection.layer, 0, std::max(s.run->decoder->n_layers - 1, 0));
    return alignment_caption(*s.run, s.alignment, layer, s.selection.head);
  }
  std::string head = head_caption(*s.snapshot, s.selection, s.display.one_based_heads);  // "Layer 1, head 2"
  if (!head.empty()) head[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(head[0])));
  std::string caption = std::string(attention_kind_title(s.attention)) + ", " + head;
  if (s.step >= 0) caption += ", step " + std::to_string(s.step);
  return caption;
}

}  // namespace

FigureSpec make_figure_spec(const AppState& s, ViewId view, float width, float height, float scale, bool light) {
  FigureSpec spec;
  spec.title = view_title(view);
  // A translation's header shows both sentences.
  spec.sentence = header_sentence(s.run && s.run->decoder ? s.run->text + "  \u2192  " + s.run->decoder->target_text
                                                           : s.snapshot->text);
  if (view == ViewId::MinimalPair) spec.sentence = header_sentence(minimal_pair_sentences(s));
  spec.detail = figure_caption(s, view) + "   \u00B7   " + s.model->source.filename().string();
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
