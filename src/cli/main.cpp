// attnscope-cli: headless runs of the attnscope engine.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/blas_kernels.h"
#include "core/default_model.h"
#include "core/error.h"
#include "core/forward.h"
#include "core/pass_memory.h"

namespace attnscope::cli {

namespace {

// Anything the loaders let through that is not an Error (bad_alloc, a library
// exception) still names the file and the stage.
std::shared_ptr<const Model> load_model_named(const std::string& path) {
  try {
    return load_model(path);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(path + ": error loading the model: " + e.what());
  }
}

}  // namespace

std::shared_ptr<const Model> open_model(const std::optional<std::string>& path) {
  std::shared_ptr<const Model> model;
  if (path) model = load_model_named(*path);
  else if (auto fallback = default_model_path()) model = load_model_named(fallback->string());
  else throw Error("no --model given and no default model is installed");
  for (const std::string& warning : model->warnings) std::cerr << "attnscope-cli: warning: " << warning << "\n";
  return model;
}

void print_warnings(const AttentionSnapshot& snapshot) {
  for (const std::string& warning : snapshot.warnings) std::cerr << "attnscope-cli: warning: " << warning << "\n";
}

std::string default_text() { return kDefaultSentence; }

}  // namespace attnscope::cli

namespace {

const char* kUsage =
    "usage:\n"
    "  attnscope-cli run [--model PATH] [--text TEXT|--text-file PATH] [--json FILE.json] [--force] [--top-k K]\n"
    "                    [--ablate L:H,...] [--no-causal|--causal] [--no-positions] [--mask-keys I,...]\n"
    "                    encoder-decoder models: [--target TEXT] [--ablate-decoder L:H,...] [--ablate-cross L:H,...]\n"
    "                    (TEXT is the source; without --target the target is the greedy translation)\n"
    "  attnscope-cli generate [--model PATH] [--prompt TEXT] --steps N [--temperature T] [--seed S]\n"
    "  attnscope-cli translate --model PATH --text SOURCE [--steps N]\n"
    "  attnscope-cli export [--model PATH] [--text TEXT|--text-file PATH] --format bertviz|npy|csv\n"
    "                    --out FILE.json|FILE.npy|FILE.csv\n"
    "                    [--tensor attention|q|k|v] [--layer L --head H] [--ablate ...] [--force]\n"
    "                    encoder-decoder models: [--target TEXT] [--attention self|decoder|cross]\n"
    "                    [--ablate-decoder L:H,...] [--ablate-cross L:H,...]\n"
    "  attnscope-cli heads [--model PATH] [--text TEXT|--text-file PATH] [--json FILE.json] [--force]\n"
    "  attnscope-cli render [--model PATH] [--text TEXT] --view heatmap|head|model|qkv|predictions|alignment|diff\n"
    "                    [--text-b TEXT (diff: the sentence compared with --text)]\n"
    "                    [--layer L --head H] [--head-mode single|mean|max] [--query I] [--ablate L:H,...]\n"
    "                    [--mask-keys I,...] [--causal|--no-causal] [--no-positions] [--colormap NAME] [--color-scale linear|log|per-row]\n"
    "                    [--hide-special] [--display-mode raw|value|rollout|flow] [--scale 1|2|4] [--size WxH] [--light]\n"
    "                    --out FILE.png [--force]\n"
    "                    encoder-decoder models: [--target TEXT] [--attention self|decoder|cross] [--step N]\n"
    "                    [--ablate-decoder L:H,...] [--ablate-cross L:H,...] [--align head|mean|max|layers] [--align-tokens]\n"
    "  attnscope-cli render --batch FILE.jsonl [options as defaults]   (one JSON object per line, same names)\n"
    "--text - and --text-file - read standard input. Existing files are never overwritten without --force.\n"
    "PATH is a Hugging Face model folder, a llama2.c folder, or a llama2.c .bin checkpoint.\n";

}  // namespace

int main(int argc, char** argv) {
  attnscope::use_blas_kernels_for_this_cpu(argv);
  attnscope::reuse_freed_pass_memory();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "run") return attnscope::cli::run_command(args);
    if (command == "generate") return attnscope::cli::generate_command(args);
    if (command == "translate") return attnscope::cli::translate_command(args);
    if (command == "export") return attnscope::cli::export_command(args);
    if (command == "heads") return attnscope::cli::heads_command(args);
    if (command == "render") return attnscope::cli::render_command(args);
    std::cerr << "attnscope-cli: unknown command '" << command << "' (see attnscope-cli --help)\n";
    return 2;
  } catch (const attnscope::Error& e) {
    std::cerr << "attnscope-cli: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attnscope-cli: " << command << ": unexpected failure: " << e.what() << "\n";
    return 2;
  }
}
