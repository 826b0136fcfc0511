#include "scene/head_roles.h"

#include <cmath>

namespace attnscope {

namespace {

HeadRoles roles_of(const MatrixRM& p /* [T, T] */) {
  const int T = static_cast<int>(p.rows());
  HeadRoles r;
  int rows_with_weight = 0;
  for (int i = 0; i < T; ++i) {
    if (i >= 1) r.previous += p(i, i - 1);
    if (i + 1 < T) r.next += p(i, i + 1);
    if (i >= 1) r.first += p(i, 0);
    r.self += p(i, i);
    if (p.row(i).sum() <= 0) continue;  // a switched-off head or a query with every key masked
    double h = 0;
    for (int j = 0; j < T; ++j)
      if (p(i, j) > 0) h -= p(i, j) * std::log(static_cast<double>(p(i, j)));
    r.entropy += h;
    ++rows_with_weight;
  }
  if (T > 1) {
    r.previous /= T - 1;
    r.next /= T - 1;
    r.first /= T - 1;
  }
  r.self /= T;
  if (rows_with_weight) r.entropy /= rows_with_weight;
  return r;
}

}  // namespace

std::vector<HeadRoles> positional_roles(const AttentionSnapshot& snapshot) {
  std::vector<HeadRoles> out;
  for (int l = 0; l < snapshot.n_layers; ++l)
    for (int h = 0; h < snapshot.n_heads; ++h) {
      HeadRoles r = roles_of(snapshot.head(l, h).probs);
      r.layer = l;
      r.head = h;
      out.push_back(r);
    }
  return out;
}

std::vector<double> induction_scores(const AttentionSnapshot& repeated, int offset, int n) {
  std::vector<double> out;
  for (int l = 0; l < repeated.n_layers; ++l)
    for (int h = 0; h < repeated.n_heads; ++h) {
      const MatrixRM& p = repeated.head(l, h).probs;  // [T, T]
      double sum = 0;
      for (int k = 0; k < n; ++k) sum += p(offset + n + k, offset + k + 1);
      out.push_back(n > 0 ? sum / n : 0.0);
    }
  return out;
}

}  // namespace attnscope
