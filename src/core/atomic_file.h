// The one way attnscope writes a file: the bytes go to a temporary file in the
// destination's folder, are flushed to disk, and only then take the final
// name. A reader never sees half a file, a failed write leaves nothing behind,
// and an existing file is never replaced unless the caller asks for it (the
// final step refuses atomically, so even a race cannot replace one).
#pragma once
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace attnscope {

enum class Overwrite { Refuse, Allow };

// Streams a file into place. Dropped without commit(), it removes its
// temporary file, so an exception part-way leaves the folder as it was.
class AtomicFileWriter {
 public:
  // Checks the destination (check_output_path) and creates the temporary file.
  AtomicFileWriter(const std::filesystem::path& path, Overwrite overwrite);
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  void write(std::span<const std::byte> bytes);
  void write(std::string_view bytes) { write(std::as_bytes(std::span(bytes.data(), bytes.size()))); }
  // fsync, then the final name. Throws Error if the path appeared meanwhile
  // (with Overwrite::Refuse) or the disk refused the data.
  void commit();

 private:
  std::filesystem::path path_, temp_path_;
  Overwrite overwrite_;
  int fd_ = -1;
};

// Writes `bytes` to `path` through an AtomicFileWriter.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes, Overwrite overwrite);

// Throws Error naming the path when a write there would fail: the folder is
// missing (NotFound) or not a folder, the path is a folder, or it exists and
// overwriting is refused (Io).
void check_output_path(const std::filesystem::path& path, Overwrite overwrite);

// check_output_path for every path of a batch, plus a Usage error when two of
// them name the same file, so that nothing is written unless all can be.
void check_output_paths(const std::vector<std::filesystem::path>& paths, Overwrite overwrite);

// A Usage error unless the path ends in one of `extensions` (".json", ...),
// so data never lands under a name that promises another format.
void check_output_extension(const std::filesystem::path& path, std::initializer_list<std::string_view> extensions);

}  // namespace attnscope
