// Helpers shared by the tests: paths to ../shared and small file utilities.
#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace attnscope::testing {

std::filesystem::path shared_dir();                 // ../shared next to the repository
std::filesystem::path fixture(const std::string& name);  // shared/fixtures/<name>
std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);
// A fresh empty folder under the system temp dir, unique per call.
std::filesystem::path temp_dir(const std::string& prefix);

}  // namespace attnscope::testing
