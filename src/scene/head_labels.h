// How a head is named on screen: "L4 H3". Layers and heads are stored 0-based;
// papers such as Clark et al. (2019) count from 1, so the user may switch the
// labels to match what they are reading.
#pragma once
#include <string>

namespace attnscope {

// index + 1 when one_based, else index.
int shown_index(int index, bool one_based);
// "L4"
std::string layer_label(int layer, bool one_based);
// "L4 H3"
std::string head_label(int layer, int head, bool one_based);

}  // namespace attnscope
