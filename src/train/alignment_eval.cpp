#include "train/alignment_eval.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

#include "core/decoder_capture.h"
#include "core/seq2seq.h"

namespace attnscope::train {

namespace {

bool overlaps(const Token& token, const WordSpan& word) {
  return token.end > token.start && static_cast<int>(token.start) < word.end && static_cast<int>(token.end) > word.begin;
}

// Bucket of each source token: its word's index, or (for a token outside
// every word) n_words + its own index.   -> [Ts]
std::vector<int> source_buckets(const std::vector<Token>& tokens, const std::vector<WordSpan>& words) {
  std::vector<int> buckets(tokens.size());
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    buckets[t] = static_cast<int>(words.size() + t);
    for (std::size_t w = 0; w < words.size(); ++w)
      if (overlaps(tokens[t], words[w])) {
        buckets[t] = static_cast<int>(w);
        break;
      }
  }
  return buckets;
}

// The decoder row that produced each target word's first piece, -1 when no
// piece covers the word.   -> [target words]
std::vector<int> producing_rows(const std::vector<Token>& decoder_tokens, const std::vector<WordSpan>& words) {
  std::vector<int> rows(words.size(), -1);
  for (std::size_t w = 0; w < words.size(); ++w)
    for (std::size_t p = 1; p < decoder_tokens.size(); ++p)
      if (overlaps(decoder_tokens[p], words[w])) {
        rows[w] = static_cast<int>(p) - 1;
        break;
      }
  return rows;
}

// The bucket with the most weight in row `row` of probs [Tt, Ts].
int argmax_bucket(const MatrixRM& probs, int row, const std::vector<int>& buckets) {
  std::map<int, double> mass;
  for (std::size_t s = 0; s < buckets.size(); ++s) mass[buckets[s]] += probs(row, static_cast<Eigen::Index>(s));
  return std::max_element(mass.begin(), mass.end(), [](const auto& a, const auto& b) { return a.second < b.second; })->first;
}

struct ScoredWord {
  int row = 0;
  std::vector<int> sources;  // linked source words
  bool crossing = false;
};

std::vector<ScoredWord> scored_words(const ParallelPair& pair, const std::vector<int>& rows) {
  std::vector<ScoredWord> words;
  for (std::size_t w = 0; w < pair.target_words.size(); ++w) {
    ScoredWord word{rows[w], {}, false};
    for (const WordLink& link : pair.links)
      if (link.target_word == static_cast<int>(w)) {
        word.sources.push_back(link.source_word);
        word.crossing = word.crossing || link.crossing;
      }
    if (!word.sources.empty() && word.row >= 0) words.push_back(std::move(word));
  }
  return words;
}

void add(Tally& tally, bool right) {
  ++tally.total;
  if (right) ++tally.correct;
}

}  // namespace

void score_pair(const ParallelPair& pair, const std::vector<Token>& source_tokens, const std::vector<Token>& decoder_tokens,
                const std::vector<HeadCapture>& cross, std::vector<HeadAlignment>& heads) {
  const std::vector<int> buckets = source_buckets(source_tokens, pair.source_words);
  const std::vector<ScoredWord> words = scored_words(pair, producing_rows(decoder_tokens, pair.target_words));
  for (std::size_t h = 0; h < heads.size(); ++h)
    for (const ScoredWord& word : words) {
      const int chosen = argmax_bucket(cross[h].probs, word.row, buckets);
      const bool right = std::find(word.sources.begin(), word.sources.end(), chosen) != word.sources.end();
      add(heads[h].links, right);
      if (word.crossing) add(heads[h].crossing, right);
    }
}

namespace {

void check_translation(const std::shared_ptr<const Model>& model, const ParallelPair& pair, const std::vector<Token>& source,
                       AlignmentReport& report) {
  const int max_new_tokens = 3 * static_cast<int>(source.size()) + 8;
  const std::string got = decode_translation(*model, translate_greedy(model, source, max_new_tokens).ids);
  add(report.exact, got == pair.target);
  if (got != pair.target && report.misses.size() < 20) report.misses.push_back(pair.source + " => " + got + "  (want " + pair.target + ")");
}

}  // namespace

AlignmentReport evaluate_alignment(const std::shared_ptr<const Model>& model, const std::vector<ParallelPair>& pairs, bool translate) {
  AlignmentReport report;
  const EncoderDecoder& decoder = *model->encoder_decoder;
  report.n_layers = decoder.config.n_decoder_layers;
  report.n_heads = model->config.n_heads;
  for (int l = 0; l < report.n_layers; ++l)
    for (int h = 0; h < report.n_heads; ++h) report.heads.push_back({l, h, {}, {}});
  RunOptions options;
  options.predict = RunOptions::Predict::None;
  for (const ParallelPair& pair : pairs) {
    std::vector<Token> source = model->tokenizer->encode(pair.source);
    const auto run = run_seq2seq_tokens(model, source, decoder_input_for(*model, pair.target), options, pair.source, pair.target);
    const int before = report.heads.front().links.total;
    score_pair(pair, run->tokens, run->decoder->tokens, run->decoder->cross_heads, report.heads);
    if (report.heads.front().links.total == before) ++report.skipped;
    if (translate) check_translation(model, pair, source, report);
  }
  return report;
}

const HeadAlignment& best_alignment_head(const AlignmentReport& report) {
  const auto score = [](const HeadAlignment& h) { return h.links.accuracy() + h.crossing.accuracy(); };
  return *std::max_element(report.heads.begin(), report.heads.end(),
                           [&](const HeadAlignment& a, const HeadAlignment& b) { return score(a) < score(b); });
}

std::string format_alignment_report(const AlignmentReport& report) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  out << "head      links right      crossing links right\n";
  for (const HeadAlignment& h : report.heads)
    out << "L" << h.layer << "H" << h.head << "    " << std::setw(5) << 100 * h.links.accuracy() << "% of " << std::setw(5)
        << h.links.total << "    " << std::setw(5) << 100 * h.crossing.accuracy() << "% of " << h.crossing.total << "\n";
  if (report.exact.total)
    out << "exact greedy translations: " << 100 * report.exact.accuracy() << "% of " << report.exact.total << "\n";
  if (report.skipped) out << "pairs with no scored word: " << report.skipped << "\n";
  for (const std::string& miss : report.misses) out << "  miss: " << miss << "\n";
  return out.str();
}

}  // namespace attnscope::train
