// Loads a Hugging Face model folder: config.json, model.safetensors (or
// shards) and the tokenizer files, through the family's tensor-name table.
#pragma once
#include <filesystem>
#include <memory>

#include "model.h"

namespace attnscope {

std::shared_ptr<Model> load_hf_folder(const std::filesystem::path& folder);

}  // namespace attnscope
