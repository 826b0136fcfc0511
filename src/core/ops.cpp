#include "ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "parallel.h"

namespace attnscope {
namespace {

using Strided = Eigen::Map<const MatrixRM, 0, Eigen::OuterStride<>>;

// Column chunks per thread: enough to balance, few enough that each GEMM is big.
int column_chunks(int out) {
  int threads = parallel_threads();
  if (threads == 1 || out < 64) return 1;
  return threads;
}

}  // namespace

MatrixRM linear(const MatrixRM& x, const Linear& layer) {
  const int rows = layer.in_out ? layer.in : layer.out;
  const int cols = layer.in_out ? layer.out : layer.in;
  Strided w(layer.w, rows, cols, Eigen::OuterStride<>(layer.stride));
  MatrixRM y(x.rows(), layer.out);  // [T, out]
  const int chunks = column_chunks(layer.out);
  parallel_for(chunks, [&](int c) {
    const int begin = static_cast<int>(static_cast<long>(layer.out) * c / chunks);
    const int end = static_cast<int>(static_cast<long>(layer.out) * (c + 1) / chunks);
    auto block = y.middleCols(begin, end - begin);
    if (layer.in_out) {
      block.noalias() = x * w.middleCols(begin, end - begin);
    } else {
      block.noalias() = x * w.middleRows(begin, end - begin).transpose();
    }
    if (layer.b) {
      Eigen::Map<const Eigen::RowVectorXf> b(layer.b + begin, end - begin);
      block.rowwise() += b;
    }
  });
  return y;
}

MatrixRM matmul_transposed(const MatrixRM& x, const float* e, int rows, const float* bias) {
  Linear as_linear;
  as_linear.w = e;
  as_linear.b = bias;
  as_linear.in = static_cast<int>(x.cols());
  as_linear.out = rows;
  as_linear.stride = x.cols();
  as_linear.in_out = false;
  return linear(x, as_linear);
}

void layer_norm(MatrixRM& x, const Norm& norm, float eps) {
  const Eigen::Index d = x.cols();
  Eigen::Map<const Eigen::RowVectorXf> w(norm.weight, d);
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    auto row = x.row(t);
    // Accumulate in double: BERT's eps of 1e-12 leaves no room for a sloppy variance.
    double mean = row.cast<double>().mean();
    double var = (row.cast<double>().array() - mean).square().mean();
    float inv = static_cast<float>(1.0 / std::sqrt(var + eps));
    row = ((row.array() - static_cast<float>(mean)) * inv).matrix().cwiseProduct(w);
    if (norm.bias) row += Eigen::Map<const Eigen::RowVectorXf>(norm.bias, d);
  }
}

void rms_norm(MatrixRM& x, const Norm& norm, float eps) {
  const Eigen::Index d = x.cols();
  Eigen::Map<const Eigen::RowVectorXf> w(norm.weight, d);
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    auto row = x.row(t);
    float ms = row.squaredNorm() / static_cast<float>(d);
    float inv = 1.0f / std::sqrt(ms + eps);
    row = (row * inv).cwiseProduct(w);
  }
}

void apply_norm(MatrixRM& x, const Norm& norm, NormKind kind, float eps) {
  if (kind == NormKind::RmsNorm)
    rms_norm(x, norm, eps);
  else
    layer_norm(x, norm, eps);
}

void gelu_erf(MatrixRM& x) {
  x = x.unaryExpr([](float v) { return 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f)); });
}

void gelu_tanh(MatrixRM& x) {
  constexpr float k = 0.79788456080286536f;  // √(2/π)
  x = x.unaryExpr([](float v) { return 0.5f * v * (1.0f + std::tanh(k * (v + 0.044715f * v * v * v))); });
}

void relu(MatrixRM& x) { x = x.cwiseMax(0.0f); }

void silu(MatrixRM& x) {
  x = x.unaryExpr([](float v) { return v / (1.0f + std::exp(-v)); });
}

void apply_activation(MatrixRM& x, Activation act) {
  switch (act) {
    case Activation::GeluErf: gelu_erf(x); break;
    case Activation::GeluTanh: gelu_tanh(x); break;
    case Activation::Relu: relu(x); break;
    case Activation::SwiGlu: silu(x); break;
  }
}

void softmax_rows(MatrixRM& s) {
  for (Eigen::Index t = 0; t < s.rows(); ++t) {
    auto row = s.row(t);
    float max = row.maxCoeff();
    if (max == -std::numeric_limits<float>::infinity()) {
      row.setZero();
      continue;
    }
    // Masked entries become exact zeros (a vectorised exp of -inf may give a denormal).
    const float neg_inf = -std::numeric_limits<float>::infinity();
    row = (row.array() == neg_inf).select(0.0f, (row.array() - max).exp());
    row /= row.sum();
  }
}

void apply_rope(MatrixRM& x, int n_heads, int head_dim, float theta, RopeStyle style) {
  if (style == RopeStyle::None) return;
  const int half = head_dim / 2;
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    const float pos = static_cast<float>(t);
    for (int i = 0; i < half; ++i) {
      // The same float32 arithmetic as the references: inv_freq = 1 / theta^(2i/Dh).
      const float inv_freq = 1.0f / std::pow(theta, static_cast<float>(2 * i) / static_cast<float>(head_dim));
      const float angle = pos * inv_freq;
      const float c = std::cos(angle), s = std::sin(angle);
      for (int h = 0; h < n_heads; ++h) {
        float* v = x.row(t).data() + h * head_dim;
        // HalfRotate pairs dim i with i + Dh/2; Interleaved pairs 2i with 2i+1.
        const int a = style == RopeStyle::HalfRotate ? i : 2 * i;
        const int b = style == RopeStyle::HalfRotate ? i + half : 2 * i + 1;
        const float x0 = v[a], x1 = v[b];
        v[a] = x0 * c - x1 * s;
        v[b] = x0 * s + x1 * c;
      }
    }
  }
}

}  // namespace attnscope
