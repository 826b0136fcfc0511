#include "test_support.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace attnscope::testing {

std::filesystem::path shared_dir() { return std::filesystem::path(ATTNSCOPE_SHARED_DIR); }

std::filesystem::path fixture(const std::string& name) { return shared_dir() / "fixtures" / name; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json read_json(const std::filesystem::path& path) { return nlohmann::json::parse(read_file(path)); }

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

namespace {

// One folder per test process holds every temp_dir; a static object removes
// it at exit, so a run leaves nothing behind in the system temp folder.
class ProcessTempRoot {
 public:
  ProcessTempRoot()
      : path_(std::filesystem::temp_directory_path() / ("attnscope-tests-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ProcessTempRoot() {
    if (::getpid() != owner_) return;  // a forked child must not take its parent's files
    std::error_code ignored;           // a destructor at exit must not throw
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  pid_t owner_ = ::getpid();
};

const std::filesystem::path& process_temp_root() {
  static const ProcessTempRoot root;
  return root.path();
}

}  // namespace

std::filesystem::path temp_dir(const std::string& prefix) {
  static std::atomic<int> counter{0};
  auto dir = process_temp_root() / (prefix + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path stories_dir() { return shared_dir() / "models" / "stories260K"; }

std::vector<Token> tokens_of_ids(const nlohmann::json& ids) {
  std::vector<Token> tokens;
  for (const auto& id : ids) tokens.push_back(Token{id.get<int>(), "", "", 0, 0, false});
  return tokens;
}

std::vector<int> ids_of(const std::vector<Token>& tokens) {
  std::vector<int> ids;
  for (const Token& t : tokens) ids.push_back(t.id);
  return ids;
}

int token_index(const std::vector<Token>& tokens, const std::string& word) {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string d = tokens[i].display;
    d.erase(0, d.find_first_not_of(' '));
    if (d == word) return static_cast<int>(i);
  }
  return -1;
}

::testing::AssertionResult all_close(const std::string& what, int n, const std::function<float(int)>& actual,
                                     const std::function<float(int)>& expected, double atol, double rtol, double* max_abs_error) {
  double worst = 0;
  int worst_at = -1;
  for (int i = 0; i < n; ++i) {
    const double a = actual(i), b = expected(i);
    if (max_abs_error && std::isfinite(a)) *max_abs_error = std::max(*max_abs_error, std::abs(a - b));
    const double excess = std::abs(a - b) - (atol + rtol * std::abs(b));
    if (!(excess <= 0) && (worst_at < 0 || excess > worst)) {
      worst = excess;
      worst_at = i;
    }
  }
  if (worst_at < 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": element " << worst_at << " is " << actual(worst_at) << ", golden "
                                       << expected(worst_at);
}

std::string llama2c_tokenizer_bin(const std::vector<std::pair<std::string, float>>& tokens) {
  std::string out;
  append<std::int32_t>(out, 16);
  for (const auto& [piece, score] : tokens) {
    append<float>(out, score);
    append<std::int32_t>(out, static_cast<std::int32_t>(piece.size()));
    out += piece;
  }
  return out;
}

std::uintmax_t folder_bytes(const std::filesystem::path& folder) {
  std::uintmax_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
    if (entry.is_regular_file()) total += entry.file_size();
  return total;
}

}  // namespace attnscope::testing
