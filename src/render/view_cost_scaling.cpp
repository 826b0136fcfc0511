#include "render/view_cost_scaling.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/attention_cost.h"
#include "render/figure_record.h"
#include "render/log_plot.h"

namespace attnscope {

namespace {

// The same colours as the bars: vermillion for the T² term, blue for the T term.
ImU32 quadratic_color() { return to_color({213, 94, 0}); }
ImU32 linear_color() { return to_color({0, 114, 178}); }
ImU32 marker_color() { return to_color({230, 159, 0}); }

std::string status_line(const ScalingProgress& p, bool same_model) {
  if (!same_model || p.state == ScalingState::Idle) return "Waiting to measure this model.";
  if (p.planned.empty()) return "This model's context is too short to measure.";
  const std::string done = std::to_string(p.points.size()) + " of " + std::to_string(p.planned.size()) + " lengths";
  switch (p.state) {
    case ScalingState::Waiting:
    case ScalingState::Running: {
      const size_t next = std::min(p.points.size(), p.planned.size() - 1);
      return "Measuring T = " + std::to_string(p.planned[next]) + " in the background (" + done + " done)...";
    }
    case ScalingState::Cancelled: return "Measuring was cancelled (" + done + ").";
    case ScalingState::Failed: return "Measuring failed: " + p.note;
    default: break;
  }
  std::string line = "Measured " + done + ", each the fastest of " + std::to_string(kScalingRepeats) + " runs";
  return line + (p.note.empty() ? "." : "; " + p.note + ".");
}

// Both plots side by side when there is room, else one above the other.
ImVec2 plot_size(bool* side_by_side) {
  const float avail = ImGui::GetContentRegionAvail().x, em = ImGui::GetFontSize();
  *side_by_side = avail >= em * 40;
  const float w = *side_by_side ? (avail - em) * 0.5f : avail;
  return ImVec2(w, std::min(em * 20, std::max(em * 14, w * 0.8f)));
}

LogPlot measured_plot(const CostViewInput& in) {
  const AttentionSnapshot& s = *in.run;
  LogPlot plot;
  plot.id = "measured";
  plot.title = std::string("Measured: all ") + std::to_string(s.n_layers) + (s.decoder ? " encoder" : "") + " layers, ms";
  plot.y_tick = format_ms;
  plot.x_max = static_cast<float>(in.scaling.planned.empty() ? 16 : in.scaling.planned.back());
  plot.x_min = 16;
  PlotSeries mixing{"q\u00B7k, softmax, weights\u00B7v", quadratic_color(), {}, false};
  PlotSeries linear{"projections + MLP", linear_color(), {}, false};
  for (const ScalingPoint& p : in.scaling.points) {
    plot.x_min = std::min(plot.x_min, static_cast<float>(p.tokens));
    mixing.points.emplace_back(static_cast<float>(p.tokens), static_cast<float>(p.mixing_ms));
    linear.points.emplace_back(static_cast<float>(p.tokens), static_cast<float>(p.linear_ms()));
  }
  if (plot.x_max <= plot.x_min) plot.x_max = plot.x_min * 2;
  plot.series = {mixing, linear};
  if (const int t = measured_crossover(in.scaling.points))
    plot.markers.push_back({static_cast<float>(t), "attention ahead at T = " + std::to_string(t), marker_color()});
  return plot;
}

float next_power_of_two(double x) {
  float p = 16;
  while (p < x && p < (1 << 22)) p *= 2;
  return p;
}

LogPlot computed_plot(const Model& model) {
  const double crossover = crossover_tokens(model);
  const int context = model.config.max_positions;
  LogPlot plot;
  plot.id = "computed";
  plot.title = "Computed, not measured: FLOPs per layer";
  plot.x_max = next_power_of_two(2 * std::max(crossover, static_cast<double>(context)));
  PlotSeries quadratic{"attention 4\u00B7T\u00B2\u00B7D", quadratic_color(), {}, true};
  PlotSeries linear{"projections + MLP 2\u00B7T\u00B7(4D\u00B2 + 2DF)", linear_color(), {}, true};
  for (double t = plot.x_min; t <= plot.x_max; t *= 2) {
    const LayerFlops f = layer_flops(model, t);
    quadratic.points.emplace_back(static_cast<float>(t), static_cast<float>(f.quadratic));
    linear.points.emplace_back(static_cast<float>(t), static_cast<float>(f.linear));
  }
  plot.series = {quadratic, linear};
  plot.markers.push_back({static_cast<float>(context), "context " + std::to_string(context), style_color(ImGuiCol_TextDisabled)});
  plot.markers.push_back({static_cast<float>(crossover), "crossover T \u2248 " + std::to_string(static_cast<int>(std::lround(crossover))),
                          marker_color()});
  return plot;
}

std::string computed_note(const Model& model) {
  const ModelConfig& c = model.config;
  const int crossover = static_cast<int>(std::lround(crossover_tokens(model)));
  std::string note = "Computed from the FLOP counts (D = " + std::to_string(c.dim) + ", F = " + std::to_string(c.ffn_dim) +
                     "; a multiply-add is 2 FLOPs; the exact count for grouped or gated layers), not measured. "
                     "The T\u00B2 term catches up with the T term at T \u2248 " +
                     std::to_string(crossover);
  if (crossover > c.max_positions)
    note += ", past this model's context of " + std::to_string(c.max_positions) + ": its measured curves cannot cross there.";
  else
    note += ", inside this model's context of " + std::to_string(c.max_positions) + ".";
  return note;
}

}  // namespace

int measured_crossover(const std::vector<ScalingPoint>& points) {
  for (const ScalingPoint& p : points)
    if (p.mixing_ms >= p.linear_ms() && p.mixing_ms > 0) return p.tokens;
  return 0;
}

void draw_cost_scaling(const CostViewInput& in, const ViewDrawOptions& options) {
  const AttentionSnapshot& s = *in.run;
  const bool same_model = in.scaling.model == s.model;
  const ImU32 dim = style_color(ImGuiCol_TextDisabled);
  std::string what = "The loaded model on synthetic inputs of T = 16, 32, 64, ... tokens, up to its context (at most " +
                     std::to_string(kScalingMaxTokens) + ", " + std::to_string(static_cast<int>(kScalingBudgetSeconds)) +
                     " s in all).";
  if (s.decoder) what += " Encoder-decoder models: the encoder alone, reading T source tokens.";
  figure_wrapped_text(what, dim, options);
  figure_wrapped_text(status_line(in.scaling, same_model), dim, options);
  bool side_by_side = false;
  const ImVec2 size = plot_size(&side_by_side);
  FigurePen pen(ImGui::GetWindowDrawList(), options.record);
  if (same_model && !in.scaling.points.empty()) {
    draw_log_plot(pen, measured_plot(in), size, options.scale);
    if (side_by_side) ImGui::SameLine(0, ImGui::GetFontSize());
  }
  draw_log_plot(pen, computed_plot(*s.model), size, options.scale);
  if (same_model) {
    const int t = measured_crossover(in.scaling.points);
    if (t > 0)
      figure_wrapped_text("Measured: from T = " + std::to_string(t) +
                              " on, attention's q\u00B7k, softmax and weights\u00B7v take longer than all the projections and "
                              "the MLP together.",
                          style_color(ImGuiCol_Text), options);
  }
  figure_wrapped_text(computed_note(*s.model), dim, options);
}

}  // namespace attnscope
