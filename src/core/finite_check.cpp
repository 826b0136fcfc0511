#include "finite_check.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "snapshot.h"

namespace attnscope {

namespace {

constexpr std::uint32_t kExponentMask = 0x7f800000u;  // all ones: Inf or NaN
constexpr std::size_t kBlock = 4096;

bool block_has_non_finite(const float* data, std::size_t count) {
  std::uint32_t found = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, data + i, sizeof bits);
    found |= static_cast<std::uint32_t>((bits & kExponentMask) == kExponentMask);
  }
  return found != 0;
}

// Where in a [rows, cols] row-major matrix the first bad value is, or -1.
long first_bad_row(const MatrixRM& m) {
  const auto at = first_non_finite(m.data(), static_cast<std::size_t>(m.size()));
  return at ? static_cast<long>(*at / static_cast<std::size_t>(m.cols())) : -1;
}

}  // namespace

std::optional<std::size_t> first_non_finite(const float* data, std::size_t count) {
  for (std::size_t start = 0; start < count; start += kBlock) {
    const std::size_t n = std::min(kBlock, count - start);
    if (!block_has_non_finite(data + start, n)) continue;
    for (std::size_t i = start; i < start + n; ++i)
      if (!std::isfinite(data[i])) return i;
  }
  return std::nullopt;
}

std::string non_finite_name(float value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

void WeightScan::scan(const std::string& tensor_name, const float* data, std::size_t count) {
  const auto at = first_non_finite(data, count);
  if (!at) return;
  if (bad_tensors_++ == 0)
    first_ = "tensor '" + tensor_name + "' holds " + non_finite_name(data[*at]) + " at element " + std::to_string(*at);
}

std::vector<std::string> WeightScan::warnings(const std::string& source) const {
  if (bad_tensors_ == 0) return {};
  std::string message = source + ": " + first_;
  if (bad_tensors_ > 1) message += " (and " + std::to_string(bad_tensors_ - 1) + " more tensors hold NaN/Inf)";
  return {message + "; outputs will not be finite numbers"};
}

std::vector<std::string> snapshot_non_finite_warnings(const AttentionSnapshot& snap) {
  // The residual stream first: the earliest layer where it breaks is the cause;
  // everything after it follows.
  for (std::size_t l = 0; l < snap.residual.size(); ++l) {
    const long row = first_bad_row(snap.residual[l]);
    if (row < 0) continue;
    const std::string where = l == 0 ? "the embedding output" : "the output of layer " + std::to_string(l - 1);
    return {"non-finite value (NaN/Inf) in " + where + " at token position " + std::to_string(row) +
            "; attention and predictions from there on are not meaningful"};
  }
  for (int layer = 0; layer < snap.n_layers; ++layer)
    for (int head = 0; head < snap.n_heads; ++head) {
      const long row = first_bad_row(snap.head(layer, head).probs);
      if (row >= 0)
        return {"non-finite attention (NaN/Inf) in layer " + std::to_string(layer) + " head " + std::to_string(head) +
                " at query position " + std::to_string(row)};
    }
  const long row = snap.final_hidden.size() ? first_bad_row(snap.final_hidden) : -1;
  if (row >= 0) return {"non-finite value (NaN/Inf) in the final hidden state at token position " + std::to_string(row)};
  if (snap.logits.size() && first_bad_row(snap.logits) >= 0)
    return {"non-finite logits (NaN/Inf) at token position " + std::to_string(first_bad_row(snap.logits))};
  for (std::size_t t = 0; t < snap.top.size(); ++t)
    for (const Prediction& p : snap.top[t])
      if (!std::isfinite(p.prob) || !std::isfinite(p.logit))
        return {"non-finite prediction (NaN/Inf) at token position " + std::to_string(t) +
                ": the output head's weights are not finite"};
  return {};
}

}  // namespace attnscope
