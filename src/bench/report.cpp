#include "bench/report.h"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace attnscope::bench {
namespace {

double mb(double bytes) { return bytes / 1e6; }

std::string fixed(double value, const char* format) {
  if (value <= 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// Rounded to 0.01 so the file stays readable.
double r2(double v) { return static_cast<double>(static_cast<long long>(v * 100 + 0.5)) / 100; }

}  // namespace

void print_summary(const std::vector<Row>& rows, int cores, const char* backend) {
  std::printf("Summary (GEMM: %s)\n", backend);
  std::printf("  %5s %10s %8s %9s %10s %9s %11s %9s %14s %9s %9s\n", "T", "median ms", "GFLOPS", "Eigen ms", "Eigen/ours",
              "last-only", "edit at end", "bw floor", "time/floor", "cpu floor", "peak RSS");
  for (const Row& r : rows) {
    std::printf("  %5d %10.1f %8.1f %9s %10s %9s %11s %9s %14s %9s %6.0f MB\n", r.T, r.ms, r.gflops,
                fixed(r.baseline_ms, "%.1f").c_str(), fixed(r.baseline_ms > 0 ? r.baseline_ms / r.ms : 0, "%.2f").c_str(),
                fixed(r.interactive_ms, "%.1f").c_str(), fixed(r.edit_ms, "%.1f").c_str(), fixed(r.floor_ms, "%.1f").c_str(),
                fixed(r.ms / r.floor_ms, "%.2f").c_str(), fixed(r.compute_floor_ms, "%.1f").c_str(), mb(r.peak_rss));
  }
  std::printf("  (median ms: forward + capture + top-k at every position, the same work as a framework computing\n"
              "   every logit; Eigen ms: the same pass with Eigen's GEMM, timed in this run; last-only: logits for\n"
              "   the last position only; edit at end: the last token changed, earlier rows reused from the\n"
              "   previous snapshot; floors: weight bytes / bandwidth and FLOPs / peak; %d threads)\n\n",
              cores);
  bool any_gemm = false;
  for (const Row& r : rows) any_gemm = any_gemm || r.gemm1_gflops > 0;
  if (!any_gemm) return;
  std::printf("Plain Eigen GEMM yardstick\n  %5s %14s %8s %14s %8s\n", "T", "GEMM-1T GFLOPS", "ours/1T", "GEMM-xN GFLOPS",
              "ours/xN");
  for (const Row& r : rows)
    std::printf("  %5d %14.1f %8.2f %14.1f %8.2f\n", r.T, r.gemm1_gflops, r.gflops / r.gemm1_gflops, r.gemm2_gflops,
                r.gflops / r.gemm2_gflops);
  std::printf("  (GEMM-1T: the same products as one plain Eigen call each on one thread; GEMM-xN: %d such\n"
              "   sequences at once, one per core, aggregate throughput)\n\n",
              cores);
}

void write_json_lines(const std::string& path, const std::vector<Row>& rows, const char* backend, int runs) {
  std::ofstream out(path, std::ios::app);
  if (!out) throw Error("cannot open " + path + " for writing");
  for (const Row& r : rows) {
    nlohmann::json j = {{"T", r.T},
                        {"median_ms", r2(r.ms)},
                        {"min_ms", r2(r.min_ms)},
                        {"floor_ms", r2(r.floor_ms)},
                        {"compute_floor_ms", r2(r.compute_floor_ms)},
                        {"gflops", r2(r.gflops)},
                        {"peak_rss_mb", r2(mb(r.peak_rss))},
                        {"gemm", backend},
                        {"runs", runs},
                        {"eigen_median_ms", r2(r.baseline_ms)},
                        {"last_only_median_ms", r2(r.interactive_ms)},
                        {"edit_median_ms", r2(r.edit_ms)},
                        {"cores_busy", r2(r.cores_busy)},
                        {"load_average", r.load}};
    for (int p = 0; p < kParts; ++p) j["parts"][part_json_key(static_cast<Part>(p))] = r2(r.parts.ms[p]);
    out << j.dump() << "\n";
  }
  if (!out.flush()) throw Error("cannot write " + path);
}

}  // namespace attnscope::bench
