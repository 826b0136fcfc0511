#include "scene/token_alignment.h"

#include <algorithm>

namespace attnscope {

int TokenAlignment::slot_of_a(int a) const {
  if (a < 0) return -1;
  if (a < prefix) return a;
  if (a < prefix + a_middle) return a;  // A's middle follows the prefix directly
  const int in_suffix = a - prefix - a_middle;
  return in_suffix < suffix ? prefix + a_middle + b_middle + in_suffix : -1;
}

int TokenAlignment::slot_of_b(int b) const {
  if (b < 0) return -1;
  if (b < prefix) return b;
  if (b < prefix + b_middle) return b + a_middle;  // B's middle comes after A's
  const int in_suffix = b - prefix - b_middle;
  return in_suffix < suffix ? prefix + a_middle + b_middle + in_suffix : -1;
}

TokenAlignment align_tokens(const std::vector<int>& a_ids, const std::vector<int>& b_ids) {
  const int ta = static_cast<int>(a_ids.size()), tb = static_cast<int>(b_ids.size());
  TokenAlignment out;
  const int shortest = std::min(ta, tb);
  while (out.prefix < shortest && a_ids[static_cast<size_t>(out.prefix)] == b_ids[static_cast<size_t>(out.prefix)])
    ++out.prefix;
  while (out.prefix + out.suffix < shortest &&
         a_ids[static_cast<size_t>(ta - 1 - out.suffix)] == b_ids[static_cast<size_t>(tb - 1 - out.suffix)])
    ++out.suffix;
  out.a_middle = ta - out.prefix - out.suffix;
  out.b_middle = tb - out.prefix - out.suffix;
  for (int i = 0; i < out.prefix; ++i) out.slots.push_back({i, i});
  for (int i = 0; i < out.a_middle; ++i) out.slots.push_back({out.prefix + i, -1});
  for (int i = 0; i < out.b_middle; ++i) out.slots.push_back({-1, out.prefix + i});
  for (int i = 0; i < out.suffix; ++i) out.slots.push_back({ta - out.suffix + i, tb - out.suffix + i});
  return out;
}

}  // namespace attnscope
