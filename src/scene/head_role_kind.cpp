#include "scene/head_role_kind.h"

namespace attnscope {

namespace {

// Keys query i may see, under the mask.
double visible_keys(int i, int n_tokens, bool causal) { return causal ? i + 1.0 : static_cast<double>(n_tokens); }

}  // namespace

RoleBaselines uniform_baselines(int n_tokens, bool causal, int repeated_tokens, int offset, int n, bool repeated_causal) {
  RoleBaselines b;
  const int T = n_tokens;
  for (int i = 0; i < T; ++i) {
    const double p = 1.0 / visible_keys(i, T, causal);  // the weight of each visible key
    if (i >= 1) b.previous += p;
    if (i >= 1) b.first += p;
    if (i + 1 < T && !causal) b.next += p;
    b.self += p;
  }
  if (T > 1) {
    b.previous /= T - 1;
    b.next /= T - 1;
    b.first /= T - 1;
  }
  if (T > 0) b.self /= T;
  for (int k = 0; k < n; ++k) b.induction += 1.0 / visible_keys(offset + n + k, repeated_tokens, repeated_causal);
  if (n > 0) b.induction /= n;
  return b;
}

double role_score(const HeadRoles& r, HeadRole role) {
  switch (role) {
    case HeadRole::Previous: return r.previous;
    case HeadRole::Next: return r.next;
    case HeadRole::First: return r.first;
    case HeadRole::Self: return r.self;
    case HeadRole::Induction: return r.induction;
    case HeadRole::None: break;
  }
  return 0;
}

double role_baseline(const RoleBaselines& b, HeadRole role) {
  HeadRoles as_scores;
  as_scores.previous = b.previous;
  as_scores.next = b.next;
  as_scores.first = b.first;
  as_scores.self = b.self;
  as_scores.induction = b.induction;
  return role_score(as_scores, role);
}

HeadRole strongest_role(const HeadRoles& roles, const RoleBaselines& baselines) {
  HeadRole best = HeadRole::None;
  double best_lift = 0;
  for (HeadRole role : kAllHeadRoles) {
    const double score = role_score(roles, role), chance = role_baseline(baselines, role);
    if (chance <= 0 || score < kRoleMinWeight || score < kRoleMinLift * chance) continue;
    if (score / chance > best_lift) {
      best_lift = score / chance;
      best = role;
    }
  }
  return best;
}

const char* role_name(HeadRole role) {
  switch (role) {
    case HeadRole::Previous: return "previous token";
    case HeadRole::Next: return "next token";
    case HeadRole::First: return "first token";
    case HeadRole::Self: return "itself";
    case HeadRole::Induction: return "induction";
    case HeadRole::None: break;
  }
  return "none";
}

const char* role_key(HeadRole role) {
  switch (role) {
    case HeadRole::Previous: return "previous";
    case HeadRole::Next: return "next";
    case HeadRole::First: return "first";
    case HeadRole::Self: return "self";
    case HeadRole::Induction: return "induction";
    case HeadRole::None: break;
  }
  return "none";
}

Rgb8 role_color(HeadRole role) {
  switch (role) {
    case HeadRole::Previous: return {213, 94, 0};     // vermillion
    case HeadRole::Next: return {0, 114, 178};        // blue
    case HeadRole::First: return {0, 158, 115};       // bluish green
    case HeadRole::Self: return {204, 121, 167};      // reddish purple
    case HeadRole::Induction: return {240, 228, 66};  // yellow
    case HeadRole::None: break;
  }
  return {128, 128, 128};
}

}  // namespace attnscope
