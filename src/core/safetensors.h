// Safetensors reading: one file or a sharded folder, memory-mapped, with every
// header field, offset, dtype and shape checked before any byte is read.
//
// File layout: u64 little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data section; offsets are relative to the start of the data section.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mapped_file.h"

namespace attnscope {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, F8_E4M3, F8_E5M2 };

const char* dtype_name(DType dtype);
std::size_t dtype_size(DType dtype);
bool dtype_from_name(std::string_view name, DType* dtype);  // false for an unknown name
std::string shape_string(std::span<const std::int64_t> shape);  // "[768, 2304]"

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;  // byte offset inside the data section
  std::uint64_t end = 0;    // one past the last byte
};

// Float32 values of one tensor: a view into the mapping when the file already
// holds aligned F32, otherwise an owned converted copy. `owner` keeps either alive.
struct FloatTensor {
  const float* data = nullptr;
  std::vector<std::int64_t> shape;
  std::shared_ptr<const void> owner;
  std::int64_t numel() const;
};

// The parsed header of one safetensors file. Parsing checks: header length
// inside the file, valid JSON object, known dtype, non-negative shape, offsets
// ordered and inside the data section, byte length == numel * dtype size, no
// overlapping tensors. Every failure throws Error naming `source` and the tensor.
class SafetensorsHeader {
 public:
  static SafetensorsHeader parse(std::span<const std::uint8_t> file_bytes, const std::string& source);

  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* find(std::string_view name) const;
  std::uint64_t data_start() const { return data_start_; }  // 8 + header length
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  std::vector<TensorInfo> tensors_;  // in data order (ascending begin offset)
  std::map<std::string, std::size_t, std::less<>> index_;
  std::map<std::string, std::string> metadata_;
  std::uint64_t data_start_ = 0;
};

class SafetensorsFile {
 public:
  static std::shared_ptr<const SafetensorsFile> open(const std::filesystem::path& path);

  const SafetensorsHeader& header() const { return header_; }
  const std::filesystem::path& path() const { return file_.path(); }
  std::span<const std::uint8_t> tensor_bytes(const TensorInfo& info) const;

 private:
  MappedFile file_;
  SafetensorsHeader header_;
};

// All tensors of a model folder: `model.safetensors`, or the shards listed in
// `model.safetensors.index.json` ({"weight_map": {tensor: shard file}}).
class TensorStore {
 public:
  static TensorStore open_folder(const std::filesystem::path& folder);
  static TensorStore from_file(std::shared_ptr<const SafetensorsFile> file);

  bool contains(std::string_view name) const;
  std::vector<std::string> names() const;
  const TensorInfo* find(std::string_view name) const;  // nullptr when absent

  // Reads a tensor as float32 (from F32, F16 or BF16), checking it exists and
  // has exactly `expected_shape`. Errors name the file, the tensor and both shapes.
  FloatTensor load(std::string_view name, std::span<const std::int64_t> expected_shape) const;
  FloatTensor load(std::string_view name, std::initializer_list<std::int64_t> expected_shape) const {
    return load(name, std::span<const std::int64_t>(expected_shape.begin(), expected_shape.size()));
  }

 private:
  struct Entry {
    std::shared_ptr<const SafetensorsFile> file;
    const TensorInfo* info;
  };
  std::vector<std::shared_ptr<const SafetensorsFile>> files_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::string source_;  // the file or index named when a tensor is missing
};

}  // namespace attnscope
