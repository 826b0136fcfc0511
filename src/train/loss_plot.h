// The loss curve of a training run, drawn from its log (the progress and
// validation lines Trainer::run writes) as an SVG line chart, for the docs.
#pragma once
#include <string>
#include <vector>

namespace attnscope::train {

struct LossPoint {
  int step = 0;
  double loss = 0;
};

struct LossCurves {
  std::vector<LossPoint> training;    // "step 120/5000 | loss 5.12 | ..."
  std::vector<LossPoint> validation;  // "step 250 | validation loss 4.87"
};

// Reads every progress and validation line of a log; other lines are skipped.
// A resumed run's log may repeat steps: the later line wins.
LossCurves parse_training_log(const std::string& log);

// An SVG chart of both curves against the step, with axes, ticks and a legend.
std::string loss_curve_svg(const LossCurves& curves, const std::string& title);

}  // namespace attnscope::train
