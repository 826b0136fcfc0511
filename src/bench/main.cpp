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
#include <tuple>
#include <utility>
#include <unistd.h>
#include <vector>

#include "bench/machine.h"
#include "bench/report.h"
#include "core/blas_kernels.h"
#include "core/synthetic_bert.h"
#include "core/synthetic_gpt2.h"
#include "bench/workload.h"
#include "core/error.h"
#include "core/forward.h"
#include "core/gemm.h"
#include "core/parallel.h"
#include "core/pass_memory.h"

namespace attnscope::bench {
namespace {

namespace fs = std::filesystem;

const char* kUsage =
    "usage: attnscope-bench [--model PATH] [--runs N] [--sizes 8,32,...] [--seed S] [--json FILE]\n"
    "                       [--no-baseline] [--no-gemm-reference]\n"
    "       attnscope-bench --write-model DIR [--shape gpt2-small|bert-base] [--seed S]\n"
    "                       (write a synthetic checkpoint and exit; bert-base is for the app's --bench-ui)\n"
    "Without --model, a GPT-2-small-shaped checkpoint with random weights is written to a temporary\n"
    "folder (removed again once loaded). Times run_tokens with default RunOptions (capture everything,\n"
    "top-5 at every position) at each T; in the same run, the same pass with Eigen's GEMM (the\n"
    "baseline), with logits for the last position only, and an edit of the last token that reuses\n"
    "the earlier rows (causal models). Compares against plain Eigen GEMM of the same products and\n"
    "against the time to read every weight once at the measured memory bandwidth.\n"
    "--json FILE appends one JSON object per T and line: T, median_ms, min_ms, floor_ms, gflops,\n"
    "peak_rss_mb and more.\n";

struct Options {
  std::optional<std::string> model;
  int runs = 5;
  std::vector<int> sizes = {8, 32, 128, 512, 1024};
  std::uint64_t seed = 1234;
  std::optional<std::string> json;
  std::optional<std::string> write_model;  // write the synthetic checkpoint here and stop
  std::string shape = "gpt2-small";        // of the written checkpoint: gpt2-small or bert-base
  bool baseline = true;        // time the same pass with Eigen's GEMM
  bool gemm_reference = true;  // time plain Eigen products of the same shapes
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
    } else if (a == "--json") {
      o.json = value();
    } else if (a == "--write-model") {
      o.write_model = value();
    } else if (a == "--shape") {
      o.shape = value();
      if (o.shape != "gpt2-small" && o.shape != "bert-base") throw Error("--shape: expected gpt2-small or bert-base, got '" + o.shape + "'");
    } else if (a == "--no-baseline") {
      o.baseline = false;
    } else if (a == "--no-gemm-reference") {
      o.gemm_reference = false;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else {
      throw Error("unknown option '" + a + "'\n" + kUsage);
    }
  }
  if (o.shape != "gpt2-small" && !o.write_model) throw Error("--shape applies only to --write-model");
  return o;
}

double mb(double bytes) { return bytes / 1e6; }

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

// Times `a` and `b` alternately, one warm-up each, so that a change in the
// machine's load during the measurement hits both alike.
template <class A, class B>
std::pair<std::vector<double>, std::vector<double>> time_alternating(int runs, A&& a, B&& b) {
  a();
  b();
  std::vector<double> ta, tb;
  for (int r = 0; r < runs; ++r) {
    double start = now_seconds();
    a();
    ta.push_back(now_seconds() - start);
    start = now_seconds();
    b();
    tb.push_back(now_seconds() - start);
  }
  return {ta, tb};
}

// Full forward + capture with the default backend, and (unless skipped) the
// same pass with Eigen's GEMM, alternating. The previous snapshot is released
// first so that two never coexist; the peak RSS window covers only these runs.
void time_forward(const std::shared_ptr<const Model>& model, const std::vector<Token>& tokens, const Options& o, Row& row) {
  std::shared_ptr<const AttentionSnapshot> snap;
  RunOptions timed;
  timed.time_layers = true;  // reads the clock a few times per layer; changes no value
  std::vector<PartTimes> parts;
  const auto ours = [&] {
    snap.reset();
    snap = run_tokens(model, tokens, timed);
    parts.push_back(part_times(snap->timing));
  };
  const RunOptions options;
  const GemmBackend chosen = gemm_backend();
  const auto eigen = [&] {
    snap.reset();
    set_gemm_backend(GemmBackend::Eigen);
    snap = run_tokens(model, tokens, options);
    set_gemm_backend(chosen);
  };
  const bool windowed = reset_peak_rss();
  const double cpu_start = process_cpu_seconds(), wall_start = now_seconds();
  std::vector<double> times, baseline;
  if (o.baseline)
    std::tie(times, baseline) = time_alternating(o.runs, ours, eigen);
  else
    times = time_runs(o.runs, ours);
  row.cores_busy = (process_cpu_seconds() - cpu_start) / (now_seconds() - wall_start);
  row.peak_rss = static_cast<double>(peak_rss_bytes());
  row.snapshot_bytes = snapshot_bytes(*snap);
  row.ms = median(times) * 1e3;
  row.min_ms = minimum(times) * 1e3;
  row.baseline_ms = median(baseline) * 1e3;
  parts.erase(parts.begin());  // the warm-up pass
  row.parts = median_part_times(parts);
  if (!windowed) std::printf("  (peak RSS is the process peak so far: the kernel refused a new window)\n");
}

// The interactive variants: logits for the last position only, and an edit
// of the last token that reuses every earlier row of the previous snapshot.
void time_interactive(const std::shared_ptr<const Model>& model, const std::vector<Token>& tokens, const Options& o, Row& row) {
  RunOptions last;
  last.predict = RunOptions::Predict::Last;
  row.interactive_ms = median(time_runs(o.runs, [&] { run_tokens(model, tokens, last); })) * 1e3;
  if (!model->config.causal) return;
  std::vector<Token> edited = tokens;
  RunOptions edit;
  edit.reuse = run_tokens(model, tokens, RunOptions{});
  int flip = 0;
  row.edit_ms = median(time_runs(o.runs, [&] {
    edited.back().id = (tokens.back().id + 1 + (flip++ % 2)) % model->config.vocab_size;
    run_tokens(model, edited, edit);
  })) * 1e3;
}

void time_gemm_reference(const Model& model, int T, const Flops& flops, const Options& o, Row& row) {
  {
    GemmReference gemm(model, T);
    const auto t1 = time_runs(o.runs, [&] { gemm.run(); });
    row.gemm1_ms = median(t1) * 1e3;
    row.gemm1_gflops = flops.total() / median(t1) / 1e9;
  }
  const int cores = parallel_threads();
  std::vector<std::unique_ptr<GemmReference>> copies;
  for (int i = 0; i < cores; ++i) copies.push_back(std::make_unique<GemmReference>(model, T));
  const auto tn = time_runs(o.runs, [&] {
    std::vector<std::thread> threads;
    for (auto& g : copies) threads.emplace_back([&g] { g->run(); });
    for (auto& th : threads) th.join();
  });
  row.gemm2_gflops = cores * flops.total() / median(tn) / 1e9;
  std::printf("  Eigen GEMM, 1 thread          median %9.1f ms          %6.1f GFLOPS   ours/GEMM %.2f\n", row.gemm1_ms,
              row.gemm1_gflops, row.gflops / row.gemm1_gflops);
  std::printf("  Eigen GEMM, %d copies at once  aggregate                  %6.1f GFLOPS   ours/GEMM %.2f\n", cores,
              row.gemm2_gflops, row.gflops / row.gemm2_gflops);
}

Row bench_size(const std::shared_ptr<const Model>& model, int T, const Options& o, const Bandwidth& bw, double peak_gflops) {
  const Flops flops = forward_flops(model->config, T);
  const std::vector<Token> tokens = random_tokens(T, model->config.vocab_size, o.seed + static_cast<std::uint64_t>(T));
  Row row;
  row.T = T;
  row.load = load_average();
  std::printf("T = %d   (load average %s)\n", T, row.load.c_str());
  std::fflush(stdout);

  time_forward(model, tokens, o, row);
  row.gflops = flops.total() / (row.ms * 1e-3) / 1e9;
  std::printf("  forward+capture  median %9.1f ms (min %.1f, %d runs)  %6.1f GFLOPS   [%.2f GFLOP: linear %.2f, attention %.2f, head %.2f]\n",
              row.ms, row.min_ms, o.runs, row.gflops, flops.total() / 1e9, flops.linear / 1e9, flops.attention / 1e9,
              flops.lm_head / 1e9);
  if (row.baseline_ms > 0)
    std::printf("  same pass, Eigen GEMM  median %9.1f ms (alternating runs)   Eigen/%s %.2f\n", row.baseline_ms,
                gemm_backend_name(gemm_backend()), row.baseline_ms / row.ms);
  print_parts(row.parts, part_work(*model, T), bw.best(), peak_gflops);
  std::printf("                   cores busy %.2f of %d (CPU time / wall time; well below %d means other load or idle threads)\n",
              row.cores_busy, parallel_threads(), parallel_threads());
  std::fflush(stdout);

  time_interactive(model, tokens, o, row);
  std::printf("  last position's logits only  median %9.1f ms", row.interactive_ms);
  if (row.edit_ms > 0) std::printf("   edit of the last token  median %.1f ms", row.edit_ms);
  std::printf("\n");
  if (o.gemm_reference) time_gemm_reference(*model, T, flops, o, row);

  const double bytes = weight_bytes_read(*model, T);
  row.floor_ms = bytes / (bw.best() * 1e9) * 1e3;
  row.compute_floor_ms = flops.total() / (peak_gflops * 1e9) * 1e3;
  std::printf("  bandwidth floor  %.1f MB of weights / %.1f GB/s = %.1f ms   time/floor %.2f\n", mb(bytes), bw.best(),
              row.floor_ms, row.ms / row.floor_ms);
  std::printf("  compute floor    %.2f GFLOP / %.1f GFLOPS = %.1f ms   time/max(floors) %.2f\n", flops.total() / 1e9,
              peak_gflops, row.compute_floor_ms, row.ms / std::max(row.floor_ms, row.compute_floor_ms));
  std::printf("  peak RSS %.0f MB   snapshot %.0f MB   weights %.0f MB\n\n", mb(row.peak_rss), mb(row.snapshot_bytes),
              mb(weight_bytes_read(*model, 0)));
  std::fflush(stdout);
  return row;
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
  reuse_freed_pass_memory();  // as the app and the command line do
  const Options o = parse_args(argc, argv);
  if (o.write_model) {
    if (o.shape == "bert-base") write_synthetic_bert(*o.write_model, BertShape{}, o.seed);
    else write_synthetic_gpt2(*o.write_model, Gpt2Shape{}, o.seed);
    std::printf("wrote a %s-shaped checkpoint with random weights to %s\n", o.shape.c_str(), o.write_model->c_str());
    return 0;
  }
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
  print_summary(rows, parallel_threads(), gemm_backend_name(gemm_backend()));
  if (o.json) {
    write_json_lines(*o.json, rows, gemm_backend_name(gemm_backend()), o.runs);
    std::printf("wrote %zu JSON lines to %s\n", rows.size(), o.json->c_str());
  }
  return 0;
}

}  // namespace
}  // namespace attnscope::bench

int main(int argc, char** argv) {
  attnscope::use_blas_kernels_for_this_cpu(argv);
  try {
    return attnscope::bench::bench_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attnscope-bench: %s\n", e.what());
    return 2;
  }
}
