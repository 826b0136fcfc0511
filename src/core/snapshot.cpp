#include "snapshot.h"

#include <cmath>
#include <limits>

#include "attention_kind.h"
#include "decoder_capture.h"
#include "encoder_decoder.h"
#include "weight_panels.h"

namespace attnscope {

bool AttentionSnapshot::key_masked(int key) const { return interventions.masked_keys.count(key) > 0; }

float AttentionSnapshot::score_scale() const {
  // T5 does not scale its scores and adds a relative position bias instead.
  const auto* ed = model ? model->encoder_decoder.get() : nullptr;
  return !ed || ed->config.scale_scores ? 1.0f / std::sqrt(static_cast<float>(head_dim)) : 1.0f;
}

const MatrixRM* AttentionSnapshot::score_bias(int h) const {
  const auto index = static_cast<size_t>(h);
  if (!position_bias.empty()) return index < position_bias.size() ? &position_bias[index] : nullptr;
  // A run's own snapshot is the encoder's; cross-attention has no position bias.
  if (kind == AttentionKind::Self && decoder && index < decoder->encoder_position_bias.size())
    return &decoder->encoder_position_bias[index];
  return nullptr;
}

float AttentionSnapshot::score(int layer, int h, int query, int key) const {
  const HeadCapture& cap = head(layer, h);
  float s = cap.q.row(query).dot(cap.k.row(key)) * score_scale();
  if (const MatrixRM* bias = score_bias(h)) s += (*bias)(query, key);
  return s;
}

MatrixRM AttentionSnapshot::scores(int layer, int h) const {
  const HeadCapture& cap = head(layer, h);
  MatrixRM s = (cap.q * cap.k.transpose()) * score_scale();  // [T, Tk]
  if (const MatrixRM* bias = score_bias(h)) s += *bias;
  const float neg_inf = -std::numeric_limits<float>::infinity();
  for (int i = 0; i < static_cast<int>(s.rows()); ++i)
    for (int j = 0; j < static_cast<int>(s.cols()); ++j)
      if ((causal && j > i) || key_masked(j)) s(i, j) = neg_inf;
  return s;
}

namespace {

// The output projection that follows the attention `kind` in `layer`.
const Linear& output_projection(const Model& model, AttentionKind kind, int layer) {
  const auto l = static_cast<size_t>(layer);
  switch (kind) {
    case AttentionKind::DecoderSelf: return model.encoder_decoder->weights.layers[l].self.wo;
    case AttentionKind::Cross: return model.encoder_decoder->weights.layers[l].cross.wo;
    case AttentionKind::Self: break;
  }
  return model.weights.layers[l].wo;
}

// x · Wo[:, head slice]ᵀ: rows of one head's Dh-wide values through its part
// of the output projection.                       x [R, Dh] -> [R, D]
MatrixRM through_output_projection(const MatrixRM& x, const Linear& wo, int h, int head_dim) {
  if (wo.panels) {
    MatrixRM y(x.rows(), wo.out);  // [R, D]
    for (int p = 0; p * kPanelColumns < wo.out; ++p)
      y.middleCols(p * kPanelColumns, panel_width(wo, p)).noalias() = x * panel(wo, p).middleRows(h * head_dim, head_dim);
    return y;
  }
  const int rows = wo.in_out ? wo.in : wo.out;
  const int cols = wo.in_out ? wo.out : wo.in;
  Eigen::Map<const MatrixRM, 0, Eigen::OuterStride<>> w(wo.w, rows, cols, Eigen::OuterStride<>(wo.stride));
  // The head owns input columns h*Dh .. h*Dh+Dh-1 of the output projection.
  if (wo.in_out) return x * w.middleRows(h * head_dim, head_dim);   // [R, Dh]·[Dh, D]
  return x * w.middleCols(h * head_dim, head_dim).transpose();       // [R, Dh]·[Dh, D]
}

}  // namespace

MatrixRM AttentionSnapshot::head_contribution(int layer, int h) const {
  return through_output_projection(head(layer, h).out, output_projection(*model, kind, layer), h, head_dim);
}

MatrixRM AttentionSnapshot::value_contribution(int layer, int h) const {
  return through_output_projection(head(layer, h).v, output_projection(*model, kind, layer), h, head_dim);
}

}  // namespace attnscope
