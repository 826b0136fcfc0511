// Lines up the tokens of two sentences that differ in a few words (a minimal
// pair): the longest common prefix and suffix are shared, and what differs in
// between is kept apart, A's tokens then B's, so that nothing is matched that
// is not the same token.
//
// Shape legend: Ta tokens of A, Tb tokens of B, N slots of the aligned grid
// (N = prefix + A's middle + B's middle + suffix).
#pragma once
#include <vector>

namespace attnscope {

// One position of the aligned grid: the token of A and the token of B it
// stands for, -1 where that sentence has none (the other sentence's middle).
struct AlignedSlot {
  int a = -1;
  int b = -1;
  bool shared() const { return a >= 0 && b >= 0; }
};

struct TokenAlignment {
  int prefix = 0;    // tokens both sentences start with
  int a_middle = 0;  // A's tokens between prefix and suffix
  int b_middle = 0;  // B's tokens between prefix and suffix
  int suffix = 0;    // tokens both sentences end with
  std::vector<AlignedSlot> slots;  // [N] prefix, A's middle, B's middle, suffix

  int size() const { return static_cast<int>(slots.size()); }
  // The slot of A's token `a` (of B's token `b`), -1 when out of range.
  int slot_of_a(int a) const;
  int slot_of_b(int b) const;
};

// Tokens are equal when their ids are. The prefix is taken first, so the
// suffix never reaches back into it: identical sentences are all prefix.
TokenAlignment align_tokens(const std::vector<int>& a_ids, const std::vector<int>& b_ids);  // [Ta], [Tb]

}  // namespace attnscope
