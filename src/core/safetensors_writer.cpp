#include "safetensors_writer.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "error.h"
#include "float16.h"

namespace attnscope {

static_assert(std::endian::native == std::endian::little, "safetensors data is written as little-endian");

namespace {

// The 8-byte length prefix plus the padded JSON header, and the tensors in
// the order their bytes follow it.
struct Layout {
  std::string prefix_and_header;
  std::vector<const NamedTensor*> order;
};

std::uint64_t checked_numel(const NamedTensor& tensor, const std::string& where) {
  std::uint64_t numel = 1;
  for (std::int64_t dim : tensor.shape) {
    if (dim < 0) throw Error(where + ": shape " + shape_string(tensor.shape) + " has a negative dimension");
    if (__builtin_mul_overflow(numel, static_cast<std::uint64_t>(dim), &numel))
      throw Error(where + ": shape " + shape_string(tensor.shape) + " has too many elements");
  }
  return numel;
}

Layout plan_layout(const std::vector<NamedTensor>& tensors, const std::map<std::string, std::string>& metadata,
                   const std::string& target) {
  Layout layout;
  for (const NamedTensor& tensor : tensors) layout.order.push_back(&tensor);
  std::sort(layout.order.begin(), layout.order.end(),
            [](const NamedTensor* a, const NamedTensor* b) { return a->name < b->name; });

  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < layout.order.size(); i++) {
    const NamedTensor& tensor = *layout.order[i];
    const std::string where = target + ": tensor '" + tensor.name + "'";
    if (tensor.name == "__metadata__") throw Error(where + ": the name is reserved for the metadata");
    if (i > 0 && layout.order[i - 1]->name == tensor.name) throw Error(where + ": duplicate tensor name");
    if (tensor.dtype != DType::F32 && tensor.dtype != DType::F16 && tensor.dtype != DType::BF16)
      throw Error(where + ": cannot write dtype " + dtype_name(tensor.dtype) + " (only F32, F16 and BF16)");
    const std::uint64_t numel = checked_numel(tensor, where);
    if (numel != tensor.data.size())
      throw Error(where + ": shape " + shape_string(tensor.shape) + " holds " + std::to_string(numel) +
                  " values but data has " + std::to_string(tensor.data.size()));
    const std::uint64_t bytes = numel * dtype_size(tensor.dtype);
    header[tensor.name] = {{"dtype", dtype_name(tensor.dtype)},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }

  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::exception& e) {  // a name or metadata string that is not UTF-8
    throw Error(target + ": cannot encode the header: " + e.what());
  }
  text.append((8 - text.size() % 8) % 8, ' ');
  const std::uint64_t length = text.size();
  for (int i = 0; i < 8; i++) layout.prefix_and_header.push_back(static_cast<char>((length >> (8 * i)) & 0xFF));
  layout.prefix_and_header += text;
  return layout;
}

// Appends the tensor's stored bytes (little-endian) to `out`.
void encode_tensor(const NamedTensor& tensor, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  if (tensor.dtype == DType::F32) {
    out.resize(start + tensor.data.size() * sizeof(float));
    if (!tensor.data.empty()) std::memcpy(out.data() + start, tensor.data.data(), tensor.data.size() * sizeof(float));
    return;
  }
  out.resize(start + tensor.data.size() * 2);
  const bool is_f16 = tensor.dtype == DType::F16;
  for (std::size_t i = 0; i < tensor.data.size(); i++) {
    std::uint16_t half = is_f16 ? f32_to_f16(tensor.data[i]) : f32_to_bf16(tensor.data[i]);
    out[start + 2 * i] = static_cast<std::uint8_t>(half & 0xFF);
    out[start + 2 * i + 1] = static_cast<std::uint8_t>(half >> 8);
  }
}

}  // namespace

std::vector<std::uint8_t> safetensors_bytes(const std::vector<NamedTensor>& tensors,
                                            const std::map<std::string, std::string>& metadata) {
  Layout layout = plan_layout(tensors, metadata, "<memory>");
  std::vector<std::uint8_t> bytes(layout.prefix_and_header.begin(), layout.prefix_and_header.end());
  for (const NamedTensor* tensor : layout.order) encode_tensor(*tensor, bytes);
  return bytes;
}

void write_safetensors(const std::filesystem::path& path, const std::vector<NamedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata, Overwrite overwrite) {
  Layout layout = plan_layout(tensors, metadata, path.string());
  AtomicFileWriter out(path, overwrite);
  out.write(layout.prefix_and_header);
  // F32 goes straight from the caller's vector; only F16/BF16 need a buffer,
  // one tensor at a time, so a large checkpoint is never held twice.
  std::vector<std::uint8_t> buffer;
  for (const NamedTensor* tensor : layout.order) {
    if (tensor->dtype == DType::F32) {
      out.write(std::as_bytes(std::span(tensor->data)));
    } else {
      buffer.clear();
      encode_tensor(*tensor, buffer);
      out.write(std::as_bytes(std::span(buffer)));
    }
  }
  out.commit();
}

}  // namespace attnscope
