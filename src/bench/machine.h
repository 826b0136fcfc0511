// What the benchmark measures about the machine itself: memory bandwidth,
// resident memory, load, and a way to do memory-hungry setup work without
// it showing up in this process's peak RSS.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace attnscope::bench {

struct Bandwidth {
  double one_thread_gbs = 0;  // GB/s (1e9 bytes) reading with one thread
  double all_threads_gbs = 0; // the same array split over every core
  int threads = 1;
  double best() const { return one_thread_gbs > all_threads_gbs ? one_thread_gbs : all_threads_gbs; }
};

// Sums a `bytes`-sized float array (touched beforehand), best of `repeats`.
Bandwidth measure_read_bandwidth(std::size_t bytes, int repeats);

// Aggregate GFLOPS of one large square Eigen product per core, all cores at
// once, best of `repeats`: the most arithmetic this machine does per second.
double measure_peak_gflops(int repeats);

// Runs fn in a forked child and returns its result. The child's memory never
// counts towards this process's peak RSS. Call before any thread is started.
// Throws Error with the child's message when fn throws or the child dies.
std::string run_in_child(const std::function<std::string()>& fn);

// Starts a new peak-RSS window (Linux /proc/self/clear_refs); false when the
// kernel refuses, and peak_rss_bytes() is then the peak since process start.
bool reset_peak_rss();
long long peak_rss_bytes();     // VmHWM, or getrusage's ru_maxrss
long long current_rss_bytes();  // VmRSS

std::string load_average();  // "1.02 0.87 0.55" from /proc/loadavg, or ""

double median(std::vector<double> values);
double minimum(const std::vector<double>& values);

// Seconds on a monotonic clock.
double now_seconds();
// User + system CPU seconds of this process, all threads.
double process_cpu_seconds();

}  // namespace attnscope::bench
