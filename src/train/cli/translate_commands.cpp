#include "train/cli/translate_commands.h"

#include <iostream>

#include "core/atomic_file.h"
#include "core/model.h"
#include "train/alignment_eval.h"
#include "train/fit_translate.h"
#include "train/lexicon_evidence.h"
#include "train/marian_tokenizer_train.h"
#include "train/parallel_corpus.h"
#include "train/parallel_lexicon.h"

namespace attnscope::train::cli {

namespace {

ParallelLexicon lexicon_from(Args& args) {
  return load_parallel_lexicon(args.str("--lexicon", default_lexicon_dir().string()));
}

}  // namespace

int run_translate_corpus(Args& args) {
  const std::string out = args.required("--out");
  const Split split = parse_split(args.str("--split", "train"));
  const int count = args.integer("--count", 1000);
  const auto seed = static_cast<std::uint64_t>(args.number("--seed", 1));
  const ParallelLexicon lexicon = lexicon_from(args);
  args.finish();
  write_pairs_jsonl(generate_pairs(lexicon, split, count, seed), out);
  std::cout << "wrote " << count << " pairs to " << out << "\n";
  return 0;
}

int run_translate_tokenizers(Args& args) {
  const std::string out = args.required("--out");
  const int count = args.integer("--count", 200000);
  const auto seed = static_cast<std::uint64_t>(args.number("--seed", 1));
  const int source_vocab = args.integer("--source-vocab", 4000), target_vocab = args.integer("--target-vocab", 6000);
  const ParallelLexicon lexicon = lexicon_from(args);
  args.finish();
  const auto pairs = generate_pairs(lexicon, Split::Train, count, seed);
  train_marian_tokenizers(pairs, source_vocab, target_vocab, out);
  std::cout << "wrote source.spm, target.spm, vocab.json to " << out << "\n";
  std::vector<std::string> source, target;
  for (const auto& p : pairs) source.push_back(p.source), target.push_back(p.target);
  for (const auto& [name, text] : {std::pair{"source", &source}, std::pair{"target", &target}}) {
    const PieceStats st = measure_pieces(std::filesystem::path(out) / (std::string(name) + ".spm"), *text);
    std::cout << name << ": " << st.words << " distinct words, " << st.mean_pieces << " pieces per word on average, at most "
              << st.max_pieces << ", " << st.over_three << " words in more than three pieces\n";
  }
  return 0;
}

int run_fit_translate(Args& args) {
  FitTranslateOptions o;
  Seq2SeqTrainOptions& t = o.train;
  o.out = args.required("--out");
  t.shape.encoder_layers = args.integer("--encoder-layers", 2);
  t.shape.decoder_layers = args.integer("--decoder-layers", 2);
  t.shape.n_heads = args.integer("--heads", 4);
  t.shape.dim = args.integer("--dim", 192);
  t.shape.ffn_dim = args.integer("--ffn", 4 * t.shape.dim);
  t.shape.max_positions = args.integer("--ctx", 64);
  t.batch_pairs = args.integer("--batch", 64);
  t.steps = args.integer("--steps", 10000);
  t.lr.peak = args.number("--lr", 1e-3);
  t.lr.min_ratio = args.number("--min-lr-ratio", 0.1);
  t.lr.warmup_steps = args.integer("--warmup", 400);
  t.adam.beta2 = args.number("--beta2", 0.98);
  t.adam.weight_decay = args.number("--wd", 0.01);
  t.clip_norm = args.number("--clip", 1.0);
  t.seed = static_cast<std::uint64_t>(args.number("--seed", 1));
  t.eval_every = args.integer("--eval-every", 500);
  t.log_every = args.integer("--log-every", 50);
  t.checkpoint = args.str("--checkpoint", "");
  t.checkpoint_every = args.integer("--checkpoint-every", 1000);
  t.max_seconds = 60.0 * args.number("--max-minutes", 0);
  o.train_pairs = args.integer("--pairs", 1000000);
  o.source_vocab = args.integer("--source-vocab", 4000);
  o.target_vocab = args.integer("--target-vocab", 6000);
  o.lexicon = args.str("--lexicon", default_lexicon_dir().string());
  o.resume = args.flag("--resume");
  if (o.resume && t.checkpoint.empty()) throw Error("--resume needs --checkpoint");
  args.finish();
  fit_translate(o, std::cout);
  return 0;
}

int run_translate_eval(Args& args) {
  const std::filesystem::path folder = args.required("--model");
  const auto seed = static_cast<std::uint64_t>(args.number("--seed", 7));
  const int selection = args.integer("--selection", 400), held_out = args.integer("--held-out", 1000);
  const int unseen = args.integer("--unseen", 300);
  const bool write_presets = args.flag("--write-presets");
  const ParallelLexicon lexicon = lexicon_from(args);
  args.finish();
  const auto model = load_model(folder);
  const AlignmentReport chosen_on = evaluate_alignment(model, generate_pairs(lexicon, Split::Selection, selection, seed), false);
  const HeadAlignment& best = best_alignment_head(chosen_on);
  std::cout << "== selection set (" << selection << " pairs, seed " << seed << "): the head is chosen here\n"
            << format_alignment_report(chosen_on) << "chosen: L" << best.layer << "H" << best.head << "\n\n";
  std::cout << "== held-out set (" << held_out << " pairs, seed " << seed + 1 << ", training words only)\n"
            << format_alignment_report(evaluate_alignment(model, generate_pairs(lexicon, Split::HeldOut, held_out, seed + 1), true));
  std::cout << "\n== unseen-words set (" << unseen << " pairs, seed " << seed + 2 << ")\n"
            << format_alignment_report(evaluate_alignment(model, generate_pairs(lexicon, Split::UnseenWords, unseen, seed + 2), true));
  if (write_presets) {
    const std::string json = "{\"presets\": [{\"name\": \"alignment (cross-attention)\", \"layer\": " + std::to_string(best.layer) +
                             ", \"head\": " + std::to_string(best.head) + ", \"kind\": \"cross\"}]}\n";
    write_file_atomically(folder / "attnscope.json", json, Overwrite::Allow);
    std::cout << "wrote " << (folder / "attnscope.json").string() << "\n";
  }
  return 0;
}

int run_translate_lexicon_check(Args& args) {
  const ParallelLexicon lexicon = lexicon_from(args);
  args.finish();
  const EvidenceReport r =
      check_lexicon(lexicon, read_freedict(kFreeDictIndex, kFreeDictData), read_wordnet_nouns(kWordNetDir));
  for (const auto& d : r.disagreements) std::cout << "freedict disagrees: " << d << "\n";
  for (const auto& m : r.class_mismatches) std::cout << "wordnet class differs: " << m << "\n";
  const auto held_nouns = std::count_if(lexicon.nouns.begin(), lexicon.nouns.end(), [](const LexNoun& n) { return n.held_out; });
  const auto held_adjectives =
      std::count_if(lexicon.adjectives.begin(), lexicon.adjectives.end(), [](const LexAdjective& a) { return a.held_out; });
  std::cout << "nouns " << lexicon.nouns.size() << " (" << held_nouns << " held out), adjectives " << lexicon.adjectives.size()
            << " (" << held_adjectives << " held out), verbs " << lexicon.verbs.size() << "\nFreeDict: " << r.agreeing << " of " << r.checked
            << " entries with a FreeDict headword agree\nWordNet: " << r.wordnet_nouns << " of " << r.nouns
            << " nouns are WordNet nouns, " << r.class_agreeing << " of them in their class's lexicographer files\n";
  return 0;
}

}  // namespace attnscope::train::cli
