// Princeton WordNet 3.0 as Debian's wordnet-base installs it
// (/usr/share/wordnet): one part of speech at a time, its synsets with their
// hypernym and similar-to pointers, and each lemma's senses in order of
// frequency. The corpus generator draws its noun classes, adjective
// clusters and subject verbs from it.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace attnscope::train {

inline const std::filesystem::path kWordNetDir = "/usr/share/wordnet";

struct Synset {
  std::vector<std::string> lemmas;       // as written, "worn_out" for multi-word ones
  std::vector<std::uint32_t> hypernyms;  // '@' pointers (not instance hypernyms)
  std::vector<std::uint32_t> similar;    // '&' pointers (adjective clusters)
  bool instance = false;                 // has an instance hypernym: a named river, city, person
  int lexicographer_file = 0;            // 5 noun.animal, 6 noun.artifact, 13 noun.food, 18 noun.person ...
  std::vector<int> frames;               // verbs: sentence frames, 1 "Something ----s", 2 "Somebody ----s" ...
  std::string gloss;                     // the definition and examples after " | "
};

class WordNet {
 public:
  // pos: "noun", "verb" or "adj". Reads data.<pos>, index.<pos> and <pos>.exc;
  // throws Error naming the file and line of anything malformed.
  static WordNet read(const std::filesystem::path& dir, const std::string& pos);

  const Synset& synset(std::uint32_t offset) const;
  // The lemma's synsets, most frequent sense first; empty if unknown.
  const std::vector<std::uint32_t>& senses(const std::string& lemma) const;
  // How often the lemma's senses were tagged in the WordNet sense-tagged
  // corpora: zero for rare words.
  int tagged_count(const std::string& lemma) const;
  // The synset of lemma#sense (1-based), or throws Error naming it.
  std::uint32_t sense(const std::string& lemma, int number) const;
  // True if `offset` is `ancestor` or reaches it through hypernyms.
  bool is_a(std::uint32_t offset, std::uint32_t ancestor) const;
  // Irregular forms from <pos>.exc: base -> inflected ("mouse" -> "mice").
  const std::map<std::string, std::string>& irregular() const { return irregular_; }
  // Every irregular form of a base ("sing" -> sang, singing, sung).
  const std::vector<std::string>& irregular_forms(const std::string& base) const;
  const std::map<std::string, std::vector<std::uint32_t>>& index() const { return senses_; }
  const std::map<std::uint32_t, Synset>& synsets() const { return synsets_; }

 private:
  std::map<std::uint32_t, Synset> synsets_;
  std::map<std::string, std::vector<std::uint32_t>> senses_;
  std::map<std::string, int> tagged_;
  std::map<std::string, std::string> irregular_;
  std::map<std::string, std::vector<std::string>> irregular_forms_;
};

}  // namespace attnscope::train
