#include "train/fit.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "train/hf_export.h"
#include "train/tokenizer_train.h"

namespace attnscope::train {

std::unique_ptr<Tokenizer> train_tokenizer(Arch arch, const std::vector<std::string_view>& documents, int vocab_size,
                                           const std::filesystem::path& folder, int max_length) {
  if (arch == Arch::Gpt)
    save_gpt2_tokenizer(folder, train_byte_level_bpe(documents, vocab_size), max_length);
  else
    save_wordpiece(folder, train_wordpiece(documents, vocab_size), max_length);
  return load_tokenizer(arch, folder);
}

std::unique_ptr<Tokenizer> load_tokenizer(Arch arch, const std::filesystem::path& folder) {
  return arch == Arch::Gpt ? load_gpt2_bpe(folder) : load_wordpiece(folder);
}

SpecialIds special_ids(const Tokenizer& tokenizer) {
  SpecialIds ids;
  ids.bos = tokenizer.bos_id;
  ids.eos = tokenizer.eos_id;
  ids.pad = tokenizer.pad_id;
  return ids;
}

void set_batch_specials(BatchOptions& batches, const Tokenizer& tokenizer) {
  batches.separator_id = batches.arch == Arch::Gpt ? tokenizer.eos_id : tokenizer.sep_id;
  batches.cls_id = tokenizer.cls_id;
  batches.mask_id = tokenizer.mask_id;
}

void fit(FitOptions o, std::ostream& log) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto since = [&] { return format_duration(std::chrono::duration<double>(Clock::now() - started).count()); };
  const Arch arch = o.train.shape.arch;

  log << "corpus: " << corpus::mix_string(o.mix) << ", " << (o.mix.total_bytes >> 20) << " MB, seed " << o.train.seed << std::endl;
  const std::vector<corpus::Document> docs = corpus::build_corpus(o.corpora, o.mix, o.train.seed);
  std::vector<std::string_view> train_docs, validation_docs;
  std::vector<const std::vector<corpus::Coreference>*> train_links, validation_links;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const bool validation = o.validation_every > 0 && i % static_cast<std::size_t>(o.validation_every) == 0;
    (validation ? validation_docs : train_docs).push_back(docs[i].text);
    (validation ? validation_links : train_links).push_back(&docs[i].links);
  }
  // Only the masked LM learns from the links; a causal LM reads the pronoun before it could be told.
  if (arch != Arch::Bert) {
    train_links.clear();
    validation_links.clear();
  }
  log << "corpus: " << train_docs.size() << " training and " << validation_docs.size() << " validation documents (" << since() << ")"
      << std::endl;

  std::unique_ptr<Tokenizer> tokenizer;
  if (o.resume) {
    tokenizer = load_tokenizer(arch, o.out);
    log << "tokenizer: reusing " << o.out.string() << " (" << tokenizer->vocab_size() << " tokens)" << std::endl;
  } else {
    tokenizer = train_tokenizer(arch, train_docs, o.vocab_size, o.out, o.train.shape.max_positions);
    log << "tokenizer: learned " << tokenizer->vocab_size() << " tokens into " << o.out.string() << " (" << since() << ")" << std::endl;
  }
  o.train.shape.vocab_size = tokenizer->vocab_size();
  o.train.batches.arch = arch;
  set_batch_specials(o.train.batches, *tokenizer);

  const TokenStream train_stream = tokenize_documents(*tokenizer, train_docs, arch, train_links);
  const TokenStream validation_stream = tokenize_documents(*tokenizer, validation_docs, arch, validation_links);
  const auto linked = std::count_if(train_stream.antecedents.begin(), train_stream.antecedents.end(), [](int id) { return id >= 0; });
  log << "tokens: " << train_stream.ids.size() << " training (" << linked << " words linked: pronoun to antecedent, verb to subject), "
      << validation_stream.ids.size() << " validation (" << since() << ")" << std::endl;

  Trainer trainer(o.train, &train_stream, validation_stream.ids.empty() ? nullptr : &validation_stream);
  log << "model: " << arch_name(arch) << ", " << trainer.model().layout().total << " parameters, "
      << shape_to_json(o.train.shape).dump() << std::endl;
  if (o.resume) {
    if (o.train.checkpoint.empty()) throw Error("--resume needs --checkpoint");
    trainer.resume(o.train.checkpoint);
    log << "resumed at step " << trainer.step() << " from " << o.train.checkpoint.string() << std::endl;
  }
  const auto export_model = [&] {
    export_hf_model(o.out, o.train.shape, trainer.model().layout(), trainer.model().params, special_ids(*tokenizer));
  };
  // The folder is rewritten at each checkpoint so a model in training can be opened and probed.
  trainer.run(log, [&](const StepStats& s) {
    if (o.train.checkpoint_every > 0 && s.step % o.train.checkpoint_every == 0) export_model();
  });
  export_model();
  log << "saved " << o.out.string() << " after step " << trainer.step() << " (" << since() << ")" << std::endl;
}

}  // namespace attnscope::train
