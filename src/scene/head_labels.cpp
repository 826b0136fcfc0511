#include "scene/head_labels.h"

namespace attnscope {

int shown_index(int index, bool one_based) { return one_based ? index + 1 : index; }

std::string layer_label(int layer, bool one_based) {
  std::string label = "L";  // appended piece by piece: GCC 12 warns (-Wrestrict) on "L" + std::to_string(...)
  label += std::to_string(shown_index(layer, one_based));
  return label;
}

std::string head_label(int layer, int head, bool one_based) {
  std::string label = layer_label(layer, one_based);
  label += " H";
  label += std::to_string(shown_index(head, one_based));
  return label;
}

}  // namespace attnscope
