#include "bench/machine.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <Eigen/Core>

#include "core/error.h"

namespace attnscope::bench {
namespace {

long long status_field_kb(const std::string& field) {  // "VmHWM" -> kB, or -1
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return -1;
}

// Eigen's vectorised reduction keeps several loads in flight, which is what a
// bandwidth probe needs; a plain float loop would be serialised on one adder.
float sum_floats(const float* data, std::size_t n) {
  return Eigen::Map<const Eigen::VectorXf>(data, static_cast<Eigen::Index>(n)).sum();
}

}  // namespace

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

Bandwidth measure_read_bandwidth(std::size_t bytes, int repeats) {
  const std::size_t n = bytes / sizeof(float);
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unique_ptr<float[]> data(new float[n]);
  // Each thread touches its own half first so pages land where they are read.
  const auto split = [&](const std::function<void(int, std::size_t, std::size_t)>& fn) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { fn(t, n * static_cast<std::size_t>(t) / threads, n * static_cast<std::size_t>(t + 1) / threads); });
    for (auto& th : pool) th.join();
  };
  split([&](int, std::size_t begin, std::size_t end) { std::fill(data.get() + begin, data.get() + end, 1.0f); });

  volatile float sink = 0;
  Bandwidth result;
  result.threads = threads;
  for (int r = 0; r < repeats; ++r) {
    double start = now_seconds();
    sink = sink + sum_floats(data.get(), n);
    double one = static_cast<double>(bytes) / (now_seconds() - start) / 1e9;
    result.one_thread_gbs = std::max(result.one_thread_gbs, one);

    std::vector<float> partial(static_cast<size_t>(threads));
    start = now_seconds();
    split([&](int t, std::size_t begin, std::size_t end) {
      partial[static_cast<size_t>(t)] = sum_floats(data.get() + begin, end - begin);
    });
    double all = static_cast<double>(bytes) / (now_seconds() - start) / 1e9;
    for (float p : partial) sink = sink + p;
    result.all_threads_gbs = std::max(result.all_threads_gbs, all);
  }
  return result;
}

double measure_peak_gflops(int repeats) {
  const int n = 1024;
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<Eigen::MatrixXf> a, b, c;
  for (int t = 0; t < threads; ++t) {
    a.push_back(Eigen::MatrixXf::Random(n, n));
    b.push_back(Eigen::MatrixXf::Random(n, n));
    c.push_back(Eigen::MatrixXf::Zero(n, n));
  }
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    const double start = now_seconds();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { c[t].noalias() = a[t] * b[t]; });
    for (auto& th : pool) th.join();
    best = std::max(best, threads * 2.0 * n * n * n / (now_seconds() - start) / 1e9);
  }
  return best;
}

std::string run_in_child(const std::function<std::string()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) throw Error("cannot create a pipe for the setup process");
  const pid_t pid = fork();
  if (pid < 0) throw Error("cannot fork the setup process");
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    std::string out;
    try {
      out = fn();
    } catch (const std::exception& e) {
      out = e.what();
      code = 1;
    }
    const char* p = out.data();
    std::size_t left = out.size();
    while (left > 0) {
      ssize_t w = write(fds[1], p, left);
      if (w <= 0) break;
      p += w;
      left -= static_cast<std::size_t>(w);
    }
    close(fds[1]);
    _exit(code);  // no destructors, no atexit handlers of the parent's state
  }
  close(fds[1]);
  std::string out;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(got));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) throw Error("setup process died (signal " + std::to_string(WTERMSIG(status)) + ")");
  if (WEXITSTATUS(status) != 0) throw Error(out);
  return out;
}

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

long long peak_rss_bytes() {
  long long kb = status_field_kb("VmHWM");
  if (kb >= 0) return kb * 1024;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<long long>(usage.ru_maxrss) * 1024;
}

long long current_rss_bytes() {
  long long kb = status_field_kb("VmRSS");
  return kb < 0 ? -1 : kb * 1024;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  if (!(in >> a >> b >> c)) return "";
  return a + " " + b + " " + c;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

double minimum(const std::vector<double>& values) {
  return values.empty() ? 0 : *std::min_element(values.begin(), values.end());
}

}  // namespace attnscope::bench
