// A clause rendered in English and French with its word links.
#include <stdexcept>

#include "core/error.h"
#include "train/parallel_corpus.h"
#include "train/parallel_sentence.h"

namespace attnscope::train {
namespace {

using detail::Sentence;

constexpr const char* kEnPronoun[6] = {"I", "you", "he", "she", "we", "they"};
constexpr const char* kFrPronoun[6] = {"je", "tu", "il", "elle", "nous", "ils"};
constexpr const char* kFrReflexive[6] = {"me", "te", "se", "nous", "vous", "se"};
constexpr const char* kFutureEnding[6] = {"ai", "as", "a", "ons", "ez", "ont"};
constexpr const char* kImperfectEnding[6] = {"ais", "ais", "ait", "ions", "iez", "aient"};
constexpr const char* kEnNumber[11] = {"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
constexpr const char* kFrNumber[11] = {"", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"};

struct Agreement {
  char gender = 'm';
  bool plural = false;
  int person = 2;  // French person 0..5 (je .. ils)
};

bool starts_with(const std::string& s, const char* head) { return s.rfind(head, 0) == 0; }

std::string english_a(const std::string& next) {
  for (const char* an : {"hour", "honest", "honour", "heir"})
    if (starts_with(next, an)) return "an";
  for (const char* a : {"uni", "use", "usu", "eu", "one", "ewe", "uk", "ure"})
    if (starts_with(next, a)) return "a";
  return !next.empty() && std::string_view("aeiou").find(next[0]) != std::string_view::npos ? "an" : "a";
}

struct Renderer {
  const ParallelLexicon& lex;
  Sentence s;

  const LexVerb& verb_by_infinitive(const std::string& inf) const {
    for (const auto& v : lex.verbs)
      if (v.fr_infinitive == inf && !v.pronominal) return v;
    throw Error(ErrorKind::NotFound, "parallel lexicon: no verb \"" + inf + "\"");
  }

  // The French article or determiner of a noun phrase; `prep` is 'a' or 'd'
  // when a preposition à / de comes first (it may fuse with "le").
  void french_determiner(const NounPhrase& np, const LexNoun& n, bool has_pre_adj, bool negated_object, int e_det,
                         char prep, int e_prep) {
    const bool f = n.gender == 'f', pl = np.plural;
    std::vector<int> links;
    if (e_det >= 0) links.push_back(e_det);
    auto prep_word = [&] {
      if (prep) s.fr(prep == 'a' ? "à" : "de", {e_prep}, prep == 'a' ? "" : "d'");
    };
    switch (np.determiner) {
      case Determiner::The:
        if (prep) {
          auto& it = s.fr("", links);
          it.contraction = prep;
          it.prep_links = {e_prep};
          it.gender = n.gender;
          it.plural = pl;
          return;
        }
        if (pl) s.fr("les", links);
        else s.fr(f ? "la" : "le", links, "l'");
        return;
      case Determiner::A:
      case Determiner::Bare:
        prep_word();
        if (negated_object) return void(s.fr("de", links, "d'"));
        if (!pl && !n.mass) return void(s.fr(f ? "une" : "un", links));
        if (pl) return void(s.fr(has_pre_adj ? "de" : "des", links, has_pre_adj ? "d'" : ""));
        {  // partitive: du pain, de la soupe, de l'eau
          auto& it = s.fr("", links);
          it.contraction = 'd';
          it.gender = n.gender;
        }
        return;
      case Determiner::This:
        prep_word();
        if (pl) s.fr("ces", links);
        else s.fr(f ? "cette" : "ce", links, f ? "" : "cet");
        return;
      case Determiner::Number:
        prep_word();
        s.fr(kFrNumber[np.number], links);
        return;
      default: {
        prep_word();
        static const char* forms[6][3] = {{"mon", "ma", "mes"},     {"ton", "ta", "tes"},    {"son", "sa", "ses"},
                                          {"son", "sa", "ses"},     {"notre", "notre", "nos"}, {"leur", "leur", "leurs"}};
        const int who = static_cast<int>(np.determiner) - static_cast<int>(Determiner::My);
        const auto& row = forms[who];
        if (pl) s.fr(row[2], links);
        else s.fr(f ? row[1] : row[0], links, f && who < 4 ? row[0] : "");
      }
    }
  }

  std::string english_determiner(const NounPhrase& np, const std::string& next) const {
    switch (np.determiner) {
      case Determiner::The: return "the";
      case Determiner::A: return np.plural ? "" : english_a(next);
      case Determiner::Bare: return "";
      case Determiner::This: return np.plural ? "these" : "this";
      case Determiner::Number: return kEnNumber[np.number];
      default: {
        static const char* poss[6] = {"my", "your", "his", "her", "our", "their"};
        return poss[static_cast<int>(np.determiner) - static_cast<int>(Determiner::My)];
      }
    }
  }

  Agreement noun_phrase(const NounPhrase& np, bool negated_object = false, char prep = 0, int e_prep = -1) {
    if (np.pronoun >= 0) {
      const int e = s.en(kEnPronoun[np.pronoun]);
      s.fr(kFrPronoun[np.pronoun], {e}, np.pronoun == 0 ? "j'" : "");
      static const int person[6] = {0, 1, 2, 2, 3, 5};
      return {np.pronoun == 3 ? 'f' : 'm', np.pronoun >= 4, person[np.pronoun]};
    }
    if (np.name >= 0) {
      const auto& name = lex.names.at(static_cast<std::size_t>(np.name));
      if (prep) s.fr(prep == 'a' ? "à" : "de", {e_prep}, prep == 'a' ? "" : "d'");
      s.fr(name.name, {s.en(name.name)});
      return {name.gender, false, 2};
    }
    const auto& n = lex.nouns.at(static_cast<std::size_t>(np.noun));
    const LexAdjective* adj = np.adjective >= 0 ? &lex.adjectives.at(static_cast<std::size_t>(np.adjective)) : nullptr;
    const std::string en_noun = np.plural ? n.en_plural : n.en;
    const std::string en_det = english_determiner(np, adj ? adj->en : en_noun);
    const int e_det = en_det.empty() ? -1 : s.en(en_det);
    const int e_adj = adj ? s.en(adj->en) : -1;
    const std::vector<int> e_noun = s.en_words(en_noun);
    french_determiner(np, n, adj && adj->before_noun, negated_object, e_det, prep, e_prep);
    const int form = (n.gender == 'f' ? 1 : 0) + (np.plural ? 2 : 0);
    if (adj && adj->before_noun)
      s.fr(adj->fr[static_cast<std::size_t>(form)], {e_adj}, form == 0 && !n.aspirated_h ? adj->fr_before_vowel : "");
    s.fr_words(np.plural ? n.fr_plural : n.fr, e_noun, n.aspirated_h);
    if (adj && !adj->before_noun) s.fr_words(adj->fr[static_cast<std::size_t>(form)], {e_adj}, false);
    return {n.gender, np.plural, np.plural ? 5 : 2};
  }

  static std::string agree_participle(std::string pp, const Agreement& a) {
    if (a.gender == 'f') pp += "e";
    if (a.plural && pp.back() != 's') pp += "s";
    return pp;
  }

  static std::string imperfect(const LexVerb& v, int person) {
    std::string stem = v.fr_present[3];
    stem = v.fr_infinitive == "être" ? "ét" : stem.substr(0, stem.size() - 3);  // nous mangeons -> mange
    return stem + kImperfectEnding[person];
  }

  // "ne", the reflexive pronoun, the finite French verb (or auxiliary),
  // "pas" and the participle; returns the indices of the pieces.
  struct FrenchVerb {
    std::size_t ne = 0, refl = 0, finite = 0, pas = 0, participle = 0, end = 0;
  };
  FrenchVerb french_verb(const LexVerb& v, const Agreement& a, Tense t, bool neg) {
    FrenchVerb out;
    const int p = a.person;
    const bool compound = (t == Tense::Past || t == Tense::Perfect) && !v.stative;
    out.ne = s.french.size();
    if (neg) s.fr("ne", {}, "n'");
    out.refl = s.french.size();
    if (v.pronominal) s.fr(kFrReflexive[p], {}, p == 0 ? "m'" : p == 1 ? "t'" : p == 2 || p == 5 ? "s'" : "");
    out.finite = s.french.size();
    std::string finite;
    if (compound) finite = verb_by_infinitive(v.etre ? "être" : "avoir").fr_present[static_cast<std::size_t>(p)];
    else if (t == Tense::Future) finite = v.fr_future_stem + kFutureEnding[p];
    else if (t == Tense::Past) finite = imperfect(v, p);
    else finite = v.fr_present[static_cast<std::size_t>(p)];
    s.fr(finite);
    out.pas = s.french.size();
    if (neg) s.fr("pas");
    out.participle = s.french.size();
    if (compound) s.fr(v.etre ? agree_participle(v.fr_participle, a) : v.fr_participle);
    out.end = s.french.size();
    return out;
  }

  static bool third_singular(const Agreement& a) { return a.person == 2; }

  std::string english_be(const Agreement& a, bool past) const {
    if (past) return a.person == 0 || a.person == 2 ? "was" : "were";
    return a.person == 0 ? "am" : a.person == 2 ? "is" : "are";
  }

  // English verb phrase linked to the French pieces.
  void verb_phrase(const LexVerb& v, const Agreement& a, Tense t, bool neg) {
    const bool third = third_singular(a);
    const bool compound = (t == Tense::Past || t == Tense::Perfect) && !v.stative;
    const FrenchVerb fv = french_verb(v, a, t, neg);
    auto link_not = [&](int e) {
      s.link(e, fv.ne, fv.refl);
      s.link(e, fv.pas, fv.participle);
    };
    auto link_main = [&](const std::vector<int>& words) {  // the lexical verb: reflexive, and participle or finite verb
      for (int e : words) {
        s.link(e, fv.refl, fv.finite);
        if (compound) s.link(e, fv.participle, fv.end);
        else s.link(e, fv.finite, fv.pas);
      }
    };
    auto aux = [&](const std::string& w) { s.link(s.en(w), fv.finite, fv.pas); };
    switch (t) {
      case Tense::Present:
        if (neg) aux(third ? "does" : "do"), link_not(s.en("not")), link_main(s.en_words(v.en_base));
        else link_main(s.en_words(third ? v.en_3sg : v.en_base));
        break;
      case Tense::Progressive:
        aux(english_be(a, false));
        if (neg) link_not(s.en("not"));
        link_main(s.en_words(v.en_ing));
        break;
      case Tense::Past:
        if (neg) {
          aux("did"), link_not(s.en("not")), link_main(s.en_words(v.en_base));
        } else {
          const std::vector<int> e = s.en_words(v.en_past);
          link_main(e);
          if (compound) s.link(e[0], fv.finite, fv.pas);
        }
        break;
      case Tense::Perfect:
        aux(third ? "has" : "have");
        if (neg) link_not(s.en("not"));
        link_main(s.en_words(v.en_participle));
        break;
      case Tense::Future:
        aux("will");
        if (neg) link_not(s.en("not"));
        link_main(s.en_words(v.en_base));
        break;
    }
  }

  // Copula: am/is/are/was/were/will be -> est/était/sera.
  void copula(const Agreement& a, Tense t, bool neg) {
    const LexVerb& etre = verb_by_infinitive("être");
    const bool past = t == Tense::Past || t == Tense::Perfect;
    const std::size_t ne = s.french.size();
    if (neg) s.fr("ne", {}, "n'");
    const std::size_t fin = s.french.size();
    const int p = a.person;
    s.fr(t == Tense::Future ? etre.fr_future_stem + kFutureEnding[p] : past ? imperfect(etre, p) : etre.fr_present[static_cast<std::size_t>(p)]);
    if (neg) s.fr("pas");
    const std::size_t end = s.french.size();
    if (t == Tense::Future) {
      s.link(s.en("will"), fin, fin + 1);
      if (neg) { const int e = s.en("not"); s.link(e, ne, fin); s.link(e, fin + 1, end); }
      s.link(s.en("be"), fin, fin + 1);
      return;
    }
    s.link(s.en(english_be(a, past)), fin, fin + 1);
    if (neg) { const int e = s.en("not"); s.link(e, ne, fin); s.link(e, fin + 1, end); }
  }

  void preposition_phrase(const std::string& prep, const NounPhrase& place) {
    if (prep.empty()) return;
    if (prep == "to" || prep == "at" || prep == "from") {
      noun_phrase(place, false, prep == "from" ? 'd' : 'a', s.en(prep));
      return;
    }
    if (prep == "near") {
      const int e = s.en("near");
      s.fr("près", {e});
      noun_phrase(place, false, 'd', e);
      return;
    }
    if (prep == "in front of") {
      const std::size_t at = s.french.size();
      s.fr("devant");
      for (const char* w : {"in", "front", "of"}) s.link(s.en(w), at, at + 1);
      noun_phrase(place);
      return;
    }
    static const std::vector<std::pair<std::string, std::string>> simple = {
        {"on", "sur"}, {"under", "sous"}, {"in", "dans"}, {"behind", "derrière"}, {"with", "avec"}};
    for (const auto& [en, fr] : simple)
      if (en == prep) {
        s.fr(fr, {s.en(en)});
        noun_phrase(place);
        return;
      }
    throw Error(ErrorKind::Unsupported, "unknown preposition \"" + prep + "\"");
  }

  void job(const NounPhrase& np, const Agreement& subject) {
    const auto& n = lex.nouns.at(static_cast<std::size_t>(np.noun));
    const std::string en_noun = subject.plural ? n.en_plural : n.en;
    if (!subject.plural) s.en(english_a(en_noun));  // "a" has no French counterpart: "je suis étudiant"
    const bool fem = subject.gender == 'f' && !n.fr_feminine.empty();
    std::string fr = fem ? n.fr_feminine : n.fr;
    // "conductrice de bus" -> "conductrices de bus": only the head noun takes the plural
    const std::size_t sp = fr.find(' ');
    if (subject.plural)
      fr = !fem ? n.fr_plural : sp == std::string::npos ? french_plural(fr) : french_plural(fr.substr(0, sp)) + fr.substr(sp);
    s.fr_words(fr, s.en_words(en_noun), false);
  }

  void clause(const Clause& c) {
    const Agreement a = noun_phrase(c.subject);
    switch (c.kind) {
      case ClauseKind::Verb: {
        const auto& v = lex.verbs.at(static_cast<std::size_t>(c.verb));
        verb_phrase(v, a, c.tense, c.negative);
        // "pas de": an indefinite object of a negated verb loses its article
        const bool indefinite = c.object && (c.object->determiner == Determiner::A || c.object->determiner == Determiner::Bare);
        if (c.object) noun_phrase(*c.object, c.negative && indefinite);
        break;
      }
      case ClauseKind::CopulaAdjective: {
        copula(a, c.tense, c.negative);
        const auto& adj = lex.adjectives.at(static_cast<std::size_t>(c.adjective));
        s.fr_words(adj.fr[static_cast<std::size_t>((a.gender == 'f' ? 1 : 0) + (a.plural ? 2 : 0))], {s.en(adj.en)}, false);
        break;
      }
      case ClauseKind::CopulaJob:
        copula(a, c.tense, c.negative);
        job(*c.object, a);
        break;
      case ClauseKind::CopulaPlace:
        copula(a, c.tense, c.negative);
        break;
    }
    if (c.place) preposition_phrase(c.preposition, *c.place);
  }
};

}  // namespace

ParallelPair render_clause(const ParallelLexicon& lexicon, const Clause& clause) {
  Renderer r{lexicon, {}};
  r.clause(clause);
  return detail::finish(r.s);
}

}  // namespace attnscope::train
