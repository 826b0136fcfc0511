// TensorStore: the tensors of a model folder (one file or an index of shards),
// looked up by name and read as float32.
#include <algorithm>
#include <bit>
#include <cstring>

#include <nlohmann/json.hpp>

#include "error.h"
#include "float16.h"
#include "safetensors.h"
#include "regular_file.h"
#include "strict_json.h"

namespace attnscope {

static_assert(std::endian::native == std::endian::little, "F32 tensors are read in place");

using nlohmann::json;

namespace {

// A shard named in an index must stay inside the model folder.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
         name.find("..") == std::string::npos && name.find('\0') == std::string::npos && name != ".";
}

std::string read_whole_file(const std::filesystem::path& path) {
  MappedFile file = MappedFile::open(path);
  auto bytes = file.bytes();
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

TensorStore TensorStore::from_file(std::shared_ptr<const SafetensorsFile> file) {
  if (!file) throw Error("TensorStore::from_file: no file given");
  TensorStore store;
  store.source_ = file->path().string();
  for (const TensorInfo& info : file->header().tensors()) store.entries_.emplace(info.name, Entry{file, &info});
  store.files_.push_back(std::move(file));
  return store;
}

TensorStore TensorStore::open_folder(const std::filesystem::path& folder) {
  const auto single = folder / "model.safetensors";
  const auto index_path = folder / "model.safetensors.index.json";
  if (entry_exists(single)) return from_file(SafetensorsFile::open(single));
  if (!entry_exists(index_path))
    throw Error("no model.safetensors or model.safetensors.index.json in " + folder.string());

  const std::string source = index_path.string();
  const json index = parse_json_strict(read_whole_file(index_path), source, "index");
  if (!index.is_object()) throw Error(source + ": index is " + json_for_error(index) + ", expected a JSON object");
  auto weight_map = index.find("weight_map");
  if (weight_map == index.end() || !weight_map->is_object())
    throw Error(source + ": missing object 'weight_map' {tensor name: shard file}");
  if (weight_map->empty()) throw Error(source + ": 'weight_map' lists no tensors");

  TensorStore store;
  store.source_ = source;
  std::map<std::string, std::shared_ptr<const SafetensorsFile>> shards;  // each shard mapped once
  for (const auto& [name, shard_value] : weight_map->items()) {
    if (!shard_value.is_string())
      throw Error(source + ": weight_map entry of tensor '" + name + "' is " + json_for_error(shard_value) +
                  ", expected a shard file name");
    const std::string& shard = shard_value.get_ref<const std::string&>();
    if (!is_plain_file_name(shard))
      throw Error(source + ": shard " + json_for_error(shard_value) + " of tensor '" + name +
                  "' must be a plain file name inside the folder (no '/' or '..')");
    auto it = shards.find(shard);
    if (it == shards.end()) {
      try {
        it = shards.emplace(shard, SafetensorsFile::open(folder / shard)).first;
      } catch (const Error& e) {
        rethrow_with_context(source, e);
      }
      store.files_.push_back(it->second);
    }
    const TensorInfo* info = it->second->header().find(name);
    if (!info)
      throw Error(source + ": tensor '" + name + "' is listed in shard '" + shard + "' but missing from " +
                  it->second->path().string());
    store.entries_.emplace(name, Entry{it->second, info});
  }
  return store;
}

bool TensorStore::contains(std::string_view name) const { return entries_.find(name) != entries_.end(); }

std::vector<std::string> TensorStore::names() const {
  std::vector<std::string> names;
  names.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) names.push_back(name);
  return names;
}

const TensorInfo* TensorStore::find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : it->second.info;
}

FloatTensor TensorStore::load(std::string_view name, std::span<const std::int64_t> expected_shape) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) throw Error(ErrorKind::NotFound, source_ + ": tensor '" + std::string(name) + "' is missing");
  const auto& [file, info] = it->second;
  const std::string where = file->path().string() + ": tensor '" + info->name + "'";
  if (!std::ranges::equal(info->shape, expected_shape))
    throw Error(where + " has shape " + shape_string(info->shape) + ", expected " + shape_string(expected_shape));
  if (info->dtype != DType::F32 && info->dtype != DType::F16 && info->dtype != DType::BF16)
    throw Error(where + " has dtype " + dtype_name(info->dtype) + "; only F32, F16 and BF16 can be read as float32");

  const std::span<const std::uint8_t> bytes = file->tensor_bytes(*info);
  const std::size_t count = bytes.size() / dtype_size(info->dtype);
  FloatTensor tensor;
  tensor.shape = info->shape;
  if (info->dtype == DType::F32 && reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(float) == 0) {
    tensor.data = reinterpret_cast<const float*>(bytes.data());  // zero-copy view into the mapping
    tensor.owner = file;
    return tensor;
  }
  // A header whose length is not a multiple of 4 leaves F32 data misaligned;
  // reading it through a float* would be undefined, so it is copied instead.
  auto values = std::make_shared<std::vector<float>>(count);
  float* out = values->data();
  if (info->dtype == DType::F32) {
    if (count) std::memcpy(out, bytes.data(), count * sizeof(float));
  } else {
    const bool is_f16 = info->dtype == DType::F16;
    for (std::size_t i = 0; i < count; i++) {
      auto half = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
      out[i] = is_f16 ? f16_to_f32(half) : bf16_to_f32(half);
    }
  }
  tensor.data = out;
  tensor.owner = std::move(values);
  return tensor;
}

}  // namespace attnscope
