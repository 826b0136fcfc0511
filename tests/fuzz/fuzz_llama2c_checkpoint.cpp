// Fuzzes llama2.c checkpoints: the input is the .bin file. The header is read
// and the implied size computed; an input of exactly that size (and small)
// is written next to a matching tokenizer, loaded through load_model (which
// scans its weights for NaN/Inf) and run on two tokens. Only attnscope::Error
// may come out.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/forward.h"
#include "core/llama2c_checkpoint.h"

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxLoadedBytes = 1 << 20;  // keeps one forward pass fast

template <typename T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// tok<V>.bin with one printable piece per id.
std::string tokenizer_bin(int vocab_size) {
  std::string out;
  append<std::int32_t>(out, 8);
  for (int id = 0; id < vocab_size; ++id) {
    const std::string piece = id < 3 ? std::string(id == 0 ? "<unk>" : id == 1 ? "<s>" : "</s>") : "t" + std::to_string(id);
    append<float>(out, static_cast<float>(-id));
    append<std::int32_t>(out, static_cast<std::int32_t>(piece.size()));
    out += piece;
  }
  return out;
}

void write(const fs::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void load_and_run(std::string_view checkpoint, const attnscope::Llama2cHeader& header) {
  // Under $TMPDIR, which run_fuzzers.sh points at its own folder, removed at the end.
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("attnscope-fuzz-llama2c-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  for (const auto& entry : fs::directory_iterator(dir)) fs::remove(entry.path());
  write(dir / "model.bin", checkpoint);
  write(dir / ("tok" + std::to_string(header.vocab_size) + ".bin"), tokenizer_bin(header.vocab_size));
  const auto model = attnscope::load_model(dir / "model.bin");
  std::vector<attnscope::Token> tokens;
  for (int id : {1, header.vocab_size - 1}) {
    attnscope::Token token;
    token.id = id;
    tokens.push_back(token);
  }
  if (static_cast<int>(tokens.size()) > header.seq_len) tokens.resize(static_cast<std::size_t>(header.seq_len));
  attnscope::run_tokens(model, tokens, {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const std::string source = "model.bin";
    const auto span = std::span(data, size);
    const attnscope::Llama2cHeader header = attnscope::read_llama2c_header(span, source);
    const std::uint64_t expected = attnscope::llama2c_file_size(header, source);
    if (expected == size && size <= kMaxLoadedBytes && header.vocab_size <= 4096) load_and_run(bytes, header);
  } catch (const attnscope::Error&) {
  }
  return 0;
}
