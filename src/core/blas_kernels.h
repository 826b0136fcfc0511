// OpenBLAS's choice of kernels. Debian 12's OpenBLAS (0.3.21, built for every
// x86 CPU) picks its kernels from the CPU's family and model numbers, and on
// a CPU it does not know, such as a virtualised Xeon that reports no model
// name, it falls back to Prescott's SSE3 kernels: the trainer then runs 2.3×
// slower (docs/performance.md). OpenBLAS reads OPENBLAS_CORETYPE only as it
// loads, so a program that finds the fallback sets it from the CPU's own
// feature flags and starts itself again, once.
#pragma once
#include <string>
#include <string_view>

namespace attnscope {

// The kernels OpenBLAS uses in this process: "SkylakeX", "Haswell", "Prescott"...
std::string blas_core_name();

// The OPENBLAS_CORETYPE to ask for instead of `current`, or "" to keep it:
// only the fallback is replaced, with the widest kernels the CPU can run.
std::string blas_core_for_cpu(std::string_view current, bool avx512, bool avx2);

// At the start of main: when OpenBLAS fell back on a CPU with AVX2 or
// AVX-512 and OPENBLAS_CORETYPE is unset, sets it and re-executes the
// program with the same arguments. Returns if nothing needs to change or the
// restart fails (the program then runs on the fallback kernels).
void use_blas_kernels_for_this_cpu(char** argv);

}  // namespace attnscope
