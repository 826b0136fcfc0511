// load_model: decides what kind of model a path holds and hands it to the
// matching loader, then repacks the dense weights for the kernels that read them.
#include <sys/stat.h>

#include <cerrno>
#include <system_error>

#include "error.h"
#include "hf_loader.h"
#include "llama2c_checkpoint.h"
#include "model.h"
#include "regular_file.h"
#include "weight_panels.h"

namespace attnscope {

namespace fs = std::filesystem;

namespace {

std::shared_ptr<Model> load_by_kind(const fs::path& path) {
  std::error_code ec;
  if (!entry_exists(path)) throw Error(ErrorKind::NotFound, path.string() + ": no such file or folder");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 && errno == ELOOP)
    throw Error(ErrorKind::Io, path.string() + ": symlink loop (too many levels of symbolic links)");
  if (fs::is_directory(path, ec)) {
    if (entry_exists(path / "config.json")) return load_hf_folder(path);
    if (auto checkpoint = find_llama2c_checkpoint(path)) return load_llama2c(*checkpoint);
    throw Error(path.string() +
                ": not a model folder (expected config.json with model.safetensors, or a llama2.c *.bin with its tokenizer)");
  }
  if (path.extension() == ".bin") return load_llama2c(path);
  if (path.extension() == ".safetensors" || path.filename() == "config.json") return load_hf_folder(path.parent_path());
  throw Error(path.string() + ": unrecognised model file (expected a folder, a llama2.c .bin or a .safetensors file)");
}

}  // namespace

std::shared_ptr<const Model> load_model(const fs::path& path) {
  std::shared_ptr<Model> model = load_by_kind(path);
  repack_into_panels(*model);
  return model;
}

}  // namespace attnscope
