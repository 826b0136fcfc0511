// Random clauses over the lexicon. Verbs choose their arguments by semantic
// class, prepositions choose the places they fit, so sentences stay
// plausible; the split of a sentence is decided by its text alone.
#include <algorithm>
#include <map>

#include "core/error.h"
#include "train/parallel_corpus.h"
#include "train/rng.h"

namespace attnscope::train {
namespace {

const std::vector<std::string> kAnimate{"person", "job", "animal"};
const std::vector<std::string> kHuman{"person", "job"};
const std::vector<std::string> kNotThings{"person", "job", "animal", "abstract", "place", "building", "room", "nature"};

// Places each preposition fits.
const std::map<std::string, std::vector<std::string>>& place_classes() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"on", {"furniture"}},
      {"under", {"furniture", "vehicle", "nature"}},
      {"in", {"room", "building", "place", "container", "vehicle"}},
      {"near", {"furniture", "building", "vehicle", "nature", "place"}},
      {"behind", {"furniture", "building", "vehicle", "nature"}},
      {"in front of", {"furniture", "building", "vehicle"}},
      {"with", {"person", "animal"}},
      {"to", {"building", "place", "room"}},
      {"from", {"building", "place"}},
      {"at", {"building", "place"}},
  };
  return m;
}

struct Pools {
  std::map<std::string, std::vector<int>> nouns[2];  // [held_out] by class
  std::vector<int> adjectives[2];
  std::vector<int> verbs, intransitive, copula_free;
  std::vector<std::string> thing_classes;
  explicit Pools(const ParallelLexicon& lex) {
    for (int i = 0; i < static_cast<int>(lex.nouns.size()); ++i)
      nouns[lex.nouns[static_cast<std::size_t>(i)].held_out][lex.nouns[static_cast<std::size_t>(i)].semantic_class].push_back(i);
    for (int i = 0; i < static_cast<int>(lex.adjectives.size()); ++i)
      adjectives[lex.adjectives[static_cast<std::size_t>(i)].held_out].push_back(i);
    for (int i = 0; i < static_cast<int>(lex.verbs.size()); ++i)
      if (lex.verbs[static_cast<std::size_t>(i)].frame != "copula") verbs.push_back(i);
    for (const auto& [cls, list] : nouns[0])
      if (std::find(kNotThings.begin(), kNotThings.end(), cls) == kNotThings.end()) thing_classes.push_back(cls);
  }
};

std::vector<std::string> expand(const std::vector<std::string>& classes) {
  std::vector<std::string> out;
  for (const auto& c : classes) {
    if (c == "animate") out.insert(out.end(), kAnimate.begin(), kAnimate.end());
    else if (c == "human") out.insert(out.end(), kHuman.begin(), kHuman.end());
    else out.push_back(c);
  }
  return out;
}

bool fits(const LexAdjective& a, const std::string& cls) {
  const bool animate = std::find(kAnimate.begin(), kAnimate.end(), cls) != kAnimate.end();
  const bool human = cls == "person" || cls == "job";
  if (a.applies_to == "animate") return animate;
  if (a.applies_to == "person") return human;
  if (a.applies_to == "thing") return !animate && cls != "abstract";
  if (a.applies_to == "any") return cls != "abstract";
  const std::string list = "," + a.applies_to + ",";
  return list.find("," + cls + ",") != std::string::npos;
}

struct Generator {
  const ParallelLexicon& lex;
  const Pools& pools;
  Rng& rng;
  bool unseen;  // draw held-out words half of the time

  int pick_noun(const std::vector<std::string>& classes) {
    std::vector<const std::vector<int>*> lists[2];
    for (int h = 0; h < 2; ++h)
      for (const auto& c : classes) {
        auto it = pools.nouns[h].find(c);
        if (it != pools.nouns[h].end() && !it->second.empty()) lists[h].push_back(&it->second);
      }
    const int h = unseen && !lists[1].empty() && rng.chance(0.5) ? 1 : 0;
    if (lists[h].empty()) return -1;
    return rng.pick(*rng.pick(lists[h]));
  }

  int pick_adjective(const std::string& cls) {
    const int h = unseen && !pools.adjectives[1].empty() && rng.chance(0.5) ? 1 : 0;
    for (int tries = 0; tries < 30; ++tries) {
      const int a = rng.pick(pools.adjectives[h]);
      if (fits(lex.adjectives[static_cast<std::size_t>(a)], cls)) return a;
    }
    return -1;
  }

  // A noun phrase of one of `classes`; `role` 's' subject, 'o' object, 'p' place.
  NounPhrase noun_phrase(const std::vector<std::string>& classes, char role, double adjective_chance = 0.35) {
    NounPhrase np;
    np.noun = pick_noun(classes);
    if (np.noun < 0) throw Error("parallel lexicon: no noun of the classes a verb or preposition needs");
    const auto& n = lex.nouns[static_cast<std::size_t>(np.noun)];
    const double r = rng.uniform();
    using D = Determiner;
    if (role == 'o') np.determiner = r < 0.4 ? D::The : r < 0.7 ? D::A : r < 0.82 ? D::My : r < 0.9 ? D::This : r < 0.95 ? D::Number : D::Bare;
    else if (role == 's') np.determiner = r < 0.55 ? D::The : r < 0.7 ? D::A : r < 0.85 ? D::My : r < 0.95 ? D::This : D::Number;
    else np.determiner = r < 0.65 ? D::The : r < 0.75 ? D::A : r < 0.9 ? D::My : D::This;
    if (np.determiner == D::My) np.determiner = static_cast<D>(static_cast<int>(D::My) + rng.index(6));
    np.plural = !n.mass && rng.chance(role == 'p' ? 0.1 : 0.3);
    if (np.determiner == D::Number) {
      if (n.mass) np.determiner = D::The;
      np.plural = !n.mass;
      np.number = 2 + rng.index(9);
    }
    if (n.mass && np.determiner == D::A) np.determiner = role == 'o' ? D::Bare : D::The;
    if (np.determiner == D::Bare && !n.mass) np.plural = true;
    if (np.plural && np.determiner == D::A && role != 'o') np.determiner = D::The;
    if (rng.chance(adjective_chance)) np.adjective = pick_adjective(n.semantic_class);
    return np;
  }

  NounPhrase subject(const std::vector<std::string>& classes, double adjective_chance = 0.35) {
    const bool human = std::find(classes.begin(), classes.end(), "person") != classes.end();
    NounPhrase np;
    if (human && rng.chance(0.22)) np.pronoun = rng.index(6);
    else if (human && rng.chance(0.1) && !lex.names.empty()) np.name = rng.index(lex.names.size());
    else np = noun_phrase(classes, 's', adjective_chance);
    return np;
  }

  void place(Clause& c, const std::vector<std::string>& preps) {
    c.preposition = rng.pick(preps);
    c.place = noun_phrase(place_classes().at(c.preposition), 'p', 0.25);
  }

  Tense tense(bool stative) {
    const double r = rng.uniform();
    if (stative) return r < 0.5 ? Tense::Present : r < 0.8 ? Tense::Past : Tense::Future;
    return r < 0.3 ? Tense::Present : r < 0.45 ? Tense::Progressive : r < 0.73 ? Tense::Past : r < 0.83 ? Tense::Perfect : Tense::Future;
  }

  Clause verb_clause() {
    Clause c;
    c.verb = rng.pick(pools.verbs);
    const auto& v = lex.verbs[static_cast<std::size_t>(c.verb)];
    c.subject = subject(expand(v.subjects));
    c.tense = tense(v.stative);
    c.negative = rng.chance(0.15);
    if (v.frame == "tr" || v.frame == "have") c.object = noun_phrase(expand(v.objects), 'o');
    if (v.frame == "motion") place(c, {"to", "to", "to", "from"});
    else if (v.frame == "intr" && rng.chance(0.6)) place(c, {"on", "under", "in", "near", "behind", "in front of", "with"});
    else if (v.frame != "intr" && v.frame != "motion" && rng.chance(0.15)) place(c, {"in", "near", "behind", "in front of"});
    return c;
  }

  Clause copula_clause() {
    Clause c;
    const double r = rng.uniform();
    const double t = rng.uniform();
    c.tense = t < 0.6 ? Tense::Present : t < 0.85 ? Tense::Past : Tense::Future;
    c.negative = rng.chance(0.15);
    if (r < 0.4) {
      c.kind = ClauseKind::CopulaAdjective;
      std::vector<std::string> all = pools.thing_classes;
      all.insert(all.end(), kAnimate.begin(), kAnimate.end());
      c.subject = subject(all, 0.1);
      const std::string cls = c.subject.noun >= 0 ? lex.nouns[static_cast<std::size_t>(c.subject.noun)].semantic_class : "person";
      c.adjective = pick_adjective(cls);
      if (c.adjective < 0) c.adjective = pick_adjective("person");
    } else if (r < 0.62) {
      c.kind = ClauseKind::CopulaJob;
      const double who = rng.uniform();  // mostly "I am", "she is", "Paul is"
      if (who < 0.5) c.subject.pronoun = rng.index(6);
      else if (who < 0.7 && !lex.names.empty()) c.subject.name = rng.index(lex.names.size());
      else c.subject = noun_phrase({"person"}, 's', 0.2);
      c.object = NounPhrase{};
      c.object->noun = pick_noun({"job"});
    } else {
      c.kind = ClauseKind::CopulaPlace;
      std::vector<std::string> movable = pools.thing_classes;
      movable.push_back("animal");
      movable.push_back("person");
      c.subject = subject(movable, 0.25);
      place(c, {"on", "under", "in", "near", "behind", "in front of", "at"});
    }
    return c;
  }

  Clause clause() { return rng.chance(0.68) ? verb_clause() : copula_clause(); }
};

bool has_held_out(const ParallelLexicon& lex, const Clause& c) {
  auto np = [&](const NounPhrase& p) {
    return (p.noun >= 0 && lex.nouns[static_cast<std::size_t>(p.noun)].held_out) ||
           (p.adjective >= 0 && lex.adjectives[static_cast<std::size_t>(p.adjective)].held_out);
  };
  return np(c.subject) || (c.object && np(*c.object)) || (c.place && np(*c.place)) ||
         (c.adjective >= 0 && lex.adjectives[static_cast<std::size_t>(c.adjective)].held_out);
}

}  // namespace

Split split_of_source(const std::string& source) {
  std::uint64_t h = 1469598103934665603ull ^ 0x5eedull;
  for (unsigned char c : source) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 31;
  const auto bucket = h % 20;
  return bucket < 18 ? Split::Train : bucket == 18 ? Split::Selection : Split::HeldOut;
}

Split parse_split(const std::string& name) {
  if (name == "train") return Split::Train;
  if (name == "selection") return Split::Selection;
  if (name == "held-out") return Split::HeldOut;
  if (name == "unseen") return Split::UnseenWords;
  throw Error(ErrorKind::Usage, "unknown split \"" + name + "\" (train, selection, held-out, unseen)");
}

std::vector<ParallelPair> generate_pairs(const ParallelLexicon& lexicon, Split split, int count, std::uint64_t seed) {
  const Pools pools(lexicon);
  Rng rng(seed, static_cast<std::uint64_t>(split) + 1);
  Generator gen{lexicon, pools, rng, split == Split::UnseenWords};
  std::vector<ParallelPair> out;
  out.reserve(static_cast<std::size_t>(std::max(count, 0)));
  const long long max_attempts = 200LL * std::max(count, 1) + 10000;
  for (long long attempt = 0; static_cast<int>(out.size()) < count; ++attempt) {
    if (attempt > max_attempts) throw Error("parallel corpus: too few sentences of the requested split");
    const Clause c = gen.clause();
    if (split == Split::UnseenWords) {
      if (has_held_out(lexicon, c)) out.push_back(render_clause(lexicon, c));
      continue;
    }
    ParallelPair p = render_clause(lexicon, c);
    if (split_of_source(p.source) == split) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace attnscope::train
