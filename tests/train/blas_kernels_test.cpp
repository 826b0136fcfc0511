// OpenBLAS's Prescott fallback is replaced by the CPU's own kernels, and the
// trainer, started with OPENBLAS_CORETYPE unset, ends up on them.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "core/blas_kernels.h"

namespace attnscope {
namespace {

TEST(BlasKernels, OnlyTheFallbackIsReplacedWithTheWidestKernels) {
  EXPECT_EQ(blas_core_for_cpu("Prescott", true, true), "SKYLAKEX");
  EXPECT_EQ(blas_core_for_cpu("Prescott", false, true), "HASWELL");
  EXPECT_EQ(blas_core_for_cpu("Prescott", false, false), "");  // nothing better to ask for
  EXPECT_EQ(blas_core_for_cpu("SkylakeX", true, true), "");
  EXPECT_EQ(blas_core_for_cpu("Haswell", true, true), "");    // OpenBLAS's own choice stands
  EXPECT_EQ(blas_core_for_cpu("Zen", false, true), "");
}

// The trainer's bench names the kernels it ran on.
std::string bench_output(const std::string& environment) {
  const std::string command = environment + " " ATTNSCOPE_TRAIN " bench --arch gpt --layers 1 --heads 2 --dim 16 --ffn 32"
                              " --ctx 16 --seq 16 --batch 2 --vocab 64 --steps 1 --rounds 1 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return "";
  std::string out;
  std::array<char, 512> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  return out;
}

std::string kernels_line(const std::string& output) {
  const std::size_t at = output.find("OpenBLAS kernels: ");
  return at == std::string::npos ? "" : output.substr(at + 18, output.find('\n', at) - at - 18);
}

TEST(BlasKernels, TheTrainerRunsOnKernelsForThisCpu) {
  const std::string output = bench_output("env -u OPENBLAS_CORETYPE");
  const std::string kernels = kernels_line(output);
  ASSERT_FALSE(kernels.empty()) << output;
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) EXPECT_NE(kernels, "Prescott") << output;
  // A choice the user makes stands.
  EXPECT_EQ(kernels_line(bench_output("env OPENBLAS_CORETYPE=HASWELL")), "Haswell");
}

}  // namespace
}  // namespace attnscope
