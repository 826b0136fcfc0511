// attnscope-train's translation commands: fit-translate, translate-eval,
// translate-corpus, translate-tokenizers and translate-lexicon-check.
#pragma once
#include "train/cli/args.h"

namespace attnscope::train::cli {

int run_fit_translate(Args& args);
int run_translate_eval(Args& args);
int run_translate_corpus(Args& args);
int run_translate_tokenizers(Args& args);
int run_translate_lexicon_check(Args& args);

}  // namespace attnscope::train::cli
