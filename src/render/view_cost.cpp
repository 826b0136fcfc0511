#include "render/view_cost.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "core/attention_cost.h"
#include "core/decoder_capture.h"
#include "render/figure_record.h"
#include "render/log_plot.h"
#include "render/view_cost_scaling.h"

namespace attnscope {

namespace {

// The parts of a layer's time, in bar order, with the Okabe-Ito colours the plots use.
struct Part {
  const char* label;
  Rgb8 color;
};
constexpr Part kParts[] = {
    {"q\u00B7k, softmax, weights\u00B7v (T\u00B2)", {213, 94, 0}},
    {"Q/K/V/O projections (T)", {86, 180, 233}},
    {"MLP (T)", {0, 114, 178}},
    {"norms, residual, copies", {128, 128, 128}},
};

std::vector<double> parts_of(const LayerTiming& t) {
  const double rest = std::max(0.0, t.total_ms - t.mixing_ms - t.projections_ms - t.mlp_ms);
  return {t.mixing_ms, t.projections_ms, t.mlp_ms, rest};
}

std::string ms_text(double ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, ms < 10 ? "%.2f" : "%.1f", ms);
  return buffer;
}

void draw_part_legend(FigurePen& pen, float scale) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float chip = ImGui::GetTextLineHeight() * 0.8f, gap = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  float x = at.x, y = at.y;
  for (const Part& p : kParts) {
    const float w = chip + 4 * scale + ImGui::CalcTextSize(p.label).x;
    if (x > at.x && x + w > at.x + avail) x = at.x, y += ImGui::GetTextLineHeightWithSpacing();
    const float cy = y + (ImGui::GetTextLineHeight() - chip) * 0.5f;
    pen.fill(ImVec2(x, cy), ImVec2(x + chip, cy + chip), to_color(p.color));
    pen.text(ImVec2(x + chip + 4 * scale, y), style_color(ImGuiCol_Text), p.label);
    x += w + gap;
  }
  ImGui::Dummy(ImVec2(avail, y - at.y + ImGui::GetTextLineHeightWithSpacing()));
}

// label | weights | stacked bar | "attention a ms · MLP b ms"
struct LayerColumns {
  float entries = 0, bar = 0, bar_w = 0, times = 0;
};

LayerColumns layer_columns(const std::string& widest_entries) {
  const float em = ImGui::GetFontSize(), x0 = ImGui::GetCursorScreenPos().x, avail = ImGui::GetContentRegionAvail().x;
  LayerColumns c;
  c.entries = x0 + ImGui::CalcTextSize("decoder 00").x + em;
  const float entries_w = std::max(ImGui::CalcTextSize(widest_entries.c_str()).x, ImGui::CalcTextSize("weights").x);
  c.bar = c.entries + entries_w + em;
  const float times_w = ImGui::CalcTextSize("attention 00.00 + MLP 00.00 ms").x;
  c.bar_w = std::clamp(avail - (c.bar - x0) - times_w - em, em * 5.0f, em * 22.0f);
  c.times = c.bar + c.bar_w + em * 0.6f;
  return c;
}

void draw_layer_row(FigurePen& pen, const LayerColumns& c, const std::string& label, const std::string& entries,
                    const LayerTiming& t, double max_total, float scale) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float row_h = ImGui::GetTextLineHeightWithSpacing() * 1.1f;
  ImGui::Dummy(ImVec2(c.times - at.x + ImGui::CalcTextSize("attention 00.00 + MLP 00.00 ms").x, row_h));
  const float ty = at.y + (row_h - ImGui::GetTextLineHeight()) * 0.5f;
  const ImU32 text = style_color(ImGuiCol_Text);
  pen.text(ImVec2(at.x, ty), text, label);
  const float entries_right = c.bar - ImGui::GetFontSize();
  pen.text(ImVec2(entries_right - ImGui::CalcTextSize(entries.c_str()).x, ty), text, entries, TextAnchor::End);
  const float y0 = at.y + row_h * 0.2f, y1 = at.y + row_h * 0.8f;
  float x = c.bar;
  const std::vector<double> parts = parts_of(t);
  for (size_t i = 0; i < parts.size(); ++i) {
    const float w = max_total > 0 ? static_cast<float>(parts[i] / max_total) * c.bar_w : 0.0f;
    if (w > 0) pen.fill(ImVec2(x, y0), ImVec2(x + w, y1), to_color(kParts[i].color));
    x += w;
  }
  pen.frame(ImVec2(c.bar, y0), ImVec2(c.bar + c.bar_w, y1), style_color(ImGuiCol_Border), 1.0f * scale);
  pen.text(ImVec2(c.times, ty), style_color(ImGuiCol_TextDisabled),
           "attention " + ms_text(t.attention_ms()) + " + MLP " + ms_text(t.mlp_ms) + " ms");
}

// One block of rows: the encoder (or the only) stack, or the decoder.
void draw_layer_rows(FigurePen& pen, const LayerColumns& c, const std::vector<LayerTiming>& layers, const char* prefix,
                     const std::string& entries, double max_total, float scale) {
  for (size_t l = 0; l < layers.size(); ++l)
    draw_layer_row(pen, c, prefix + std::to_string(l), entries, layers[l], max_total, scale);
}

double max_total(const ForwardTiming& t) {
  double m = 0;
  for (const auto* layers : {&t.layers, &t.decoder_layers})
    for (const LayerTiming& l : *layers) m = std::max(m, l.total_ms);
  return m;
}

void draw_entries_summary(const AttentionSnapshot& s, const ViewDrawOptions& options) {
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  const int T = s.n_tokens, H = s.n_heads;
  const std::int64_t per_layer = attention_entries(H, T, T);
  figure_wrapped_text("T = " + std::to_string(T) + " tokens, H = " + std::to_string(H) + " heads: H\u00B7T\u00B2 = " +
                          std::to_string(H) + " \u00D7 " + std::to_string(T) + "\u00B2 = " + with_thousands(per_layer) +
                          " attention weights per layer, " + with_thousands(per_layer * s.n_layers) + " in all " +
                          std::to_string(s.n_layers) + " layers.",
                      text, options);
  if (s.decoder) {
    const DecoderCapture& d = *s.decoder;
    figure_wrapped_text("Decoder, Tt = " + std::to_string(d.n_tokens) + ": self-attention H\u00B7Tt\u00B2 = " +
                            with_thousands(attention_entries(H, d.n_tokens, d.n_tokens)) + " and cross-attention H\u00B7Tt\u00B7T = " +
                            with_thousands(attention_entries(H, d.n_tokens, T)) + " per layer.",
                        text, options);
  } else if (s.causal) {
    figure_wrapped_text("The causal mask leaves H\u00B7T(T+1)/2 = " + with_thousands(causal_entries(H, T)) +
                            " of them non-zero; all " + with_thousands(per_layer) + " are stored.",
                        dim, options);
  }
}

void draw_timing_table(const AttentionSnapshot& s, const ViewDrawOptions& options) {
  const ForwardTiming& t = s.timing;
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  if (t.empty()) {
    figure_text("This run was not timed.", dim, options);
    return;
  }
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("layer-times");
  const std::string entries = with_thousands(attention_entries(s.n_heads, s.n_tokens, s.n_tokens));
  std::string cross_entries;
  if (s.decoder)
    cross_entries = with_thousands(attention_entries(s.n_heads, s.decoder->n_tokens, s.decoder->n_tokens) +
                                   attention_entries(s.n_heads, s.decoder->n_tokens, s.n_tokens));
  const LayerColumns c = layer_columns(cross_entries.size() > entries.size() ? cross_entries : entries);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  pen.text(ImVec2(at.x, at.y), dim, "layer");
  const float entries_right = c.bar - ImGui::GetFontSize();
  pen.text(ImVec2(entries_right - ImGui::CalcTextSize("weights").x, at.y), dim, "weights", TextAnchor::End);
  pen.text(ImVec2(c.bar, at.y), dim, "time, measured on this run");
  ImGui::Dummy(ImVec2(c.times - at.x, ImGui::GetTextLineHeightWithSpacing()));
  const double longest = max_total(t);
  draw_layer_rows(pen, c, t.layers, s.decoder ? "encoder " : "", entries, longest, options.scale);
  if (s.decoder) draw_layer_rows(pen, c, t.decoder_layers, "decoder ", cross_entries, longest, options.scale);
  draw_part_legend(pen, options.scale);
  std::string total = "Whole forward pass " + ms_text(t.total_ms) + " ms (embeddings to predictions).";
  if (t.rows < s.n_tokens)
    total += " Typing at the end reused earlier rows: this run computed " + std::to_string(t.rows) + " of " +
             std::to_string(s.n_tokens) + " rows, and the times are theirs.";
  if (s.decoder)
    total += " Decoder layers count self- and cross-attention together; the encoder output's cross keys and values are "
             "decoder projections.";
  figure_wrapped_text(total, dim, options);
}

void draw_memory(const AttentionSnapshot& s, const ViewDrawOptions& options) {
  const std::vector<TensorBytes> tensors = snapshot_tensors(s);
  figure_text("Snapshot memory: " + format_bytes(total_bytes(tensors)) + " of float tensors, kept for the views",
              style_color(ImGuiCol_Text), options);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  pen.group("memory");
  float what_w = 0, shape_w = 0;
  for (const TensorBytes& t : tensors) {
    what_w = std::max(what_w, ImGui::CalcTextSize(t.what.c_str()).x);
    shape_w = std::max(shape_w, ImGui::CalcTextSize(t.shape.c_str()).x);
  }
  const float em = ImGui::GetFontSize(), indent = em;
  const ImU32 text = style_color(ImGuiCol_Text), dim = style_color(ImGuiCol_TextDisabled);
  for (const TensorBytes& t : tensors) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float bytes_right = at.x + indent + what_w + em + shape_w + em + ImGui::CalcTextSize("000.0 kB").x;
    ImGui::Dummy(ImVec2(bytes_right - at.x, ImGui::GetTextLineHeight()));
    pen.text(ImVec2(at.x + indent, at.y), text, t.what);
    pen.text(ImVec2(at.x + indent + what_w + em, at.y), dim, t.shape);
    const std::string bytes = format_bytes(t.bytes());
    pen.text(ImVec2(bytes_right - ImGui::CalcTextSize(bytes.c_str()).x, at.y), text, bytes, TextAnchor::End);
  }
}

void heading(const std::string& text, const ViewDrawOptions& options) {
  ImGui::Spacing();
  figure_text(text, style_color(ImGuiCol_Text), options);
  record_separator(options.record);
  ImGui::Separator();
}

}  // namespace

std::string with_thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string format_bytes(std::int64_t bytes) {
  char buffer[32];
  if (bytes < 1000) std::snprintf(buffer, sizeof buffer, "%lld B", static_cast<long long>(bytes));
  else if (bytes < 1000000) std::snprintf(buffer, sizeof buffer, "%.1f kB", bytes / 1e3);
  else if (bytes < 1000000000) std::snprintf(buffer, sizeof buffer, "%.2f MB", bytes / 1e6);
  else std::snprintf(buffer, sizeof buffer, "%.2f GB", bytes / 1e9);
  return buffer;
}

void draw_cost_view(const CostViewInput& input, const ViewDrawOptions& options) {
  if (!input.run || !input.run->model) {
    figure_text("No run yet: load a model and type a sentence.", style_color(ImGuiCol_TextDisabled), options);
    return;
  }
  const AttentionSnapshot& s = *input.run;
  figure_wrapped_text("Attention costs O(T\u00B2): every query looks at every key. The MLP and the projections treat each "
                      "token alone, so they grow with T.",
                      style_color(ImGuiCol_Text), options);
  heading("This text", options);
  draw_entries_summary(s, options);
  draw_timing_table(s, options);
  heading("Memory", options);
  draw_memory(s, options);
  heading("As T doubles", options);
  draw_cost_scaling(input, options);
}

}  // namespace attnscope
