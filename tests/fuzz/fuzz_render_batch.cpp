// Fuzzes render batch files (one JSON object per line): any bytes either are
// refused with attnscope::Error or give at least one job, each with an output.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "scene/figure_batch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto jobs = attnscope::parse_figure_batch(text, "fuzz.jsonl", {{"model", "/m"}});
    if (jobs.empty()) std::abort();
    for (const auto& job : jobs)
      if (job.out.empty() && text.find("\"out\"") == std::string_view::npos) std::abort();
  } catch (const attnscope::Error&) {
  }
  return 0;
}
