#include "blas_kernels.h"

#include <cstdlib>

#include <cblas.h>
#include <unistd.h>

namespace attnscope {

std::string blas_core_name() { return openblas_get_corename(); }

std::string blas_core_for_cpu(std::string_view current, bool avx512, bool avx2) {
  if (current != "Prescott") return "";  // OpenBLAS knew the CPU
  if (avx512) return "SKYLAKEX";
  if (avx2) return "HASWELL";
  return "";
}

void use_blas_kernels_for_this_cpu(char** argv) {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return;  // the user's choice, or already restarted
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  const std::string wanted = blas_core_for_cpu(blas_core_name(), avx512, __builtin_cpu_supports("avx2"));
  if (wanted.empty()) return;
  setenv("OPENBLAS_CORETYPE", wanted.c_str(), 1);
  execv("/proc/self/exe", argv);  // returns only on failure
  unsetenv("OPENBLAS_CORETYPE");
}

}  // namespace attnscope
