// Fuzzes session files: any JSON either is refused with attnscope::Error or
// reads as a session that writes back and reads again to the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "scene/session.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return 0;
  attnscope::Scene session;
  try {
    session = attnscope::session_from_json(parsed, "fuzz.json");
  } catch (const attnscope::Error&) {
    return 0;
  }
  const nlohmann::json written = attnscope::session_to_json(session);
  const nlohmann::json rewritten = attnscope::session_to_json(attnscope::session_from_json(written, "written.json"));
  if (written != rewritten) std::abort();
  return 0;
}
