// attnscope-bench: how fast is a full forward pass with capture, and how far
// is it from what the machine allows (plain Eigen GEMM of the same products,
// and the time to stream every weight from memory once)?
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "bench/machine.h"
#include "bench/synthetic_gpt2.h"
#include "bench/workload.h"
#include "core/error.h"
#include "core/forward.h"
#include "core/parallel.h"

namespace attnscope::bench {
namespace {

namespace fs = std::filesystem;

const char* kUsage =
    "usage: attnscope-bench [--model PATH] [--runs N] [--sizes 8,32,...] [--seed S]\n"
    "Without --model, a GPT-2-small-shaped checkpoint with random weights is written to a temporary\n"
    "folder (removed again once loaded). Times run_tokens with default RunOptions (capture everything,\n"
    "top-5 at every position) at each T, against plain Eigen GEMM of the same products and against\n"
    "the time to read every weight once at the measured memory bandwidth.\n";

struct Options {
  std::optional<std::string> model;
  int runs = 5;
  std::vector<int> sizes = {8, 32, 128, 512, 1024};
  std::uint64_t seed = 1234;
};

std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    int t = 0;
    try {
      t = std::stoi(item);
    } catch (const std::exception&) {
      throw Error("--sizes: '" + item + "' is not a number");
    }
    if (t <= 0) throw Error("--sizes: " + item + " is not a positive token count");
    sizes.push_back(t);
  }
  if (sizes.empty()) throw Error("--sizes: expected a list such as 8,32,128");
  return sizes;
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--model") {
      o.model = value();
    } else if (a == "--runs") {
      const std::string v = value();
      try {
        o.runs = std::stoi(v);
      } catch (const std::exception&) {
        throw Error("--runs: '" + v + "' is not a number");
      }
      if (o.runs < 1) throw Error("--runs: expected at least 1, got " + v);
    } else if (a == "--sizes") {
      o.sizes = parse_sizes(value());
    } else if (a == "--seed") {
      o.seed = std::stoull(value());
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      throw Error("unknown option '" + a + "'\n" + kUsage);
    }
  }
  return o;
}

double mb(double bytes) { return bytes / 1e6; }

struct Row {
  int T = 0;
  double ms = 0, min_ms = 0, gflops = 0;
  double gemm1_ms = 0, gemm1_gflops = 0;  // one plain Eigen product sequence on one thread
  double gemm2_gflops = 0;               // two such sequences at once, one per core (aggregate)
  double floor_ms = 0;                   // weight bytes / bandwidth; 0 when not computed
  double compute_floor_ms = 0;           // FLOPs / peak GFLOPS; 0 when not computed
  double peak_rss = 0, snapshot_bytes = 0;
  double cores_busy = 0;                 // process CPU time / wall time over the forward runs
};

double snapshot_bytes(const AttentionSnapshot& s) {
  double floats = 0;
  for (const HeadCapture& h : s.heads) floats += h.q.size() + h.k.size() + h.v.size() + h.probs.size() + h.out.size();
  for (const MatrixRM& r : s.residual) floats += static_cast<double>(r.size());
  floats += static_cast<double>(s.final_hidden.size() + s.logits.size());
  return floats * sizeof(float);
}

std::vector<Token> random_tokens(int T, int vocab, std::uint64_t seed) {
  std::vector<Token> tokens(static_cast<size_t>(T));
  std::uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (Token& t : tokens) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    t.id = static_cast<int>(s % static_cast<std::uint64_t>(vocab));
  }
  return tokens;
}

// Median wall time of `runs` calls of fn after one warm-up call.
template <class Fn>
std::vector<double> time_runs(int runs, Fn&& fn) {
  fn();
  std::vector<double> seconds;
  for (int r = 0; r < runs; ++r) {
    const double start = now_seconds();
    fn();
    seconds.push_back(now_seconds() - start);
  }
  return seconds;
}

Row bench_size(const std::shared_ptr<const Model>& model, int T, const Options& o, const Bandwidth& bw, double peak_gflops) {
  const ModelConfig& c = model->config;
  const Flops flops = forward_flops(c, T);
  const std::vector<Token> tokens = random_tokens(T, c.vocab_size, o.seed + static_cast<std::uint64_t>(T));
  Row row;
  row.T = T;
  std::printf("T = %d   (load average %s)\n", T, load_average().c_str());
  std::fflush(stdout);

  // Forward + capture. The previous snapshot is released first so that two
  // never coexist; the peak RSS window covers only these runs.
  std::shared_ptr<const AttentionSnapshot> snap;
  const RunOptions options;
  const bool windowed = reset_peak_rss();
  const double cpu_start = process_cpu_seconds(), wall_start = now_seconds();
  const auto forward_times = time_runs(o.runs, [&] {
    snap.reset();
    snap = run_tokens(model, tokens, options);
  });
  row.cores_busy = (process_cpu_seconds() - cpu_start) / (now_seconds() - wall_start);
  row.peak_rss = static_cast<double>(peak_rss_bytes());
  row.snapshot_bytes = snapshot_bytes(*snap);
  snap.reset();
  row.ms = median(forward_times) * 1e3;
  row.min_ms = minimum(forward_times) * 1e3;
  row.gflops = flops.total() / (row.ms * 1e-3) / 1e9;
  std::printf("  forward+capture  median %9.1f ms (min %.1f, %d runs)  %6.1f GFLOPS   [%.2f GFLOP: linear %.2f, attention %.2f, head %.2f]\n",
              row.ms, row.min_ms, o.runs, row.gflops, flops.total() / 1e9, flops.linear / 1e9, flops.attention / 1e9,
              flops.lm_head / 1e9);
  std::printf("                   cores busy %.2f of %d (CPU time / wall time; well below %d means other load or idle threads)\n",
              row.cores_busy, parallel_threads(), parallel_threads());
  std::fflush(stdout);

  // The same products as plain Eigen: once on one thread, then two independent
  // copies on two threads to show what the cores can do together.
  {
    GemmReference gemm(*model, T);
    const auto t1 = time_runs(o.runs, [&] { gemm.run(); });
    row.gemm1_ms = median(t1) * 1e3;
    row.gemm1_gflops = flops.total() / median(t1) / 1e9;
  }
  const int cores = parallel_threads();
  {
    std::vector<std::unique_ptr<GemmReference>> copies;
    for (int i = 0; i < cores; ++i) copies.push_back(std::make_unique<GemmReference>(*model, T));
    const auto tn = time_runs(o.runs, [&] {
      std::vector<std::thread> threads;
      for (auto& g : copies) threads.emplace_back([&g] { g->run(); });
      for (auto& th : threads) th.join();
    });
    row.gemm2_gflops = cores * flops.total() / median(tn) / 1e9;
  }
  std::printf("  Eigen GEMM, 1 thread          median %9.1f ms          %6.1f GFLOPS   ours/GEMM %.2f\n", row.gemm1_ms,
              row.gemm1_gflops, row.gflops / row.gemm1_gflops);
  std::printf("  Eigen GEMM, %d copies at once  aggregate                  %6.1f GFLOPS   ours/GEMM %.2f\n", cores,
              row.gemm2_gflops, row.gflops / row.gemm2_gflops);

  if (T <= 32) {
    const double bytes = weight_bytes_read(*model, T);
    row.floor_ms = bytes / (bw.best() * 1e9) * 1e3;
    std::printf("  bandwidth floor  %.1f MB of weights / %.1f GB/s = %.1f ms   time/floor %.2f\n", mb(bytes), bw.best(),
                row.floor_ms, row.ms / row.floor_ms);
    // Small T is not only a memory problem: the arithmetic has a floor too.
    row.compute_floor_ms = flops.total() / (peak_gflops * 1e9) * 1e3;
    std::printf("  compute floor    %.2f GFLOP / %.1f GFLOPS = %.1f ms   time/max(floors) %.2f\n", flops.total() / 1e9,
                peak_gflops, row.compute_floor_ms, row.ms / std::max(row.floor_ms, row.compute_floor_ms));
  }
  std::printf("  peak RSS %.0f MB (%s)   snapshot %.0f MB   weights %.0f MB\n", mb(row.peak_rss),
              windowed ? "VmHWM over this T's forward runs" : "process peak so far", mb(row.snapshot_bytes),
              mb(weight_bytes_read(*model, 0)));
  std::fflush(stdout);

  std::printf("\n");
  std::fflush(stdout);
  return row;
}

void print_summary(const std::vector<Row>& rows, int cores) {
  std::printf("Summary\n");
  std::printf("  %5s %10s %8s %14s %8s %14s %8s %9s %10s %9s %9s\n", "T", "median ms", "GFLOPS", "GEMM-1T GFLOPS", "ours/1T",
              "GEMM-xN GFLOPS", "ours/xN", "bw floor", "time/floor", "cpu floor", "peak RSS");
  for (const Row& r : rows) {
    char floor[16] = "-", ratio[16] = "-", compute[16] = "-";
    if (r.floor_ms > 0) {
      std::snprintf(floor, sizeof floor, "%.1f", r.floor_ms);
      std::snprintf(ratio, sizeof ratio, "%.2f", r.ms / r.floor_ms);
      std::snprintf(compute, sizeof compute, "%.1f", r.compute_floor_ms);
    }
    std::printf("  %5d %10.1f %8.1f %14.1f %8.2f %14.1f %8.2f %9s %10s %9s %6.0f MB\n", r.T, r.ms, r.gflops, r.gemm1_gflops,
                r.gflops / r.gemm1_gflops, r.gemm2_gflops, r.gflops / r.gemm2_gflops, floor, ratio, compute, mb(r.peak_rss));
  }
  std::printf("  (GEMM-1T: the same products as one plain Eigen call each on one thread; GEMM-xN: %d such\n"
              "   sequences at once, one per core, aggregate throughput; floors in ms: weights / bandwidth, FLOPs / peak)\n\n",
              cores);
  std::printf("Targets\n");
  for (const Row& r : rows) {
    if (r.floor_ms > 0)
      std::printf("  T=%-5d time/floor %.2f (target <= 1.30)          %s\n", r.T, r.ms / r.floor_ms,
                  r.ms / r.floor_ms <= 1.3 ? "met" : "MISSED");
    if (r.T >= 128)
      std::printf("  T=%-5d ours/GEMM-1T %.2f, ours/GEMM-xN %.2f (target >= 0.60)  %s\n", r.T, r.gflops / r.gemm1_gflops,
                  r.gflops / r.gemm2_gflops,
                  r.gflops / r.gemm2_gflops >= 0.6 ? "met against both"
                  : r.gflops / r.gemm1_gflops >= 0.6 ? "met against 1T only" : "MISSED");
    if (r.T == 1024)
      std::printf("  T=1024  peak RSS %.0f MB = %.2f GiB (target < 1.5 GB)  %s\n", mb(r.peak_rss),
                  r.peak_rss / (1024.0 * 1024 * 1024), r.peak_rss < 1.5e9 ? "met" : "MISSED");
  }
}

// Removes the temporary checkpoint folder however the setup ends.
struct RemoveOnExit {
  fs::path path;
  ~RemoveOnExit() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

int bench_main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  std::printf("attnscope-bench   (load average at start: %s)\n", load_average().c_str());

  // Both setup steps need far more memory than the benchmark itself (a 1 GB
  // probe array, the 500 MB of weights being written), so they run in child
  // processes: this process's peak RSS then reflects the forward pass alone.
  const std::string bw_text = run_in_child([] {
    const Bandwidth b = measure_read_bandwidth(std::size_t{1} << 30, 3);
    const double peak = measure_peak_gflops(3);
    return std::to_string(b.one_thread_gbs) + " " + std::to_string(b.all_threads_gbs) + " " + std::to_string(b.threads) +
           " " + std::to_string(peak);
  });
  Bandwidth bw;
  double peak_gflops = 0;
  std::istringstream(bw_text) >> bw.one_thread_gbs >> bw.all_threads_gbs >> bw.threads >> peak_gflops;
  std::printf("memory read bandwidth (sum over 1 GB, best of 3): %.1f GB/s on 1 thread, %.1f GB/s on %d threads\n",
              bw.one_thread_gbs, bw.all_threads_gbs, bw.threads);
  std::printf("peak arithmetic (one 1024^3 Eigen product per core, all at once, best of 3): %.1f GFLOPS\n", peak_gflops);

  RemoveOnExit temp;
  fs::path model_path;
  if (o.model) {
    model_path = *o.model;
  } else {
    temp.path = fs::temp_directory_path() / ("attnscope-bench-" + std::to_string(getpid()));
    model_path = temp.path;
    const double start = now_seconds();
    const std::uint64_t seed = o.seed;
    run_in_child([&] {
      write_synthetic_gpt2(model_path, Gpt2Shape{}, seed);
      return std::string();
    });
    std::printf("wrote a GPT-2-small-shaped checkpoint with random weights to %s in %.1f s\n", model_path.c_str(),
                now_seconds() - start);
  }
  const std::shared_ptr<const Model> model = load_model(model_path);
  // The weights stay mapped after the files are unlinked, so the folder can go now.
  if (!temp.path.empty()) {
    fs::remove_all(temp.path);
    temp.path.clear();
  }
  const ModelConfig& c = model->config;
  std::printf("model: %s, L=%d H=%d D=%d Dh=%d F=%d V=%d, %d threads; weights read per pass %.1f MB\n\n",
              c.model_type.c_str(), c.n_layers, c.n_heads, c.dim, c.head_dim, c.ffn_dim, c.vocab_size, parallel_threads(),
              mb(weight_bytes_read(*model, 0)));

  std::vector<Row> rows;
  for (int T : o.sizes) {
    if (T > c.max_positions) {
      std::printf("T = %d skipped: the model's context is %d\n\n", T, c.max_positions);
      continue;
    }
    rows.push_back(bench_size(model, T, o, bw, peak_gflops));
  }
  print_summary(rows, parallel_threads());
  return 0;
}

}  // namespace
}  // namespace attnscope::bench

int main(int argc, char** argv) {
  try {
    return attnscope::bench::bench_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attnscope-bench: %s\n", e.what());
    return 2;
  }
}
