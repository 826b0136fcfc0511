// Writing safetensors files in the standard layout: tensors in name order with
// no gaps, the JSON header padded with spaces so the data section starts on an
// 8-byte boundary (every F32 tensor can then be mapped in place).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "atomic_file.h"
#include "safetensors.h"

namespace attnscope {

struct NamedTensor {
  std::string name;
  std::vector<std::int64_t> shape;
  std::vector<float> data;     // row-major, numel(shape) values
  DType dtype = DType::F32;    // stored as F32, F16 or BF16 (rounded to nearest even)
};

// Throws Error naming the path (and the tensor, for a shape/data mismatch, an
// unsupported dtype or a duplicate name) when the file cannot be written.
// Written atomically; an existing file is replaced only with Overwrite::Allow.
void write_safetensors(const std::filesystem::path& path, const std::vector<NamedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {},
                       Overwrite overwrite = Overwrite::Refuse);

// The same file as bytes in memory.
std::vector<std::uint8_t> safetensors_bytes(const std::vector<NamedTensor>& tensors,
                                            const std::map<std::string, std::string>& metadata = {});

}  // namespace attnscope
