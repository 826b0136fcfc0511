// A GPT-2-shaped Hugging Face folder with random weights, so the benchmarks
// (attnscope-bench and the app's --bench-ui) need no download: config.json, model.safetensors (original gpt2
// tensor names, Conv1D [in, out] layout, LM head tied to wte), and a
// byte-level vocab.json / merges.txt pair.
#pragma once
#include <cstdint>
#include <filesystem>

namespace attnscope {

struct Gpt2Shape {
  int n_layers = 12;      // L
  int n_heads = 12;       // H
  int dim = 768;          // D
  int vocab_size = 50257; // V
  int positions = 1024;   // P
};

// Writes the folder (created if missing). Weights are uniform with standard
// deviation 0.02, LayerNorm weights 1 and biases 0. Tensor names come from the loader's
// table. Throws Error on I/O failure or when a file already exists.
void write_synthetic_gpt2(const std::filesystem::path& folder, const Gpt2Shape& shape, std::uint64_t seed);

}  // namespace attnscope
