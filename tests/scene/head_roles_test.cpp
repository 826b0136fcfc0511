// Head role scores against small snapshots worked out by hand, and the
// induction probe's input on real tokenizers.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/model.h"
#include "scene/head_roles.h"
#include "test_support.h"

namespace attnscope {
namespace {

AttentionSnapshot snapshot_of(const std::vector<MatrixRM>& probs /* [H] each [T, T] */) {
  AttentionSnapshot s;
  s.n_layers = 1;
  s.n_heads = static_cast<int>(probs.size());
  s.n_tokens = static_cast<int>(probs[0].rows());
  for (const MatrixRM& p : probs) {
    HeadCapture cap;
    cap.probs = p;
    s.heads.push_back(cap);
  }
  return s;
}

TEST(HeadRoles, HandComputedCausalHead) {
  MatrixRM p(3, 3);  // [T, T]
  p << 1.0f, 0.0f, 0.0f,  //
      0.5f, 0.5f, 0.0f,   //
      0.2f, 0.3f, 0.5f;
  const MatrixRM off = MatrixRM::Zero(3, 3);  // a switched-off head
  const std::vector<HeadRoles> roles = positional_roles(snapshot_of({p, off}));
  ASSERT_EQ(roles.size(), 2u);
  const HeadRoles& r = roles[0];
  EXPECT_EQ(r.layer, 0);
  EXPECT_EQ(r.head, 0);
  EXPECT_NEAR(r.previous, (0.5 + 0.3) / 2, 1e-7);
  EXPECT_NEAR(r.next, 0.0, 1e-7);
  EXPECT_NEAR(r.first, (0.5 + 0.2) / 2, 1e-7);
  EXPECT_NEAR(r.self, (1.0 + 0.5 + 0.5) / 3, 1e-7);
  const double row2 = -(0.2 * std::log(0.2) + 0.3 * std::log(0.3) + 0.5 * std::log(0.5));
  EXPECT_NEAR(r.entropy, (0.0 + std::log(2.0) + row2) / 3, 1e-6);
  EXPECT_EQ(roles[1].head, 1);
  EXPECT_EQ(roles[1].previous, 0.0);
  EXPECT_EQ(roles[1].entropy, 0.0);  // no rows with weight
}

TEST(HeadRoles, HandComputedNextTokenHead) {
  MatrixRM p(3, 3);  // [T, T] each query looks one ahead; the last at itself
  p << 0.0f, 1.0f, 0.0f,  //
      0.0f, 0.0f, 1.0f,   //
      0.0f, 0.0f, 1.0f;
  const HeadRoles r = positional_roles(snapshot_of({p}))[0];
  EXPECT_NEAR(r.next, 1.0, 1e-7);
  EXPECT_NEAR(r.previous, 0.0, 1e-7);
  EXPECT_NEAR(r.self, 1.0 / 3, 1e-7);
  EXPECT_NEAR(r.entropy, 0.0, 1e-7);
}

TEST(HeadRoles, InductionReadsTheTokenAfterTheFirstCopy) {
  // [BOS] a b a b [EOS]: offset 1, n 2. Second-copy a (4th token, index 3)
  // should look at the first b (index 2); second-copy b (index 4) at the
  // second a (index 3).
  MatrixRM p = MatrixRM::Zero(6, 6);  // [T, T]
  p(3, 2) = 0.8f;
  p(3, 0) = 0.2f;
  p(4, 3) = 0.4f;
  p(4, 4) = 0.6f;
  MatrixRM uniform = MatrixRM::Constant(6, 6, 1.0f / 6);
  const std::vector<double> scores = induction_scores(snapshot_of({p, uniform}), 1, 2);
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_NEAR(scores[0], (0.8 + 0.4) / 2, 1e-7);
  EXPECT_NEAR(scores[1], 1.0 / 6, 1e-7);
}

void expect_two_copies(const std::vector<Token>& tokens, int offset, int n, size_t specials) {
  ASSERT_EQ(tokens.size(), 2 * static_cast<size_t>(n) + specials);
  std::set<int> ids;
  for (int k = 0; k < n; ++k) {
    EXPECT_EQ(tokens[static_cast<size_t>(offset + k)].id, tokens[static_cast<size_t>(offset + n + k)].id);
    EXPECT_FALSE(tokens[static_cast<size_t>(offset + k)].special);
    ids.insert(tokens[static_cast<size_t>(offset + k)].id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(n));  // distinct, so "the first copy" is unambiguous
}

TEST(HeadRoles, RepeatedSequenceKeepsTheSpecialTokens) {
  int offset = -1;
  auto bert = load_model(testing::fixture("bert"));
  const std::vector<Token> framed = repeated_random_tokens(*bert, 10, 3, &offset);
  EXPECT_EQ(offset, 1);
  EXPECT_EQ(framed.front().piece, "[CLS]");
  EXPECT_EQ(framed.back().piece, "[SEP]");
  expect_two_copies(framed, offset, 10, 2);

  auto gpt2 = load_model(testing::fixture("gpt2"));
  const std::vector<Token> bare = repeated_random_tokens(*gpt2, 10, 3, &offset);
  EXPECT_EQ(offset, 0);
  expect_two_copies(bare, offset, 10, 0);
}

TEST(HeadRoles, ScoresOfACausalModelAreWellFormed) {
  auto model = load_model(testing::fixture("gpt2"));
  const std::vector<HeadRoles> roles = score_heads(model, "The animal didn't cross the street because it was too tired.");
  ASSERT_EQ(roles.size(), static_cast<size_t>(model->config.n_layers * model->config.n_heads));
  for (const HeadRoles& r : roles) {
    EXPECT_EQ(r.next, 0.0);  // a causal head never sees the next token
    for (double v : {r.previous, r.first, r.self, r.induction}) {
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0);
    }
    EXPECT_GE(r.entropy, 0.0);
  }
}

}  // namespace
}  // namespace attnscope
