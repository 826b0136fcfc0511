// attnscope-cli translate: the greedy translation of an encoder-decoder model
// (Marian, T5). Only the text goes to stdout, as with generate.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/seq2seq.h"

namespace attnscope::cli {

int translate_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--model", "--text", "--steps"}, {});
  auto model = open_model(args.get("--model"));
  if (!is_encoder_decoder(*model))
    throw Error(ErrorKind::Usage, model->source.string() + " is a " + model->config.model_type +
                                      " model: translate needs an encoder-decoder model (Marian, T5); use generate or run");
  const int steps = args.get_int("--steps", 64, 1, 1 << 16);
  const std::vector<Token> source = model->tokenizer->encode(args.require("--text"));
  const GreedyTranslation greedy = translate_greedy(model, source, steps);
  std::cout << decode_translation(*model, greedy.ids) << "\n";
  return 0;
}

}  // namespace attnscope::cli
