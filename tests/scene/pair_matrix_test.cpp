// How two token sequences line up (shared prefix and suffix, the differing
// middle apart) and the difference B - A on the aligned grid, checked against
// small matrices worked out by hand.
//
// Shape legend: Ta, Tb tokens of A and B, N slots of the aligned grid.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "scene/pair_matrix.h"
#include "scene/token_alignment.h"

namespace attnscope {
namespace {

std::vector<AlignedSlot> slots(std::initializer_list<std::pair<int, int>> pairs) {
  std::vector<AlignedSlot> out;
  for (const auto& [a, b] : pairs) out.push_back({a, b});
  return out;
}

void expect_slots(const TokenAlignment& al, const std::vector<AlignedSlot>& expected) {
  ASSERT_EQ(al.size(), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(al.slots[i].a, expected[i].a) << "slot " << i;
    EXPECT_EQ(al.slots[i].b, expected[i].b) << "slot " << i;
  }
}

TEST(TokenAlignment, SharedPrefixAndSuffixWithTheDifferingMiddleApart) {
  // [CLS] the cat sat [SEP] against [CLS] the dog ran [SEP]
  const TokenAlignment al = align_tokens({1, 2, 3, 4, 5}, {1, 2, 9, 8, 5});
  EXPECT_EQ(al.prefix, 2);
  EXPECT_EQ(al.a_middle, 2);
  EXPECT_EQ(al.b_middle, 2);
  EXPECT_EQ(al.suffix, 1);
  expect_slots(al, slots({{0, 0}, {1, 1}, {2, -1}, {3, -1}, {-1, 2}, {-1, 3}, {4, 4}}));
  EXPECT_EQ(al.slot_of_a(3), 3);
  EXPECT_EQ(al.slot_of_a(4), 6);
  EXPECT_EQ(al.slot_of_b(2), 4);
  EXPECT_EQ(al.slot_of_b(4), 6);
  EXPECT_EQ(al.slot_of_a(5), -1);
  EXPECT_EQ(al.slot_of_b(-1), -1);
}

TEST(TokenAlignment, MiddlesOfDifferentLengths) {
  const TokenAlignment al = align_tokens({1, 2, 3, 5}, {1, 2, 7, 8, 9, 5});
  EXPECT_EQ(al.prefix, 2);
  EXPECT_EQ(al.a_middle, 1);
  EXPECT_EQ(al.b_middle, 3);
  EXPECT_EQ(al.suffix, 1);
  expect_slots(al, slots({{0, 0}, {1, 1}, {2, -1}, {-1, 2}, {-1, 3}, {-1, 4}, {3, 5}}));
  for (int b = 0; b < 6; ++b) EXPECT_EQ(al.slots[static_cast<size_t>(al.slot_of_b(b))].b, b);
  for (int a = 0; a < 4; ++a) EXPECT_EQ(al.slots[static_cast<size_t>(al.slot_of_a(a))].a, a);
}

TEST(TokenAlignment, IdenticalSentencesAreAllPrefix) {
  const TokenAlignment al = align_tokens({1, 2, 1}, {1, 2, 1});
  EXPECT_EQ(al.prefix, 3);
  EXPECT_EQ(al.suffix, 0);
  EXPECT_EQ(al.a_middle + al.b_middle, 0);
  expect_slots(al, slots({{0, 0}, {1, 1}, {2, 2}}));
}

TEST(TokenAlignment, OneSentenceInsideTheOtherIsNotCountedTwice) {
  // The prefix takes all of A; the suffix may not reuse A's tokens.
  const TokenAlignment al = align_tokens({1, 2, 1}, {1, 2, 1, 2, 1});
  EXPECT_EQ(al.prefix, 3);
  EXPECT_EQ(al.suffix, 0);
  EXPECT_EQ(al.a_middle, 0);
  EXPECT_EQ(al.b_middle, 2);
  expect_slots(al, slots({{0, 0}, {1, 1}, {2, 2}, {-1, 3}, {-1, 4}}));
}

TEST(TokenAlignment, CompletelyDifferentSentencesShareNothing) {
  const TokenAlignment al = align_tokens({1, 2}, {3, 4, 5});
  EXPECT_EQ(al.prefix, 0);
  EXPECT_EQ(al.suffix, 0);
  expect_slots(al, slots({{0, -1}, {1, -1}, {-1, 0}, {-1, 1}, {-1, 2}}));
}

TEST(TokenAlignment, EmptySentences) {
  EXPECT_EQ(align_tokens({}, {}).size(), 0);
  const TokenAlignment al = align_tokens({}, {7, 8});
  EXPECT_EQ(al.b_middle, 2);
  expect_slots(al, slots({{-1, 0}, {-1, 1}}));
  EXPECT_EQ(al.slot_of_a(0), -1);
}

// A = [10 20 30], B = [10 40 30]: slots [10 | 20 (A) | 40 (B) | 30].
PairMatrices hand_pair() {
  MatrixRM a(3, 3), b(3, 3);  // [T, T] rows are queries
  a << 1.0f, 0.0f, 0.0f,
       0.5f, 0.5f, 0.0f,
       0.2f, 0.7f, 0.1f;
  b << 1.0f, 0.0f, 0.0f,
       0.3f, 0.3f, 0.4f,
       0.6f, 0.1f, 0.3f;
  return build_pair_matrices(a, {10, 20, 30}, b, {10, 40, 30});
}

void expect_matrix(const MatrixRM& actual, const std::vector<std::vector<float>>& expected, const char* what) {
  ASSERT_EQ(actual.rows(), static_cast<Eigen::Index>(expected.size())) << what;
  for (size_t r = 0; r < expected.size(); ++r)
    for (size_t c = 0; c < expected[r].size(); ++c)
      EXPECT_NEAR(actual(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)), expected[r][c], 1e-6f)
          << what << " (" << r << ", " << c << ")";
}

TEST(PairMatrix, BothSentencesOnTheAlignedGrid) {
  const PairMatrices p = hand_pair();
  ASSERT_EQ(p.size(), 4);
  expect_matrix(p.a, {{1, 0, 0, 0}, {0.5f, 0.5f, 0, 0}, {0, 0, 0, 0}, {0.2f, 0.7f, 0, 0.1f}}, "A");
  expect_matrix(p.b, {{1, 0, 0, 0}, {0, 0, 0, 0}, {0.3f, 0, 0.3f, 0.4f}, {0.6f, 0, 0.1f, 0.3f}}, "B");
}

TEST(PairMatrix, DifferenceIsBMinusAWithMissingKeysAsZero) {
  const PairMatrices p = hand_pair();
  // Row of "30": B gives 0.6 / - / 0.1 / 0.3, A gives 0.2 / 0.7 / - / 0.1.
  expect_matrix(p.diff, {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0.4f, -0.7f, 0.1f, 0.2f}}, "B - A");
  EXPECT_NEAR(p.diff.row(3).sum(), 0.0f, 1e-6f);
  EXPECT_TRUE(p.row_compared(0));
  EXPECT_FALSE(p.row_compared(1));  // "20" is only in A
  EXPECT_FALSE(p.row_compared(2));  // "40" is only in B
  EXPECT_TRUE(p.row_compared(3));
  EXPECT_NEAR(p.range, 0.7f, 1e-6f);
  EXPECT_EQ(most_changed_slot(p), 3);
  EXPECT_EQ(pair_query_slot(p, 1), 1);   // A's token 1 sits in slot 1
  EXPECT_EQ(pair_query_slot(p, 2), 3);   // A's token 2 in the suffix
  EXPECT_EQ(pair_query_slot(p, -1), 3);  // none picked: the row that changed most
}

TEST(PairMatrix, IdenticalSentencesDifferByNothing) {
  MatrixRM a(2, 2);  // [T, T]
  a << 0.25f, 0.75f, 0.5f, 0.5f;
  const PairMatrices p = build_pair_matrices(a, {4, 5}, a, {4, 5});
  EXPECT_EQ(p.diff.cwiseAbs().maxCoeff(), 0.0f);
  EXPECT_EQ(p.range, 0.05f);
  EXPECT_EQ(most_changed_slot(p), 0);
}

TEST(PairMatrix, WeightsThatDoNotMatchTheTokensAreRefused) {
  const MatrixRM a = MatrixRM::Identity(2, 2);
  EXPECT_THROW(build_pair_matrices(a, {1, 2, 3}, a, {1, 2}), Error);
}

TEST(PairMatrix, SymmetricRangeAndColourValues) {
  EXPECT_NEAR(nice_range(0.0f), 0.05f, 1e-7f);
  EXPECT_NEAR(nice_range(0.2f), 0.2f, 1e-6f);
  EXPECT_NEAR(nice_range(0.51f), 0.55f, 1e-6f);
  EXPECT_NEAR(nice_range(std::nanf("")), 0.05f, 1e-7f);
  EXPECT_EQ(diff_color_value(-0.7f, 0.7f), 0.0f);
  EXPECT_EQ(diff_color_value(0.0f, 0.7f), 0.5f);
  EXPECT_NEAR(diff_color_value(0.35f, 0.7f), 0.75f, 1e-6f);
  EXPECT_EQ(diff_color_value(2.0f, 0.7f), 1.0f);
}

}  // namespace
}  // namespace attnscope
