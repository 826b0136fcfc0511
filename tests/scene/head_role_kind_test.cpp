// Strongest roles against chance baselines worked out by hand, the table's
// sort order, head labels, and the scoring worker's cache.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/forward.h"
#include "core/model.h"
#include "scene/head_labels.h"
#include "scene/head_role_kind.h"
#include "scene/head_roles_table.h"
#include "scene/head_roles_worker.h"
#include "test_support.h"

namespace attnscope {
namespace {

TEST(HeadRoleKind, UniformBaselinesByHand) {
  // Bidirectional, T = 4: every key gets 1/4; no induction run.
  const RoleBaselines b = uniform_baselines(4, false, 0, 0, 0, false);
  EXPECT_DOUBLE_EQ(b.previous, 0.25);
  EXPECT_DOUBLE_EQ(b.next, 0.25);
  EXPECT_DOUBLE_EQ(b.first, 0.25);
  EXPECT_DOUBLE_EQ(b.self, 0.25);
  EXPECT_DOUBLE_EQ(b.induction, 0.0);
  // Causal, T = 3: query i sees i + 1 keys. previous/first over i = 1, 2:
  // (1/2 + 1/3) / 2; self over i = 0..2: (1 + 1/2 + 1/3) / 3; next impossible.
  const RoleBaselines c = uniform_baselines(3, true, 0, 0, 0, true);
  EXPECT_DOUBLE_EQ(c.previous, (1.0 / 2 + 1.0 / 3) / 2);
  EXPECT_DOUBLE_EQ(c.first, (1.0 / 2 + 1.0 / 3) / 2);
  EXPECT_DOUBLE_EQ(c.self, (1.0 + 1.0 / 2 + 1.0 / 3) / 3);
  EXPECT_DOUBLE_EQ(c.next, 0.0);
  // Induction, causal, [1 special][2 random][2 random]: queries at 3 and 4 see 4 and 5 keys.
  const RoleBaselines i = uniform_baselines(0, false, 5, 1, 2, true);
  EXPECT_DOUBLE_EQ(i.induction, (1.0 / 4 + 1.0 / 5) / 2);
}

TEST(HeadRoleKind, StrongestIsTheLargestLiftAboveTheThreshold) {
  RoleBaselines b;
  b.previous = b.next = b.first = b.self = 0.1;
  b.induction = 0.05;
  HeadRoles r;
  r.previous = 0.6;  // lift 6
  r.first = 0.35;    // lift 3.5
  r.induction = 0.32;  // lift 6.4: the largest lift wins, not the largest weight
  EXPECT_EQ(strongest_role(r, b), HeadRole::Induction);
  r.induction = 0.29;  // below kRoleMinWeight: does not count
  EXPECT_EQ(strongest_role(r, b), HeadRole::Previous);
  HeadRoles flat;  // everything at or near chance
  flat.previous = flat.next = flat.first = flat.self = 0.15;
  EXPECT_EQ(strongest_role(flat, b), HeadRole::None);
  RoleBaselines short_text;  // T = 2: 0.5 each; 0.9 is above the weight but under twice chance
  short_text.previous = short_text.next = short_text.first = short_text.self = 0.5;
  HeadRoles sure;
  sure.previous = 0.9;
  EXPECT_EQ(strongest_role(sure, short_text), HeadRole::None);
  RoleBaselines causal = b;  // a role the mask rules out never counts
  causal.next = 0;
  HeadRoles next;
  next.next = 0.9;
  EXPECT_EQ(strongest_role(next, causal), HeadRole::None);
}

TEST(HeadRoleKind, RolesHaveDistinctColoursAndNames) {
  for (HeadRole a : kAllHeadRoles)
    for (HeadRole b : kAllHeadRoles) {
      if (a == b) continue;
      EXPECT_FALSE(role_color(a) == role_color(b)) << role_name(a) << " / " << role_name(b);
      EXPECT_STRNE(role_key(a), role_key(b));
    }
}

TEST(HeadLabels, ZeroAndOneBased) {
  EXPECT_EQ(head_label(4, 3, false), "L4 H3");
  EXPECT_EQ(head_label(4, 3, true), "L5 H4");  // Clark et al.'s coreference head "5-4"
  EXPECT_EQ(layer_label(0, true), "L1");
  EXPECT_EQ(shown_index(11, false), 11);
}

HeadRoleScores three_heads() {
  HeadRoleScores s;
  s.baselines.previous = s.baselines.next = s.baselines.first = s.baselines.self = 0.1;
  const double previous[] = {0.2, 0.7, 0.2};
  const double entropy[] = {1.5, 0.4, 2.5};
  for (int h = 0; h < 3; ++h) {
    HeadRoles r;
    r.layer = 0;
    r.head = h;
    r.previous = previous[h];
    r.entropy = entropy[h];
    s.roles.push_back(r);
  }
  return s;
}

std::vector<int> heads_in_order(const std::vector<RoleRow>& rows) {
  std::vector<int> out;
  for (const RoleRow& r : rows) out.push_back(r.roles.head);
  return out;
}

TEST(HeadRolesTable, SortsByAnyColumnWithTiesInHeadOrder) {
  HeadPreset pronoun;
  pronoun.name = "pronoun";
  pronoun.head = 2;
  pronoun.heldout_accuracy = 0.9;
  HeadPreset prev;
  prev.name = "previous token";
  prev.head = 1;
  std::vector<RoleRow> rows = role_rows(three_heads(), {pronoun, prev});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].strongest, HeadRole::Previous);  // 0.7 against 0.1
  EXPECT_EQ(rows[0].strongest, HeadRole::None);      // 0.2 is under kRoleMinWeight
  EXPECT_EQ(rows[2].preset, "pronoun");
  EXPECT_DOUBLE_EQ(*rows[2].accuracy, 0.9);
  sort_role_rows(rows, RoleColumn::Entropy, false);
  EXPECT_EQ(heads_in_order(rows), (std::vector<int>{1, 0, 2}));
  sort_role_rows(rows, RoleColumn::Entropy, true);
  EXPECT_EQ(heads_in_order(rows), (std::vector<int>{2, 0, 1}));
  sort_role_rows(rows, RoleColumn::Previous, true);  // 0.7, then the tie 0.2 / 0.2 in head order
  EXPECT_EQ(heads_in_order(rows), (std::vector<int>{1, 0, 2}));
  sort_role_rows(rows, RoleColumn::Preset, true);  // measured accuracy first, then unmeasured, then none
  EXPECT_EQ(heads_in_order(rows), (std::vector<int>{2, 1, 0}));
  sort_role_rows(rows, RoleColumn::Head, false);
  EXPECT_EQ(heads_in_order(rows), (std::vector<int>{0, 1, 2}));
  RoleColumn column;
  EXPECT_TRUE(role_column_from_key("induction", &column));
  EXPECT_EQ(column, RoleColumn::Induction);
  EXPECT_STREQ(role_column_key(column), "induction");
  EXPECT_FALSE(role_column_from_key("speed", &column));
}

std::shared_ptr<const RoleScoresResult> wait_for(HeadRolesWorker& worker, const std::shared_ptr<const Model>& model,
                                                 const std::string& text) {
  for (int i = 0; i < 6000; ++i) {
    worker.poll();
    if (auto result = worker.request(model, text)) return result;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return nullptr;
}

TEST(HeadRolesWorker, ScoresOffThreadCachesPerTextAndReportsBadText) {
  auto model = load_model(testing::fixture("gpt2"));
  HeadRolesWorker worker;
  EXPECT_EQ(worker.request(model, kRoleProbeText), nullptr);  // not computed yet: never blocks
  const auto probe = wait_for(worker, model, kRoleProbeText);
  ASSERT_NE(probe, nullptr);
  ASSERT_NE(probe->scores, nullptr) << probe->error;
  // The fixture's context is 64 tokens: the probe is cut to it, as the worker says.
  EXPECT_TRUE(probe->scores->cut);
  EXPECT_EQ(probe->scores->n_tokens, 64);
  std::vector<Token> first = model->tokenizer->encode(kRoleProbeText);
  first.resize(64);
  const std::vector<HeadRoles> direct = positional_roles(*run_tokens(model, first, RunOptions{}));
  const std::vector<HeadRoles> induction = score_heads(model, "a short text");  // induction does not depend on the text
  ASSERT_EQ(probe->scores->roles.size(), direct.size());
  for (size_t i = 0; i < direct.size(); ++i) {
    EXPECT_NEAR(probe->scores->roles[i].previous, direct[i].previous, 1e-6);
    EXPECT_NEAR(probe->scores->roles[i].self, direct[i].self, 1e-6);
    EXPECT_DOUBLE_EQ(probe->scores->roles[i].induction, induction[i].induction);
  }
  EXPECT_EQ(worker.request(model, kRoleProbeText), probe);  // cached: the same object, at once
  EXPECT_FALSE(worker.busy());
  const auto empty = wait_for(worker, model, "");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->scores, nullptr);
  EXPECT_NE(empty->error.find("no tokens"), std::string::npos) << empty->error;
  auto other = load_model(testing::fixture("gpt2"));  // another model: the cache starts over
  EXPECT_EQ(worker.request(other, kRoleProbeText), nullptr);
  EXPECT_NE(wait_for(worker, other, kRoleProbeText), nullptr);
}

}  // namespace
}  // namespace attnscope
