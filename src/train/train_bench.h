// `attnscope-train bench`: training steps of one model shape on random tokens,
// timed under the OpenBLAS products and, in the same run, under the Eigen
// products of the earlier trainer (the baseline), alternating round by round.
#pragma once
#include <ostream>

#include "train/trainer.h"

namespace attnscope::train {

struct TrainBenchOptions {
  TrainOptions train;  // shape and batch; the other fields are unused
  int steps = 10;      // timed steps per backend per round
  int rounds = 3;
};

// Prints one line per round and backend, then the median tokens/s of each and
// their ratio; the last line is JSON.
void run_train_bench(const TrainBenchOptions& options, std::ostream& out);

}  // namespace attnscope::train
