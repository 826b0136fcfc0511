// The loss-curve plot reads the trainer's own log lines and draws both curves.
#include <gtest/gtest.h>

#include "core/error.h"
#include "train/loss_plot.h"

namespace attnscope::train {
namespace {

TEST(LossPlot, ReadsProgressAndValidationLines) {
  const std::string log =
      "corpus: generated=1.00, 1 MB, seed 1\n"
      "step 50/200 | loss 8.2908 | grad 1.33 | lr 1.67e-04 | 11506 tok/s on 1.9 cores | 18s elapsed | ETA 53s\n"
      "step 100/200 | loss 7.0258 | grad 1.42 | lr 3.33e-04 | 11756 tok/s on 1.9 cores | 35s elapsed | ETA 35s\n"
      "step 100 | validation loss 6.9\n"
      "step 100 | checkpoint ckpt\n"
      "resumed at step 50 from ckpt\n"
      "step 100/200 | loss 7.0 | grad 1.42 | lr 3.33e-04 | 11756 tok/s on 1.9 cores | 35s elapsed | ETA 35s\n";
  const LossCurves curves = parse_training_log(log);
  ASSERT_EQ(curves.training.size(), 2u);
  EXPECT_EQ(curves.training[0].step, 50);
  EXPECT_DOUBLE_EQ(curves.training[0].loss, 8.2908);
  EXPECT_DOUBLE_EQ(curves.training[1].loss, 7.0);  // the resumed run's line wins
  ASSERT_EQ(curves.validation.size(), 1u);
  EXPECT_DOUBLE_EQ(curves.validation[0].loss, 6.9);

  const std::string svg = loss_curve_svg(curves, "tiny <model> & co");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("tiny &lt;model&gt; &amp; co"), std::string::npos);
  std::size_t polylines = 0;
  for (std::size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at) ++polylines;
  EXPECT_EQ(polylines, 2u);  // training and validation
  EXPECT_NE(svg.find("validation"), std::string::npos);
  EXPECT_THROW(loss_curve_svg(parse_training_log("no progress here\n"), "x"), Error);
}

}  // namespace
}  // namespace attnscope::train
