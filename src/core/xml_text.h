// Text made safe for XML (SVG) content and attribute values.
#pragma once
#include <string>

namespace attnscope {

// &, <, > and " escaped; control characters, which XML 1.0 text may not
// hold, become spaces.
inline std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

}  // namespace attnscope
