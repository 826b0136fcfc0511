// Where the embedded default model lives: installed next to the executable
// (share/attnscope/models) or in the source tree's assets/models.
#pragma once
#include <filesystem>
#include <optional>

namespace attnscope {

// The sentence attnscope opens on: "it" resolves to "animal" because of "tired".
inline constexpr const char* kDefaultSentence = "The animal didn't cross the street because it was too tired";

// The first default model folder that exists, or nullopt.
std::optional<std::filesystem::path> default_model_path();

}  // namespace attnscope
