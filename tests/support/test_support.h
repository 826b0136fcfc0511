// Helpers shared by the tests: paths to ../shared and small file utilities.
#pragma once
#include <filesystem>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/tokenizer.h"

namespace attnscope::testing {

std::filesystem::path shared_dir();                 // ../shared next to the repository
std::filesystem::path fixture(const std::string& name);  // shared/fixtures/<name>
std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);
// The bytes of every regular file under `folder`.
std::uintmax_t folder_bytes(const std::filesystem::path& folder);
// A fresh empty folder, unique per call, inside this test process's own
// folder under the system temp dir; that folder is removed when the process
// exits normally, whether its tests passed or failed.
std::filesystem::path temp_dir(const std::string& prefix);

// A fresh empty folder removed with everything in it when the object goes out
// of scope, pass or fail: for tests that want it gone before the process ends.
class ScopedTempDir {
 public:
  explicit ScopedTempDir(const std::string& prefix) : path_(temp_dir(prefix)) {}
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  operator const std::filesystem::path&() const { return path_; }  // NOLINT: used where a path is expected

 private:
  std::filesystem::path path_;
};

std::filesystem::path stories_dir();  // shared/models/stories260K
std::vector<int> ids_of(const std::vector<Token>& tokens);
// Tokens with these ids (a golden file's list) and nothing else filled in.
std::vector<Token> tokens_of_ids(const nlohmann::json& ids);
// The first token whose display form, without its leading spaces, is `word`; -1 if none.
int token_index(const std::vector<Token>& tokens, const std::string& word);

// Compares n values with tolerance atol + rtol|expected| and names the worst
// one. `max_abs_error`, when given, grows to the largest |actual - expected| seen.
::testing::AssertionResult all_close(const std::string& what, int n, const std::function<float(int)>& actual,
                                     const std::function<float(int)>& expected, double atol, double rtol,
                                     double* max_abs_error = nullptr);

// Appends a value's bytes as stored in memory (little-endian here).
template <typename T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// A llama2.c tokenizer.bin: int32 max_token_length, then per token
// float32 score, int32 length, bytes.
std::string llama2c_tokenizer_bin(const std::vector<std::pair<std::string, float>>& tokens);

}  // namespace attnscope::testing
