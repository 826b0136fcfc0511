// A dictionary as a real-text source: WordNet's definitions and examples,
// "gorilla: largest anthropoid ape; terrestrial and vegetarian; of forests
// of central west Africa." Real stories use a rare word a few times at most;
// a definition says what it is. The glosses cover held-out words as any
// dictionary would: the generated sentences still never use them.
#pragma once
#include <set>
#include <string>
#include <vector>

namespace attnscope::train::corpus {

// Documents of `per_document` entries each, one entry per synset of the
// noun, verb and adjective files whose first lemma real text uses (`known`)
// or WordNet's sense-tagged corpora saw. The order is shuffled once, with a
// fixed seed, so that a share smaller than the whole draws from every file.
std::vector<std::string> gloss_documents(const std::set<std::string>& known, int per_document = 8);

// One entry: "lemma: gloss." with underscores as spaces.
std::string gloss_entry(const std::string& lemma, const std::string& gloss);

}  // namespace attnscope::train::corpus
