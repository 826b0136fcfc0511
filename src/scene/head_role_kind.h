// Which of the five roles a head plays most clearly, for the model view's
// coloured borders and the head roles table.
//
// Each role score is a mean attention weight. What it means depends on the
// text: on 5 tokens a head that spreads evenly already puts 0.2 on the first
// token. So every score is compared with what uniform attention over the same
// keys would give (its chance baseline). A role counts when its score is at
// least kRoleMinWeight and at least kRoleMinLift times its baseline; the
// strongest role is the counting one with the largest score / baseline.
#pragma once
#include <array>

#include "core/colormap.h"

#include "scene/head_roles.h"

namespace attnscope {

enum class HeadRole { None, Previous, Next, First, Self, Induction };
constexpr std::array<HeadRole, 5> kAllHeadRoles = {HeadRole::Previous, HeadRole::Next, HeadRole::First, HeadRole::Self,
                                                   HeadRole::Induction};

constexpr double kRoleMinWeight = 0.3;
constexpr double kRoleMinLift = 2.0;

// The baselines of the positional scores on a text of `n_tokens` tokens, and
// of the induction score on [offset specials][n random][n random][suffix]
// (`repeated_tokens` long). `causal`: query i sees keys 0..i, else all.
RoleBaselines uniform_baselines(int n_tokens, bool causal, int repeated_tokens, int offset, int n, bool repeated_causal);

double role_score(const HeadRoles& roles, HeadRole role);
double role_baseline(const RoleBaselines& baselines, HeadRole role);

// HeadRole::None when no role counts.
HeadRole strongest_role(const HeadRoles& roles, const RoleBaselines& baselines);

const char* role_name(HeadRole role);  // "previous token", ...; "none"
const char* role_key(HeadRole role);   // "previous", ...; "none"

// Okabe-Ito colours: told apart with the common colour-vision deficiencies,
// and none of them the orange of the selection frame or the sky blue of hover.
Rgb8 role_color(HeadRole role);

}  // namespace attnscope
