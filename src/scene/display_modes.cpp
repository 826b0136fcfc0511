#include "scene/display_modes.h"

namespace attnscope {

MatrixRM value_weighted(const MatrixRM& probs, const MatrixRM& value_out) {
  const Eigen::RowVectorXf norms = value_out.rowwise().norm().transpose();  // [Tk] ‖v_j W_O‖
  MatrixRM out = probs.array().rowwise() * norms.array();                   // [T, Tk] α_ij is a scalar, so ‖α_ij v_j W_O‖ = α_ij ‖v_j W_O‖
  for (int i = 0; i < out.rows(); ++i) {
    const float sum = out.row(i).sum();
    if (sum > 0) out.row(i) /= sum;
  }
  return out;
}

MatrixRM with_residual(const MatrixRM& attention) {
  MatrixRM out = 0.5f * (attention + MatrixRM::Identity(attention.rows(), attention.cols()));  // [T, T]
  // A switched-off layer's rows are zero, so their sum is 1/2, not 1.
  for (int i = 0; i < out.rows(); ++i) out.row(i) /= out.row(i).sum();
  return out;
}

MatrixRM attention_rollout(const std::vector<MatrixRM>& layer_means) {
  MatrixRM rollout = with_residual(layer_means.front());  // [T, T]
  for (size_t l = 1; l < layer_means.size(); ++l) rollout = with_residual(layer_means[l]) * rollout;
  return rollout;
}

bool display_mode_applies(const AttentionSnapshot& snapshot, DisplayMode mode) {
  const bool square = snapshot.n_keys() == snapshot.n_tokens && snapshot.key_tokens.empty();
  switch (mode) {
    case DisplayMode::Raw: return true;
    case DisplayMode::Value: return snapshot.model != nullptr;
    case DisplayMode::Rollout: return square;
    case DisplayMode::Flow: return square && snapshot.n_tokens <= kMaxFlowTokens;
  }
  return false;
}

const char* display_mode_caption(DisplayMode mode) {
  switch (mode) {
    case DisplayMode::Raw: return "Attention weights: softmax(q.k / sqrt(d)) of the head.";
    case DisplayMode::Value:
      return "Value-weighted: |a_ij * v_j * W_O| per key (Kobayashi et al. 2020), each row divided by its sum.";
    case DisplayMode::Rollout:
      return "Rollout: mean of heads plus residual, (A+I)/2, multiplied from layer 0 up to this layer "
             "(Abnar & Zuidema 2020); the same for every head of a layer.";
    case DisplayMode::Flow:
      return "Flow: max-flow from each input token through (A+I)/2 of every layer up to this one "
             "(Abnar & Zuidema 2020); the same for every head of a layer.";
  }
  return "";
}

}  // namespace attnscope
