// Writes a trained model as an ordinary Hugging Face folder: config.json and
// model.safetensors with the tensor names and layouts transformers uses
// (GPT2LMHeadModel: Conv1D [in, out], no prefix; BertForMaskedLM: nn.Linear
// [out, in] under "bert." and "cls.predictions."), so the engine's
// load_model() opens it like any downloaded checkpoint. The output head is
// tied to the token embeddings and left out of the file, as transformers does.
// The tokenizer files are written next to them by the tokenizer trainers.
#pragma once
#include <filesystem>
#include <vector>

#include "core/safetensors_writer.h"
#include "train/param_layout.h"

namespace attnscope::train {

struct SpecialIds {
  int bos = -1, eos = -1, pad = -1;  // written to config.json where >= 0
};

// Copies a [rows, cols] block starting at column `col0` of a row-major matrix
// with `stride` columns, transposed when asked (nn.Linear stores [out, in]).
NamedTensor matrix_tensor(const std::string& name, const float* data, std::int64_t rows, std::int64_t cols, std::int64_t stride,
                          std::int64_t col0, bool transpose);
NamedTensor vector_tensor(const std::string& name, const float* data, std::int64_t size);

// The tensors of model.safetensors under their Hugging Face names.
std::vector<NamedTensor> hf_tensors(const ModelShape& shape, const ParamLayout& layout, const std::vector<float>& params);

// config.json + model.safetensors into `folder` (created if needed).
void export_hf_model(const std::filesystem::path& folder, const ModelShape& shape, const ParamLayout& layout,
                     const std::vector<float>& params, const SpecialIds& ids);

}  // namespace attnscope::train
