#include "snapshot.h"

#include <cmath>
#include <limits>

#include "decoder_capture.h"
#include "encoder_decoder.h"

namespace attnscope {

bool AttentionSnapshot::key_masked(int key) const { return interventions.masked_keys.count(key) > 0; }

MatrixRM AttentionSnapshot::scores(int layer, int h) const {
  const HeadCapture& cap = head(layer, h);
  // T5 does not scale its scores and adds a relative position bias instead.
  const auto* ed = model->encoder_decoder.get();
  const bool scaled = !ed || ed->config.scale_scores;
  MatrixRM s = (cap.q * cap.k.transpose()) * (scaled ? 1.0f / std::sqrt(static_cast<float>(head_dim)) : 1.0f);  // [T, Tk]
  if (decoder && !decoder->encoder_position_bias.empty()) s += decoder->encoder_position_bias[static_cast<size_t>(h)];
  const float neg_inf = -std::numeric_limits<float>::infinity();
  for (int i = 0; i < static_cast<int>(s.rows()); ++i)
    for (int j = 0; j < static_cast<int>(s.cols()); ++j)
      if ((causal && j > i) || key_masked(j)) s(i, j) = neg_inf;
  return s;
}

MatrixRM AttentionSnapshot::head_contribution(int layer, int h) const {
  const Linear& wo = model->weights.layers[static_cast<size_t>(layer)].wo;
  const HeadCapture& cap = head(layer, h);
  const int rows = wo.in_out ? wo.in : wo.out;
  const int cols = wo.in_out ? wo.out : wo.in;
  Eigen::Map<const MatrixRM, 0, Eigen::OuterStride<>> w(wo.w, rows, cols, Eigen::OuterStride<>(wo.stride));
  // The head owns input columns h*Dh .. h*Dh+Dh-1 of the output projection.
  if (wo.in_out) return cap.out * w.middleRows(h * head_dim, head_dim);   // [T, Dh]·[Dh, D]
  return cap.out * w.middleCols(h * head_dim, head_dim).transpose();       // [T, Dh]·[Dh, D]
}

}  // namespace attnscope
