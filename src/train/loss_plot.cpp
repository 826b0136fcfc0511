#include "train/loss_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/xml_text.h"

namespace attnscope::train {
namespace {

// "step 120/5000 | loss 5.12 | ..." or "step 250 | validation loss 4.87"
void parse_line(const std::string& line, std::map<int, double>& training, std::map<int, double>& validation) {
  int step = 0, total = 0;
  double loss = 0;
  if (std::sscanf(line.c_str(), "step %d/%d | loss %lf", &step, &total, &loss) == 3) training[step] = loss;
  else if (std::sscanf(line.c_str(), "step %d | validation loss %lf", &step, &loss) == 2) validation[step] = loss;
}

std::vector<LossPoint> points(const std::map<int, double>& by_step) {
  std::vector<LossPoint> out;
  for (const auto& [step, loss] : by_step)
    if (std::isfinite(loss)) out.push_back({step, loss});
  return out;
}

// A round step for about five ticks over [0, span].
double tick_step(double span) {
  const double raw = span / 5, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}


}  // namespace

LossCurves parse_training_log(const std::string& log) {
  std::map<int, double> training, validation;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) parse_line(line, training, validation);
  return {points(training), points(validation)};
}

std::string loss_curve_svg(const LossCurves& c, const std::string& title) {
  if (c.training.empty()) throw Error("the log has no progress lines (\"step N/M | loss X\")");
  constexpr double W = 720, H = 420, left = 64, right = 24, top = 48, bottom = 56;
  double max_step = c.training.back().step, max_loss = 0;
  for (const auto* curve : {&c.training, &c.validation})
    for (const LossPoint& p : *curve) {
      max_step = std::max(max_step, static_cast<double>(p.step));
      max_loss = std::max(max_loss, p.loss);
    }
  const double y_tick = tick_step(max_loss), y_max = std::ceil(max_loss / y_tick) * y_tick;
  // The curve ends at the right edge: the last step is the run's length.
  const double x_tick = tick_step(max_step), x_max = std::max(max_step, 1.0);
  const auto x = [&](double step) { return left + (W - left - right) * step / x_max; };
  const auto y = [&](double loss) { return H - bottom - (H - top - bottom) * loss / y_max; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W << ' ' << H
      << "\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      << "<text x=\"" << left << "\" y=\"28\" font-size=\"16\">" << xml_escape(title) << "</text>\n";
  for (double v = 0; v <= y_max + 1e-9; v += y_tick)
    svg << "<line x1=\"" << left << "\" x2=\"" << W - right << "\" y1=\"" << y(v) << "\" y2=\"" << y(v)
        << "\" stroke=\"#e4e4e4\"/><text x=\"" << left - 8 << "\" y=\"" << y(v) + 4 << "\" text-anchor=\"end\">" << number(v)
        << "</text>\n";
  for (double s = 0; s <= x_max + 1e-9; s += x_tick)
    svg << "<text x=\"" << x(s) << "\" y=\"" << H - bottom + 18 << "\" text-anchor=\"middle\">" << number(s) << "</text>\n";
  svg << "<line x1=\"" << left << "\" x2=\"" << W - right << "\" y1=\"" << y(0) << "\" y2=\"" << y(0) << "\" stroke=\"#444\"/>\n"
      << "<text x=\"" << (left + W - right) / 2 << "\" y=\"" << H - 14 << "\" text-anchor=\"middle\">optimizer step</text>\n"
      << "<text transform=\"translate(18 " << (top + H - bottom) / 2 << ") rotate(-90)\" text-anchor=\"middle\">cross-entropy (nats)</text>\n";
  const auto polyline = [&](const std::vector<LossPoint>& curve, const char* colour, double width) {
    svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"" << width << "\" points=\"";
    for (const LossPoint& p : curve) svg << x(p.step) << ',' << y(p.loss) << ' ';
    svg << "\"/>\n";
  };
  polyline(c.training, "#0072b2", 1.2);
  if (!c.validation.empty()) polyline(c.validation, "#d55e00", 2.2);
  const double lx = W - right - 190, ly = top + 8;
  svg << "<line x1=\"" << lx << "\" x2=\"" << lx + 24 << "\" y1=\"" << ly << "\" y2=\"" << ly << "\" stroke=\"#0072b2\" stroke-width=\"2\"/>"
      << "<text x=\"" << lx + 30 << "\" y=\"" << ly + 4 << "\">training batch</text>\n";
  if (!c.validation.empty())
    svg << "<line x1=\"" << lx << "\" x2=\"" << lx + 24 << "\" y1=\"" << ly + 18 << "\" y2=\"" << ly + 18
        << "\" stroke=\"#d55e00\" stroke-width=\"2.2\"/><text x=\"" << lx + 30 << "\" y=\"" << ly + 22 << "\">validation</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace attnscope::train
