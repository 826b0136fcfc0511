// libFuzzer target: any byte string fed to the safetensors header parser must
// either parse into offsets that lie inside the input or throw attnscope::Error.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "core/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  try {
    attnscope::SafetensorsHeader header = attnscope::SafetensorsHeader::parse(bytes, "fuzz");
    // Touch the first and last byte of every tensor: ASan flags any range the
    // parser accepted that reaches past the input.
    volatile std::uint8_t sink = 0;
    for (const attnscope::TensorInfo& info : header.tensors()) {
      if (info.begin == info.end) continue;
      sink = sink ^ bytes[header.data_start() + info.begin] ^ bytes[header.data_start() + info.end - 1];
      if (header.find(info.name) != &info) __builtin_trap();
    }
  } catch (const attnscope::Error&) {
  }
  return 0;
}
