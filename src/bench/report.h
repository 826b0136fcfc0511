// What attnscope-bench found at each T, printed as a table and written as
// JSON lines (one object per T) for scripts and the performance page.
#pragma once
#include <string>
#include <vector>

#include "bench/parts.h"

namespace attnscope::bench {

struct Row {
  int T = 0;
  double ms = 0, min_ms = 0, gflops = 0;  // forward + full capture + top-k at every position
  double baseline_ms = 0;                 // the same pass with Eigen's GEMM, same run; 0 when skipped
  double interactive_ms = 0;              // the same pass with logits for the last position only
  double edit_ms = 0;                     // the last token changed, earlier rows reused; 0 when not causal
  double gemm1_ms = 0, gemm1_gflops = 0;  // one plain Eigen product sequence on one thread; 0 when skipped
  double gemm2_gflops = 0;                // two such sequences at once, one per core (aggregate)
  double floor_ms = 0;                    // weight bytes / bandwidth
  double compute_floor_ms = 0;            // FLOPs / peak GFLOPS
  double peak_rss = 0, snapshot_bytes = 0;
  double cores_busy = 0;                  // process CPU time / wall time over the forward runs
  std::string load;                       // /proc/loadavg when this T started
  PartTimes parts;                        // median ms per part of the timed passes (parts.h)
};

void print_summary(const std::vector<Row>& rows, int cores, const char* backend);

// Appends one JSON object per row, one per line, to `path` (created if missing).
void write_json_lines(const std::string& path, const std::vector<Row>& rows, const char* backend, int runs);

}  // namespace attnscope::bench
