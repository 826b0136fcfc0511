// attnscope-cli generate: text from a causal model. Only the text goes to
// stdout, so the output can be compared or piped; diagnostics go to stderr.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/generate.h"

namespace attnscope::cli {

int generate_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--model", "--prompt", "--steps", "--temperature", "--top-p", "--seed"}, {});
  auto model = open_model(args.get("--model"));
  if (model->config.masked_lm) throw Error(model->source.string() + ": a masked language model cannot generate text");
  if (model->encoder_decoder)
    throw Error(ErrorKind::Usage, model->source.string() + ": an encoder-decoder model: use translate --text SOURCE");
  const int steps = args.get_int("--steps", 256, 1, 1 << 20);
  SamplingOptions sampling;
  sampling.temperature = static_cast<float>(args.get_double("--temperature", 0.0, 0.0, 100.0));
  sampling.top_p = static_cast<float>(args.get_double("--top-p", 0.9, 0.0, 1.0));
  sampling.seed = static_cast<std::uint64_t>(args.get_int("--seed", 1, 0, 2147483647));

  std::vector<int> prompt;
  for (const Token& t : model->tokenizer->encode(args.get_or("--prompt", ""))) prompt.push_back(t.id);
  if (prompt.empty()) {
    // Models whose tokenizer adds no BOS start from their document delimiter.
    const int start = model->tokenizer->bos_id >= 0 ? model->tokenizer->bos_id : model->tokenizer->eos_id;
    if (start < 0) throw Error("this model has no BOS token: give a --prompt");
    prompt.push_back(start);
  }
  std::vector<int> ids = generate(model, prompt, steps, sampling);
  std::cout << decode_generated(*model->tokenizer, ids) << "\n";
  return 0;
}

}  // namespace attnscope::cli
