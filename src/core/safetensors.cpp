#include "safetensors.h"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "error.h"
#include "strict_json.h"

namespace attnscope {

using nlohmann::json;

// ---------------------------------------------------------------------------
// dtypes and shapes

namespace {

struct DTypeEntry {
  DType dtype;
  const char* name;
  std::size_t size;
};

constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8},     {DType::F32, "F32", 4},         {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2},   {DType::I64, "I64", 8},         {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},     {DType::I8, "I8", 1},           {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1},   {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

const DTypeEntry& dtype_entry(DType dtype) {
  for (const auto& entry : kDTypes)
    if (entry.dtype == dtype) return entry;
  throw Error("invalid DType value " + std::to_string(static_cast<int>(dtype)));
}

}  // namespace

const char* dtype_name(DType dtype) { return dtype_entry(dtype).name; }
std::size_t dtype_size(DType dtype) { return dtype_entry(dtype).size; }

bool dtype_from_name(std::string_view name, DType* dtype) {
  for (const auto& entry : kDTypes) {
    if (name == entry.name) {
      *dtype = entry.dtype;
      return true;
    }
  }
  return false;
}

std::string shape_string(std::span<const std::int64_t> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); i++) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::int64_t FloatTensor::numel() const {
  std::int64_t n = 1;
  for (std::int64_t dim : shape) n *= dim;
  return n;
}

namespace {

// Same cap as the reference implementation: a header is a table of contents.
constexpr std::uint64_t kMaxHeaderLength = 100'000'000;

// JSON integers >= 0 arrive as unsigned, except "-0".
bool as_u64(const json& value, std::uint64_t* out) {
  if (value.is_number_unsigned()) {
    *out = value.get<std::uint64_t>();
    return true;
  }
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    *out = static_cast<std::uint64_t>(value.get<std::int64_t>());
    return true;
  }
  return false;
}

// "[begin, end]", appended piecewise (GCC 12 warns falsely on "[" + to_string(..)).
std::string range_string(std::uint64_t begin, std::uint64_t end) {
  std::string text = "[";
  text += std::to_string(begin);
  text += ", ";
  text += std::to_string(end);
  text += ']';
  return text;
}

const json& require_field(const json& entry, const char* field, const std::string& where) {
  auto it = entry.find(field);
  if (it == entry.end()) throw Error(where + ": missing field '" + field + "'");
  return *it;
}

TensorInfo parse_tensor_entry(const std::string& name, const json& entry, std::uint64_t data_size,
                              const std::string& source) {
  const std::string where = source + ": tensor '" + name + "'";
  if (!entry.is_object()) throw Error(where + ": entry is " + json_for_error(entry) + ", expected a JSON object");
  TensorInfo info;
  info.name = name;

  const json& dtype = require_field(entry, "dtype", where);
  if (!dtype.is_string()) throw Error(where + ": dtype is " + json_for_error(dtype) + ", expected a string");
  if (!dtype_from_name(dtype.get_ref<const std::string&>(), &info.dtype))
    throw Error(where + ": unknown dtype " + json_for_error(dtype));

  const json& shape = require_field(entry, "shape", where);
  if (!shape.is_array()) throw Error(where + ": shape is " + json_for_error(shape) + ", expected an array");
  for (std::size_t i = 0; i < shape.size(); i++) {
    std::uint64_t dim = 0;
    if (!as_u64(shape[i], &dim) || dim > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw Error(where + ": shape dimension " + std::to_string(i) + " is " + json_for_error(shape[i]) +
                  ", expected a non-negative integer");
    info.shape.push_back(static_cast<std::int64_t>(dim));
  }
  // Every partial product must fit in int64 so later stride arithmetic cannot
  // overflow; zero dimensions are left out so [0, 2^40, 2^40] is still empty.
  std::uint64_t nonzero_product = 1;
  bool empty = false;
  for (std::int64_t dim : info.shape) {
    if (dim == 0) {
      empty = true;
    } else if (__builtin_mul_overflow(nonzero_product, static_cast<std::uint64_t>(dim), &nonzero_product) ||
               nonzero_product > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      throw Error(where + ": shape " + shape_string(info.shape) + " has more than 2^63 elements");
    }
  }
  const std::uint64_t numel = empty ? 0 : nonzero_product;

  const json& offsets = require_field(entry, "data_offsets", where);
  if (!offsets.is_array() || offsets.size() != 2 || !as_u64(offsets[0], &info.begin) ||
      !as_u64(offsets[1], &info.end))
    throw Error(where + ": data_offsets is " + json_for_error(offsets) + ", expected [begin, end] byte offsets");
  const std::string offsets_text = range_string(info.begin, info.end);
  if (info.begin > info.end) throw Error(where + ": data_offsets " + offsets_text + " have begin > end");
  if (info.end > data_size)
    throw Error(where + ": data_offsets " + offsets_text + " past end of data section (" +
                std::to_string(data_size) + " bytes; truncated file?)");

  std::uint64_t needed = 0;
  const bool too_big = __builtin_mul_overflow(numel, static_cast<std::uint64_t>(dtype_size(info.dtype)), &needed);
  if (too_big || needed != info.end - info.begin) {
    std::string needed_text = too_big ? "more than 2^64" : std::to_string(needed);
    throw Error(where + ": dtype " + dtype_name(info.dtype) + " x shape " + shape_string(info.shape) + " needs " +
                needed_text + " bytes but data_offsets give " + std::to_string(info.end - info.begin));
  }
  return info;
}

std::map<std::string, std::string> parse_metadata(const json& metadata, const std::string& source) {
  if (!metadata.is_object())
    throw Error(source + ": __metadata__ is " + json_for_error(metadata) + ", expected a JSON object of strings");
  std::map<std::string, std::string> result;
  for (const auto& [key, value] : metadata.items()) {
    if (!value.is_string())
      throw Error(source + ": __metadata__ value of '" + key + "' is " + json_for_error(value) + ", expected a string");
    result.emplace(key, value.get<std::string>());
  }
  return result;
}

}  // namespace

// ---------------------------------------------------------------------------
// SafetensorsHeader

SafetensorsHeader SafetensorsHeader::parse(std::span<const std::uint8_t> file_bytes, const std::string& source) {
  const std::uint64_t file_size = file_bytes.size();
  if (file_size < 8)
    throw Error(source + ": truncated file: " + std::to_string(file_size) +
                " bytes, shorter than the 8-byte header length");
  std::uint64_t header_length = 0;
  for (int i = 7; i >= 0; i--) header_length = (header_length << 8) | file_bytes[static_cast<std::size_t>(i)];
  if (header_length > file_size - 8)
    throw Error(source + ": header length " + std::to_string(header_length) + " past end of file (size " +
                std::to_string(file_size) + ")");
  if (header_length > kMaxHeaderLength)
    throw Error(source + ": header length " + std::to_string(header_length) + " exceeds the limit of " +
                std::to_string(kMaxHeaderLength) + " bytes");

  std::string_view text(reinterpret_cast<const char*>(file_bytes.data()) + 8, header_length);
  json root = parse_json_strict(text, source, "header");
  if (!root.is_object()) throw Error(source + ": header is " + json_for_error(root) + ", expected a JSON object");

  SafetensorsHeader header;
  header.data_start_ = 8 + header_length;
  const std::uint64_t data_size = file_size - header.data_start_;
  for (const auto& [key, value] : root.items()) {
    if (key == "__metadata__") {
      header.metadata_ = parse_metadata(value, source);
    } else {
      header.tensors_.push_back(parse_tensor_entry(key, value, data_size, source));
    }
  }

  std::sort(header.tensors_.begin(), header.tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  // Sorted by begin, a non-empty tensor overlaps an earlier one exactly when it
  // starts before the furthest end seen so far. Empty tensors own no bytes.
  const TensorInfo* furthest = nullptr;
  for (const TensorInfo& info : header.tensors_) {
    if (info.begin == info.end) continue;
    if (furthest && info.begin < furthest->end)
      throw Error(source + ": tensors '" + furthest->name + "' " + range_string(furthest->begin, furthest->end) +
                  " and '" + info.name + "' " + range_string(info.begin, info.end) + " overlap");
    furthest = &info;
  }

  for (std::size_t i = 0; i < header.tensors_.size(); i++) header.index_.emplace(header.tensors_[i].name, i);
  return header;
}

const TensorInfo* SafetensorsHeader::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

// ---------------------------------------------------------------------------
// SafetensorsFile

std::shared_ptr<const SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  auto file = std::make_shared<SafetensorsFile>();
  file->file_ = MappedFile::open(path);
  file->header_ = SafetensorsHeader::parse(file->file_.bytes(), path.string());
  return file;
}

std::span<const std::uint8_t> SafetensorsFile::tensor_bytes(const TensorInfo& info) const {
  auto bytes = file_.bytes();
  const std::uint64_t start = header_.data_start();
  // Parsing proved this for the header's own tensors; a TensorInfo from
  // elsewhere must not turn into an out-of-range read.
  if (info.begin > info.end || start > bytes.size() || info.end > bytes.size() - start)
    throw Error(path().string() + ": tensor '" + info.name + "' lies outside the file");
  return bytes.subspan(start + info.begin, info.end - info.begin);
}

}  // namespace attnscope
