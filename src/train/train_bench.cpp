#include "train/train_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/blas_kernels.h"
#include "core/error.h"
#include "train/train_gemm.h"

namespace attnscope::train {
namespace {

constexpr int kDocumentTokens = 100;
constexpr int kWarmupStepsPerBackend = 1;

// Uniform random ids in 100-token documents; the last three ids of the
// vocabulary are the separator, [CLS] and [MASK].
TokenStream random_stream(int vocab_size, int documents) {
  TokenStream stream;
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> id(0, vocab_size - 4);
  for (int d = 0; d < documents; ++d) {
    stream.starts.push_back(stream.ids.size());
    for (int t = 0; t < kDocumentTokens; ++t) stream.ids.push_back(id(rng));
    stream.ids.push_back(vocab_size - 1);
  }
  return stream;
}

double tokens_per_second(Trainer& trainer, int steps) {
  const auto start = std::chrono::steady_clock::now();
  for (int s = 0; s < steps; ++s) trainer.train_step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const BatchOptions& b = trainer.options().batches;
  return static_cast<double>(steps) * b.batch * b.tokens / seconds;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

void run_train_bench(const TrainBenchOptions& options, std::ostream& out) {
  if (options.steps < 1 || options.rounds < 1) throw Error("bench: --steps and --rounds must be at least 1");
  TrainOptions t = options.train;
  const int vocab = t.shape.vocab_size;
  if (vocab < 8) throw Error("bench: --vocab must be at least 8");
  t.batches.separator_id = vocab - 1;
  t.batches.cls_id = vocab - 2;
  t.batches.mask_id = vocab - 3;
  t.steps = 2 * (kWarmupStepsPerBackend + options.steps * options.rounds);  // the LR schedule's length
  const TokenStream stream = random_stream(vocab, 400);
  Trainer trainer(t, &stream, nullptr);
  out << "OpenBLAS kernels: " << blas_core_name() << "\n";
  const TrainGemm before = train_gemm();
  std::map<TrainGemm, std::vector<double>> rates;
  for (TrainGemm gemm : {TrainGemm::Blas, TrainGemm::Eigen}) {
    set_train_gemm(gemm);
    tokens_per_second(trainer, kWarmupStepsPerBackend);
  }
  for (int round = 1; round <= options.rounds; ++round) {
    for (TrainGemm gemm : {TrainGemm::Blas, TrainGemm::Eigen}) {
      set_train_gemm(gemm);
      const double rate = tokens_per_second(trainer, options.steps);
      rates[gemm].push_back(rate);
      char line[128];
      std::snprintf(line, sizeof line, "round %d  %-8s %8.0f tok/s", round, train_gemm_name(gemm), rate);
      out << line << "\n";
    }
  }
  set_train_gemm(before);
  const double blas = median(rates[TrainGemm::Blas]), eigen = median(rates[TrainGemm::Eigen]);
  char line[160];
  std::snprintf(line, sizeof line, "median   OpenBLAS %.0f tok/s, Eigen %.0f tok/s: %.2fx", blas, eigen, blas / eigen);
  out << line << "\n";
  nlohmann::json j = {{"arch", arch_name(t.shape.arch)}, {"dim", t.shape.dim}, {"layers", t.shape.n_layers},
                      {"heads", t.shape.n_heads}, {"ffn", t.shape.ffn_dim}, {"vocab", vocab},
                      {"tokens_per_step", t.batches.batch * t.batches.tokens}, {"openblas_tok_s", rates[TrainGemm::Blas]},
                      {"eigen_tok_s", rates[TrainGemm::Eigen]}, {"ratio", blas / eigen},
                      {"openblas_kernels", blas_core_name()}};
  out << j.dump() << std::endl;
}

}  // namespace attnscope::train
