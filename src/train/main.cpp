// attnscope-train: trains attnscope's default models and writes the data
// they are trained and judged on.
//
//   attnscope-train fit --arch bert --out DIR [options]   corpus, tokenizer, training, HF folder
//   attnscope-train bench --arch gpt [shape options]        training speed: OpenBLAS against Eigen
//   attnscope-train corpus --out FILE [--mix ..] [--mb N]  the mixed training corpus, for reading
//   attnscope-train probe --out FILE [--count N]           the held-out pronoun probe set (JSON lines)
//   attnscope-train probe-eval --model DIR [--write-presets] every head scored on the probe set
//   attnscope-train mlm-eval --model DIR                     masked-token accuracy on held-out real text
//   attnscope-train sample-check --model DIR               how much of a causal model's samples is generated text
//   attnscope-train plot --log FILE --out FILE.svg           the loss curve of a run's log
//   attnscope-train fit-translate --out DIR              English -> French Marian model, tokenizers included
//   attnscope-train translate-eval --model DIR           cross-attention heads scored on word alignments
//   attnscope-train translate-corpus --out FILE --split S    English -> French pairs (JSON lines)
//   attnscope-train translate-tokenizers --out DIR           Marian source/target SentencePiece models
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "core/atomic_file.h"
#include "core/blas_kernels.h"
#include "core/error.h"
#include "core/subnormals.h"
#include "train/corpus_generator.h"
#include "train/cli/args.h"
#include "train/cli/translate_commands.h"
#include "train/corpus_mix.h"
#include "train/fit.h"
#include "train/loss_plot.h"
#include "train/mlm_eval.h"
#include "train/probe_eval.h"
#include "train/sample_check.h"
#include "train/train_bench.h"
#include "core/model.h"
#include <nlohmann/json.hpp>

namespace {

using namespace attnscope;
using namespace attnscope::train;
using namespace attnscope::train::cli;

constexpr const char* kUsage = R"(usage:
  attnscope-train fit --arch gpt|bert --out DIR [options]
      --layers 4 --heads 4 --dim 128 --ffn 512 --ctx 128   model shape (ctx = positions)
      --seq 128 --batch 32 --steps 2000                      sequence length, batch size, steps
      --lr 1e-3 --min-lr-ratio 0.1 --warmup 200 --wd 0.01 --clip 1.0
      --mask-prob 0.15 --vocab 6000 --seed 1
      --mix generated=0.45,tinystories=0.35,brown=0.20 --mb 24 --corpora ../shared/corpora
      --wordnet --subjects 0.3   nouns and reasons grown from WordNet; a share of verb -> subject documents
      --stories-only             generated text as stories only, without runs of items and their named-again twins
      --retold                   stories are TinyStories retold with the lexicon's animals and things, not templates
      --retold-people            --retold, and people's nouns swapped too (within their gender)
      --eval-every 200 --eval-batches 8 --log-every 10
      --checkpoint FILE --checkpoint-every 500 --resume --max-minutes 0
  attnscope-train bench --arch gpt|bert [--layers .. --vocab 6000 as for fit] [--steps 10 --rounds 3]
      training steps on random tokens, timed with OpenBLAS's products and with Eigen's (the baseline)
  attnscope-train bench --arch gpt|bert [--layers .. --vocab 6000 as for fit] [--steps 10 --rounds 3]
      training steps on random tokens, timed with OpenBLAS's products and with Eigen's (the baseline)
  attnscope-train corpus --out FILE [--mix ..] [--mb 24] [--seed 1] [--corpora DIR]
  attnscope-train probe --out FILE [--count 400] [--seed 7] [--task pronoun|subject] [--lexicon held-out|wordnet-held-out|training]
  attnscope-train mlm-eval --model DIR [--source brown --last 40 --stride 7]
      masked-token accuracy (top guess = the piece that was there) on the last documents of a source
  attnscope-train probe-eval --model DIR [--task pronoun|subject] [--probe FILE | --count 400 --seed 7 --lexicon ...] [--write-presets]
      --lexicon training: new sentences in the training vocabulary, none of them in the
      generated text of --mix/--mb/--wordnet/--subjects/--stories-only/--corpus-seed (give the training run's values);
      --task subject scores verb -> subject (the verb is the query, its subject the answer)
      scores every head; --write-presets picks the preset heads and writes DIR/attnscope.json
  attnscope-train sample-check --model DIR [--steps 60] [--corpora DIR] [--retold]
      greedy continuations of 20 everyday prompts, and their 6-word runs found only in the
      generated stories (24 MB, --wordnet --stories-only [--retold]), not in TinyStories or Brown
  attnscope-train plot --log FILE --out FILE.svg [--title TEXT]
  attnscope-train fit-translate --out DIR [options]   English -> French Marian model, tokenizers included
      --encoder-layers 2 --decoder-layers 2 --heads 4 --dim 192 --ffn 768 --ctx 64
      --batch 64 --steps 10000 --pairs 1000000 --lr 1e-3 --warmup 400 --beta2 0.98 --source-vocab 4000 --target-vocab 6000
      --checkpoint FILE --checkpoint-every 1000 --resume --max-minutes 0
      --resume continues from --checkpoint with DIR's tokenizers (--steps then counts from the start)
  attnscope-train translate-eval --model DIR [--selection 400 --held-out 1000 --unseen 300 --seed 7] [--write-presets]
      every cross-attention head scored on word alignments; the alignment head is chosen on the
      selection set and reported on the held-out sets; --write-presets writes DIR/attnscope.json
  attnscope-train translate-corpus --out FILE --split train|selection|held-out|unseen [--count 1000] [--seed 1]
      [--lexicon DIR]   English -> French pairs with word links, one JSON object a line
  attnscope-train translate-tokenizers --out DIR [--count 200000] [--seed 1] [--source-vocab 4000]
      [--target-vocab 6000] [--lexicon DIR]   source.spm, target.spm, vocab.json for a Marian model
  attnscope-train translate-lexicon-check [--lexicon DIR]   the lexicon against FreeDict and WordNet
)";


corpus::CorpusMix mix_from(Args& args) {
  corpus::CorpusMix mix = corpus::parse_mix(args.str("--mix", "generated=0.45,tinystories=0.35,brown=0.20"),
                                            static_cast<std::size_t>(args.number("--mb", 24) * (1 << 20)));
  mix.wordnet = args.flag("--wordnet");
  mix.stories_only = args.flag("--stories-only");
  mix.retold_people = args.flag("--retold-people");
  mix.retold = args.flag("--retold") || mix.retold_people;
  mix.subject_share = args.number("--subjects", 0);
  if (mix.subject_share < 0 || mix.subject_share > 1) throw Error("--subjects: expected a share between 0 and 1");
  return mix;
}

std::string default_corpora() { return "../shared/corpora"; }

// --arch and the model's shape, sequence length, batch size and masking.
void read_shape(Args& args, TrainOptions& t) {
  t.shape.arch = arch_from_name(args.required("--arch"));
  t.shape.n_layers = args.integer("--layers", 4);
  t.shape.n_heads = args.integer("--heads", 4);
  t.shape.dim = args.integer("--dim", 128);
  t.shape.ffn_dim = args.integer("--ffn", 4 * t.shape.dim);
  t.shape.max_positions = args.integer("--ctx", 128);
  t.shape.norm_eps = t.shape.arch == Arch::Gpt ? 1e-5 : 1e-12;
  t.batches.tokens = args.integer("--seq", t.shape.max_positions);
  t.batches.batch = args.integer("--batch", 32);
  t.batches.mask_prob = args.number("--mask-prob", 0.15);
}

int run_fit(Args& args) {
  FitOptions o;
  TrainOptions& t = o.train;
  read_shape(args, t);
  o.out = args.required("--out");
  t.steps = args.integer("--steps", 2000);
  t.lr.peak = args.number("--lr", 1e-3);
  t.lr.min_ratio = args.number("--min-lr-ratio", 0.1);
  t.lr.warmup_steps = args.integer("--warmup", 200);
  t.adam.weight_decay = args.number("--wd", 0.01);
  t.clip_norm = args.number("--clip", 1.0);
  t.seed = static_cast<std::uint64_t>(args.number("--seed", 1));
  t.eval_every = args.integer("--eval-every", 200);
  t.eval_batches = args.integer("--eval-batches", 8);
  t.log_every = args.integer("--log-every", 10);
  t.checkpoint = args.str("--checkpoint", "");
  t.checkpoint_every = args.integer("--checkpoint-every", 500);
  t.max_seconds = 60.0 * args.number("--max-minutes", 0);
  o.vocab_size = args.integer("--vocab", 6000);
  o.mix = mix_from(args);
  o.corpora = args.str("--corpora", default_corpora());
  o.resume = args.flag("--resume");
  args.finish();
  fit(o, std::cout);
  return 0;
}

int run_bench(Args& args) {
  TrainBenchOptions o;
  read_shape(args, o.train);
  o.train.shape.vocab_size = args.integer("--vocab", 6000);
  o.steps = args.integer("--steps", 10);
  o.rounds = args.integer("--rounds", 3);
  args.finish();
  run_train_bench(o, std::cout);
  return 0;
}

int run_sample_check(Args& args) {
  SampleCheckOptions o;
  const std::string model_dir = args.required("--model");
  o.steps = args.integer("--steps", 60);
  o.corpora = args.str("--corpora", default_corpora());
  o.retold = args.flag("--retold");
  args.finish();
  const SampleCheck check = check_samples(load_model(model_dir), everyday_prompts(), o);
  for (const PromptSample& s : check.samples) {
    std::printf("%3d of %3d runs generated | %s\n", s.generated_runs, s.runs, s.text.c_str());
  }
  std::printf("continuations with a run found only in the generated stories: %d of %zu; share of runs: %.3f\n",
              check.with_generated(), check.samples.size(), check.generated_share());
  return 0;
}

int run_corpus(Args& args) {
  const std::string out = args.required("--out");
  const corpus::CorpusMix mix = mix_from(args);
  const auto seed = static_cast<std::uint64_t>(args.number("--seed", 1));
  const std::string dir = args.str("--corpora", default_corpora());
  args.finish();
  AtomicFileWriter file(out, Overwrite::Allow);
  std::size_t bytes = 0, count = 0;
  for (const corpus::Document& doc : corpus::build_corpus(dir, mix, seed)) {
    file.write(doc.text);
    file.write(std::string_view("\n\n"));
    bytes += doc.text.size();
    ++count;
  }
  file.commit();
  std::cout << "wrote " << count << " documents, " << bytes << " bytes (" << corpus::mix_string(mix) << ") to " << out << "\n";
  return 0;
}

// The probe items the options ask for: --task pronoun or subject (verb ->
// subject), and --lexicon held-out (the default: the hand-written nouns,
// frames, wordings and verbs training never saw), wordnet-held-out (WordNet's
// held-out synsets as well) or training (new sentences in the training
// vocabulary, skipping any the generated training text of --mix, --mb,
// --wordnet, --subjects and --corpus-seed holds).
std::string probe_items(Args& args, int count, std::uint64_t seed) {
  const std::string lexicon = args.str("--lexicon", "held-out");
  corpus::ProbeOptions probe;
  probe.task = args.str("--task", "pronoun");
  corpus::CorpusMix mix = mix_from(args);
  const std::string corpora = args.str("--corpora", default_corpora());
  if (lexicon == "held-out") return corpus::probe_set_jsonl(seed, count, probe);
  if (lexicon == "wordnet-held-out") {
    mix.wordnet = true;
    probe.lexicon = &corpus::held_out_lexicon(mix, corpora);
    return corpus::probe_set_jsonl(seed, count, probe);
  }
  if (lexicon != "training") throw Error("--lexicon: expected held-out, wordnet-held-out or training, got '" + lexicon + "'");
  probe.held_out = false;
  probe.lexicon = &corpus::training_lexicon(mix, corpora);
  const std::string training = corpus::generated_text(mix, static_cast<std::uint64_t>(args.number("--corpus-seed", 1)), corpora);
  return corpus::probe_set_jsonl(seed, count, probe, [&](const std::string& text) { return training.find(text) == std::string::npos; });
}

// Writes `presets` into the model folder's attnscope.json, keeping the
// presets already there under other names (the pronoun and the subject
// probes each write their own).
void write_presets_into(const std::string& model_dir, const std::vector<HeadChoice>& presets) {
  const std::string path = model_dir + "/attnscope.json";
  nlohmann::json kept = nlohmann::json::array();
  std::ifstream in(path, std::ios::binary);
  if (in) {
    const auto old = nlohmann::json::parse(in, nullptr, false);
    if (old.is_object() && old.contains("presets") && old["presets"].is_array())
      for (const auto& p : old["presets"])
        if (p.is_object() && std::none_of(presets.begin(), presets.end(), [&](const HeadChoice& c) { return p.value("name", "") == c.name; }))
          kept.push_back(p);
  }
  nlohmann::json out = nlohmann::json::parse(presets_json(presets));
  for (const auto& p : kept) out["presets"].push_back(p);
  write_file_atomically(path, out.dump(2) + "\n", Overwrite::Allow);
  std::cout << "wrote " << path << "\n";
}

int run_probe(Args& args) {
  const std::string out = args.required("--out");
  const int count = args.integer("--count", 400);
  const auto seed = static_cast<std::uint64_t>(args.number("--seed", 7));
  const std::string items = probe_items(args, count, seed);
  args.finish();
  write_file_atomically(out, items, Overwrite::Allow);
  std::cout << "wrote " << count << " held-out probe items to " << out << "\n";
  return 0;
}

int run_probe_eval(Args& args) {
  const std::string model_dir = args.required("--model");
  const std::string probe_file = args.str("--probe", "");
  const int count = args.integer("--count", 400);
  const auto seed = static_cast<std::uint64_t>(args.number("--seed", 7));
  const bool write_presets = args.flag("--write-presets");
  const bool subject_task = args.str("--task", "pronoun") == "subject";
  std::string jsonl;
  if (probe_file.empty()) jsonl = probe_items(args, count, seed);
  args.finish();
  const auto model = load_model(model_dir);
  if (!probe_file.empty()) {
    std::ifstream in(probe_file, std::ios::binary);
    if (!in) throw Error(probe_file + ": cannot read");
    jsonl.assign(std::istreambuf_iterator<char>(in), {});
  }
  const ProbeReport report = run_probe(model, parse_probe_set(jsonl));
  std::cout << (subject_task ? format_subject_report(report) : format_report(report));
  const auto presets = subject_task ? std::vector<HeadChoice>{choose_subject_preset(report)} : choose_presets(report, !model->config.causal);
  for (const HeadChoice& p : presets) std::cout << p.name << ": layer " << p.layer << ", head " << p.head << "\n";
  if (write_presets) write_presets_into(model_dir, presets);
  return 0;
}

// The last --last documents of a real source: text a corpus that takes its
// share from the start of the file (Brown, for both default models) never read.
int run_mlm_eval(Args& args) {
  const std::string model_dir = args.required("--model"), source = args.str("--source", "brown");
  const int last = args.integer("--last", 40), stride = args.integer("--stride", 7);
  const std::string corpora = args.str("--corpora", default_corpora());
  args.finish();
  const std::vector<std::string> documents = corpus::read_source(corpora, source);
  if (last < 1 || static_cast<std::size_t>(last) > documents.size())
    throw Error("--last: expected 1 to " + std::to_string(documents.size()) + " documents, got " + std::to_string(last));
  const MaskedAccuracy accuracy =
      masked_token_accuracy(load_model(model_dir), std::vector<std::string>(documents.end() - last, documents.end()), stride);
  std::printf("masked-token accuracy: %.1f%% of %ld word pieces (the last %d documents of %s; each piece masked once, "
              "one in %d per run)\n",
              100.0 * accuracy.rate(), accuracy.total, last, source.c_str(), stride);
  return 0;
}

int run_plot(Args& args) {
  const std::string log_file = args.required("--log"), out = args.required("--out");
  const std::string title = args.str("--title", "Training loss");
  args.finish();
  std::ifstream in(log_file, std::ios::binary);
  if (!in) throw Error(log_file + ": cannot read");
  const std::string log(std::istreambuf_iterator<char>(in), {});
  write_file_atomically(out, loss_curve_svg(parse_training_log(log), title), Overwrite::Allow);
  std::cout << "wrote " << out << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Every step allocates and frees the same large activations; keeping them in
  // the heap instead of returning them to the kernel saves the page faults.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  use_blas_kernels_for_this_cpu(argv);
  flush_subnormals_to_zero();  // before the first worker thread starts, so that every one inherits it
  try {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
      std::cout << kUsage;
      return argc < 2 ? 2 : 0;
    }
    const std::string command = argv[1];
    Args args(argc, argv, 2, {"--resume", "--write-presets", "--wordnet", "--stories-only", "--retold", "--retold-people"});
    if (command == "fit") return run_fit(args);
    if (command == "corpus") return run_corpus(args);
    if (command == "bench") return run_bench(args);
    if (command == "sample-check") return run_sample_check(args);
    if (command == "probe") return run_probe(args);
    if (command == "probe-eval") return run_probe_eval(args);
    if (command == "mlm-eval") return run_mlm_eval(args);
    if (command == "plot") return run_plot(args);
    if (command == "fit-translate") return run_fit_translate(args);
    if (command == "translate-eval") return run_translate_eval(args);
    if (command == "translate-corpus") return run_translate_corpus(args);
    if (command == "translate-tokenizers") return run_translate_tokenizers(args);
    if (command == "translate-lexicon-check") return run_translate_lexicon_check(args);
    std::cerr << "attnscope-train: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const Error& e) {  // bad input: an option, a file, a model folder
    std::cerr << "attnscope-train: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attnscope-train: " << e.what() << "\n";
    return 1;
  }
}
