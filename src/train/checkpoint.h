// Training checkpoints: parameters, both AdamW moments and the step count in
// one safetensors file ("param.<name>", "adam_m.<name>", "adam_v.<name>"),
// with the model shape and seed in its metadata. Since each step's batch
// depends only on (seed, step), this is all a resumed run needs.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "train/param_layout.h"

namespace attnscope::train {

struct CheckpointState {
  ModelShape shape;
  std::uint64_t seed = 0;
  int step = 0;                  // updates done
  std::vector<float> params, adam_m, adam_v;  // flat, ParamLayout order
};

// What every checkpoint holds, for any flat layout.
struct FlatTrainingState {
  std::vector<float> params, adam_m, adam_v;  // flat, layout order
};

// The file format shared by the model kinds: `metadata` must name its
// "format"; tensors "param.<name>", "adam_m.<name>", "adam_v.<name>".
void save_flat_checkpoint(const std::filesystem::path& path, const std::vector<ParamInfo>& tensors, std::size_t total,
                          const FlatTrainingState& state, const std::map<std::string, std::string>& metadata);
// The metadata, after checking that its "format" is `format`.
std::map<std::string, std::string> read_checkpoint_metadata(const std::filesystem::path& path, const std::string& format);
FlatTrainingState load_flat_checkpoint(const std::filesystem::path& path, const std::vector<ParamInfo>& tensors, std::size_t total);

nlohmann::json shape_to_json(const ModelShape& shape);
ModelShape shape_from_json(const nlohmann::json& json);  // throws Error naming the field

// Writes to a temporary file first, then renames, so a crash never leaves a half checkpoint.
void save_checkpoint(const std::filesystem::path& path, const CheckpointState& state);
CheckpointState load_checkpoint(const std::filesystem::path& path);

}  // namespace attnscope::train
