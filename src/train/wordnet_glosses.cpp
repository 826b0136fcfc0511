#include "train/wordnet_glosses.h"

#include <algorithm>

#include "train/rng.h"
#include "train/wordnet.h"
#include "train/wordnet_lexicon.h"

namespace attnscope::train::corpus {
namespace {

// The synset's first lemma a reader could know, or "".
std::string known_lemma(const WordNet& wn, const Synset& s, const std::set<std::string>& known) {
  for (const std::string& lemma : s.lemmas)
    if (plain_word(lemma) && (known.count(lemma) || wn.tagged_count(lemma) > 0)) return lemma;
  return "";
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string gloss_entry(const std::string& lemma, const std::string& gloss) {
  std::string word = lemma;
  std::replace(word.begin(), word.end(), '_', ' ');
  std::string text = trimmed(gloss);
  if (!text.empty() && std::string(".!?\"").find(text.back()) == std::string::npos) text += '.';
  return word + ": " + text;
}

std::vector<std::string> gloss_documents(const std::set<std::string>& known, int per_document) {
  std::vector<std::string> entries;
  for (const char* pos : {"noun", "verb", "adj"}) {
    const WordNet wn = WordNet::read(kWordNetDir, pos);
    for (const auto& [offset, synset] : wn.synsets()) {
      const std::string lemma = known_lemma(wn, synset, known);
      if (!lemma.empty() && !synset.gloss.empty()) entries.push_back(gloss_entry(lemma, synset.gloss));
    }
  }
  Rng rng(0x61055E5ull);
  for (std::size_t i = entries.size(); i > 1; --i) std::swap(entries[i - 1], entries[rng.below(i)]);
  std::vector<std::string> docs;
  for (std::size_t i = 0; i < entries.size(); i += static_cast<std::size_t>(per_document)) {
    std::string doc;
    for (std::size_t k = i; k < entries.size() && k < i + static_cast<std::size_t>(per_document); ++k)
      doc += (doc.empty() ? "" : "\n") + entries[k];
    docs.push_back(std::move(doc));
  }
  return docs;
}

}  // namespace attnscope::train::corpus
