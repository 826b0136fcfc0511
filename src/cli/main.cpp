// attnscope-cli: headless runs of the attnscope engine.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/default_model.h"
#include "core/error.h"
#include "core/forward.h"

namespace attnscope::cli {

std::shared_ptr<const Model> open_model(const std::optional<std::string>& path) {
  if (path) return load_model(*path);
  if (auto fallback = default_model_path()) return load_model(*fallback);
  throw Error("no --model given and no default model is installed");
}

std::string default_text() { return "The animal didn't cross the street because it was too tired"; }

}  // namespace attnscope::cli

namespace {

const char* kUsage =
    "usage:\n"
    "  attnscope-cli run [--model PATH] [--text TEXT] [--json FILE] [--top-k K] [--ablate L:H,...]\n"
    "                    [--no-causal|--causal] [--mask-key I,...]\n"
    "                    encoder-decoder models: [--target TEXT] [--ablate-decoder L:H,...] [--ablate-cross L:H,...]\n"
    "                    (TEXT is the source; without --target the target is the greedy translation)\n"
    "  attnscope-cli generate [--model PATH] [--prompt TEXT] --steps N [--temperature T] [--seed S]\n"
    "  attnscope-cli translate --model PATH --text SOURCE [--steps N]\n"
    "  attnscope-cli export [--model PATH] [--text TEXT] --format bertviz|npy|csv --out FILE\n"
    "                    [--tensor attention|q|k|v] [--layer L --head H] [--ablate ...] [--force]\n"
    "                    encoder-decoder models: [--target TEXT] [--attention self|decoder|cross]\n"
    "                    [--ablate-decoder L:H,...] [--ablate-cross L:H,...]\n"
#ifdef ATTNSCOPE_WITH_RENDER
    "  attnscope-cli render [--model PATH] [--text TEXT] --view heatmap|head|model|qkv|predictions\n"
    "                    [--layer L --head H] [--head-mode single|mean|max] [--query I] [--ablate L:H,...]\n"
    "                    [--mask-key I,...] [--causal|--no-causal] [--colormap NAME] [--color-scale linear|log|per-row]\n"
    "                    [--hide-special] [--scale 1|2|4] [--size WxH] [--light] --out FILE.png [--force]\n"
    "  attnscope-cli render --batch FILE.jsonl [options as defaults]   (one JSON object per line, same names)\n"
#endif
    "PATH is a Hugging Face model folder, a llama2.c folder, or a llama2.c .bin checkpoint.\n";

}  // namespace

int main(int argc, char** argv) {
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
#ifdef ATTNSCOPE_WITH_RENDER
    if (command == "render") return attnscope::cli::render_command(args);
#else
    if (command == "render") {
      std::cerr << "attnscope-cli: render needs the app's views: build with -DATTNSCOPE_BUILD_APP=ON\n";
      return 2;
    }
#endif
    std::cerr << "attnscope-cli: unknown command '" << command << "' (see attnscope-cli --help)\n";
    return 2;
  } catch (const attnscope::Error& e) {
    std::cerr << "attnscope-cli: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attnscope-cli: " << e.what() << "\n";
    return 2;
  }
}
