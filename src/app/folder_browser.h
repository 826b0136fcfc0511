// File -> Open model folder: an in-app folder browser with a typed path and
// the recent-models list. It only picks a path; loading is the caller's job.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace attnscope::app {

class FolderBrowser {
 public:
  // Opens the dialog at `start` (or the current directory when it is not a folder).
  void open(const std::filesystem::path& start);
  // Draws the modal while it is open. Returns the chosen model path once.
  std::optional<std::filesystem::path> draw(const std::vector<std::string>& recent_models);

 private:
  struct Entry {
    std::string name;
    bool is_dir = false;
    bool looks_like_model = false;  // config.json or a llama2.c .bin inside, or a .bin file
  };
  void go_to(const std::filesystem::path& dir);
  void list_entries();

  bool open_requested_ = false;
  std::filesystem::path dir_;
  std::string typed_path_;
  std::vector<Entry> entries_;
  std::string list_error_;
  int selected_ = -1;
};

// True for folders load_model can open (config.json, or a *.bin next to a tokenizer *.bin).
bool looks_like_model_folder(const std::filesystem::path& dir);

}  // namespace attnscope::app
