#include "ops.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <unsupported/Eigen/SpecialFunctions>

#include "gemm.h"
#include "parallel.h"
#include "weight_panels.h"

namespace attnscope {
namespace {

// Splits the rows of x over the pool when there is enough work to pay for it.
void for_row_blocks(MatrixRM& x, const std::function<void(Eigen::Ref<MatrixRM>)>& fn) {
  const int rows = static_cast<int>(x.rows());
  const int blocks = x.size() < (1 << 15) ? 1 : std::min(rows, 4 * parallel_threads());
  parallel_for(blocks, [&](int b) {
    const int begin = rows * b / blocks, end = rows * (b + 1) / blocks;
    fn(x.middleRows(begin, end - begin));
  });
}

}  // namespace

MatrixRM linear(const MatrixRM& x, const Linear& layer) {
  MatrixRM y(x.rows(), layer.out);  // [T, out]
  // A panel-packed layer is split between panels, never inside one.
  const int unit = layer.panels ? kPanelColumns : 1;
  const long units = (layer.out + unit - 1) / unit;
  const int chunks = static_cast<int>(std::min<long>(units, linear_chunks(layer.out, static_cast<int>(x.rows()))));
  parallel_for(chunks, [&](int c) {
    const int begin = static_cast<int>(units * c / chunks * unit);
    const int end = static_cast<int>(std::min<long>(layer.out, units * (c + 1) / chunks * unit));
    linear_columns(x, layer, begin, end, y);
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
  for_row_blocks(x, [&](Eigen::Ref<MatrixRM> rows) {
    for (Eigen::Index t = 0; t < rows.rows(); ++t) {
      auto row = rows.row(t);
      // Accumulate in double: BERT's eps of 1e-12 leaves no room for a sloppy variance.
      double mean = row.cast<double>().mean();
      double var = (row.cast<double>().array() - mean).square().mean();
      float inv = static_cast<float>(1.0 / std::sqrt(var + eps));
      row = ((row.array() - static_cast<float>(mean)) * inv).matrix().cwiseProduct(w);
      if (norm.bias) row += Eigen::Map<const Eigen::RowVectorXf>(norm.bias, d);
    }
  });
}

void rms_norm(MatrixRM& x, const Norm& norm, float eps) {
  const Eigen::Index d = x.cols();
  Eigen::Map<const Eigen::RowVectorXf> w(norm.weight, d);
  for_row_blocks(x, [&](Eigen::Ref<MatrixRM> rows) {
    for (Eigen::Index t = 0; t < rows.rows(); ++t) {
      auto row = rows.row(t);
      float ms = row.squaredNorm() / static_cast<float>(d);
      float inv = 1.0f / std::sqrt(ms + eps);
      row = (row * inv).cwiseProduct(w);
    }
  });
}

void apply_norm(MatrixRM& x, const Norm& norm, NormKind kind, float eps) {
  if (kind == NormKind::RmsNorm)
    rms_norm(x, norm, eps);
  else
    layer_norm(x, norm, eps);
}

// Eigen's vectorised erf (a rational approximation within a couple of ulp),
// about 10x faster than std::erf per element: BERT's MLP applies it to
// T x 3072 values per layer.
void gelu_erf(MatrixRM& x) {
  for_row_blocks(x, [](Eigen::Ref<MatrixRM> b) {
    auto v = b.array();
    b = (0.5f * v * (1.0f + (v * 0.70710678118654752f).erf())).matrix();
  });
}

// Eigen's vectorised tanh: 20x faster than std::tanh per element, within a
// few ulp of it (GPT-2's MLP applies it to T x 3072 values per layer).
void gelu_tanh(MatrixRM& x) {
  constexpr float k = 0.79788456080286536f;  // √(2/π)
  for_row_blocks(x, [&](Eigen::Ref<MatrixRM> b) {
    auto v = b.array();
    b = (0.5f * v * (1.0f + (k * (v + 0.044715f * v.cube())).tanh())).matrix();
  });
}

void relu(MatrixRM& x) { x = x.cwiseMax(0.0f); }

void silu(MatrixRM& x) {
  for_row_blocks(x, [](Eigen::Ref<MatrixRM> b) {
    auto v = b.array();
    b = (v / (1.0f + (-v).exp())).matrix();
  });
}

void apply_activation(MatrixRM& x, Activation act) {
  switch (act) {
    case Activation::GeluErf: gelu_erf(x); break;
    case Activation::GeluTanh: gelu_tanh(x); break;
    case Activation::Relu: relu(x); break;
    case Activation::SwiGlu: silu(x); break;
  }
}

void softmax_rows(Eigen::Ref<MatrixRM> s) {
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

void causal_softmax_rows(Eigen::Ref<MatrixRM> s, float scale, int first_row) {
  const Eigen::Index T = s.cols();
  for (Eigen::Index i = 0; i < s.rows(); ++i) {
    auto row = s.row(i);
    const Eigen::Index keys = std::min<Eigen::Index>(first_row + i + 1, T);
    auto seen = row.head(keys).array();
    seen *= scale;  // the same rounding as scaling the whole product first
    const float max = seen.maxCoeff();
    seen = (seen - max).exp();
    seen /= seen.sum();
    row.tail(T - keys).setZero();
  }
}

void apply_rope(MatrixRM& x, int n_heads, int head_dim, float theta, RopeStyle style, int first_position) {
  if (style == RopeStyle::None) return;
  const int half = head_dim / 2;
  for (Eigen::Index t = 0; t < x.rows(); ++t) {
    const float pos = static_cast<float>(first_position + t);
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
