// Greedy and sampled generation on top of run_tokens(), with run.c's sampler
// (xorshift random numbers, temperature, top-p) so a seed reproduces run.c.
#include "generate.h"

#include <algorithm>
#include <cmath>

#include "error.h"
#include "finite_check.h"
#include "forward.h"

namespace attnscope {

namespace {

// run.c's random_u32: xorshift* on a 64-bit state.
std::uint32_t random_u32(std::uint64_t& state) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return static_cast<std::uint32_t>((state * 0x2545F4914F6CDD1Dull) >> 32);
}

float random_f32(std::uint64_t& state) { return static_cast<float>(random_u32(state) >> 8) / 16777216.0f; }

int argmax(std::span<const float> values) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(values.size()); i++)
    if (values[i] > values[best]) best = i;
  return best;
}

// Samples from probabilities [V] given a coin in [0, 1).
int sample_mult(std::span<const float> probs, float coin) {
  float cdf = 0.0f;
  for (int i = 0; i < static_cast<int>(probs.size()); i++) {
    cdf += probs[i];
    if (coin < cdf) return i;
  }
  return static_cast<int>(probs.size()) - 1;  // rounding left the cdf just below 1
}

// Nucleus sampling: the smallest set of most likely tokens whose probability
// exceeds top_p. Tokens below (1 - top_p) / (V - 1) cannot be in it, so they
// are dropped before sorting, as run.c does.
int sample_top_p(std::span<const float> probs, float top_p, float coin) {
  const int n = static_cast<int>(probs.size());
  const float cutoff = (1.0f - top_p) / static_cast<float>(std::max(n - 1, 1));
  std::vector<int> order;
  for (int i = 0; i < n; i++)
    if (probs[i] >= cutoff) order.push_back(i);
  if (order.empty()) return sample_mult(probs, coin);
  // Stable, so equal probabilities keep id order (run.c's qsort leaves it unspecified).
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return probs[a] > probs[b]; });
  float cumulative = 0.0f;
  size_t last = order.size() - 1;
  for (size_t i = 0; i < order.size(); i++) {
    cumulative += probs[order[i]];
    if (cumulative > top_p) {
      last = i;
      break;
    }
  }
  float r = coin * cumulative;
  float cdf = 0.0f;
  for (size_t i = 0; i <= last; i++) {
    cdf += probs[order[i]];
    if (r < cdf) return order[i];
  }
  return order[last];
}

Token token_for(const Model& model, int id) {
  Token t;
  t.id = id;
  if (const Tokenizer* tok = model.tokenizer.get(); tok && id < tok->vocab_size()) {
    t.piece = tok->piece(id);
    t.display = tok->display_piece(id);
    t.special = id == tok->bos_id || id == tok->eos_id;
  }
  return t;
}

}  // namespace

int sample_next(std::span<const float> logits, const SamplingOptions& sampling, std::uint64_t& rng_state) {
  if (logits.empty()) throw Error("sampling: no logits");
  if (!(sampling.temperature > 0.0f)) return argmax(logits);
  // softmax(logits / temperature), max-subtracted as run.c's softmax.
  std::vector<float> probs(logits.begin(), logits.end());  // [V]
  for (float& p : probs) p /= sampling.temperature;
  const float max = *std::max_element(probs.begin(), probs.end());
  float sum = 0.0f;
  for (float& p : probs) {
    p = std::exp(p - max);
    sum += p;
  }
  for (float& p : probs) p /= sum;
  const float coin = random_f32(rng_state);
  if (sampling.top_p <= 0.0f || sampling.top_p >= 1.0f) return sample_mult(probs, coin);
  return sample_top_p(probs, sampling.top_p, coin);
}

std::vector<int> generate(const std::shared_ptr<const Model>& model, std::vector<int> prompt_ids, int steps,
                          const SamplingOptions& sampling, const TokenCallback& on_token,
                          const std::atomic<bool>* cancel) {
  if (!model) throw Error("generate: no model");
  if (prompt_ids.empty()) throw Error("generate: the prompt is empty (encode() gives at least BOS)");
  const int V = model->config.vocab_size;
  for (size_t i = 0; i < prompt_ids.size(); i++)
    if (prompt_ids[i] < 0 || prompt_ids[i] >= V)
      throw Error("generate: prompt token " + std::to_string(i) + " has id " + std::to_string(prompt_ids[i]) +
                  ", outside the vocabulary (0.." + std::to_string(V - 1) + ")");
  // run.c: 0 (or too many) steps means the whole context.
  if (steps <= 0 || steps > model->config.max_positions) steps = model->config.max_positions;
  const int bos = model->tokenizer ? model->tokenizer->bos_id : -1;
  std::uint64_t rng_state = sampling.seed != 0 ? sampling.seed : 0x9E3779B97F4A7C15ull;

  RunOptions options;
  options.predict = RunOptions::Predict::None;
  options.keep_logits = true;
  options.cancel = cancel;

  std::vector<int> ids = {prompt_ids[0]};
  std::vector<Token> tokens = {token_for(*model, prompt_ids[0])};  // [T]
  const int n_prompt = static_cast<int>(prompt_ids.size());
  for (int pos = 0; pos < steps; pos++) {
    int next;
    if (pos + 1 < n_prompt) {
      next = prompt_ids[pos + 1];  // still inside the prompt: no need to run the model
    } else {
      auto snapshot = run_tokens(model, tokens, options);
      const MatrixRM& logits = snapshot->logits;  // [T, V]
      if (logits.rows() != static_cast<Eigen::Index>(tokens.size()) || logits.cols() != V)
        throw Error("generate: the forward pass returned logits of shape [" + std::to_string(logits.rows()) + ", " +
                    std::to_string(logits.cols()) + "], expected [" + std::to_string(tokens.size()) + ", " +
                    std::to_string(V) + "]");
      const float* last = logits.data() + (logits.rows() - 1) * logits.cols();
      // NaN logits would make every sampler pick token 0 and print its bytes.
      if (first_non_finite(last, static_cast<size_t>(V)))
        throw Error("generate: the logits at position " + std::to_string(tokens.size() - 1) +
                    " are not finite (" + (snapshot->warnings.empty() ? "NaN/Inf" : snapshot->warnings.front()) +
                    "); stopped instead of printing garbage");
      next = sample_next(std::span<const float>(last, static_cast<size_t>(V)), sampling, rng_state);
      // A generated BOS ends the sequence; a BOS inside the prompt is kept.
      if (next == bos) break;
    }
    ids.push_back(next);
    tokens.push_back(token_for(*model, next));
    if (pos + 1 >= n_prompt && on_token && !on_token(next)) break;
  }
  return ids;
}

std::vector<int> generate_greedy(const std::shared_ptr<const Model>& model, std::vector<int> prompt_ids, int steps,
                                 const TokenCallback& on_token, const std::atomic<bool>* cancel) {
  SamplingOptions greedy;
  greedy.temperature = 0.0f;
  return generate(model, std::move(prompt_ids), steps, greedy, on_token, cancel);
}

std::string decode_generated(const Tokenizer& tokenizer, const std::vector<int>& ids) {
  std::string text;
  int previous = -1;
  for (int id : ids) {
    if (id == tokenizer.bos_id || id == tokenizer.eos_id) {
      previous = id;
      continue;
    }
    std::string piece = tokenizer.decode_piece(id);
    // SentencePiece strips the dummy-prefix space after BOS; run.c checks the
    // vocabulary string, so a byte token <0x20> keeps its space.
    const std::string vocab = tokenizer.piece(id);
    bool leading_space = vocab.starts_with(' ') || vocab.starts_with("\xE2\x96\x81");
    if (previous == tokenizer.bos_id && previous >= 0 && leading_space && piece.starts_with(' ')) piece.erase(0, 1);
    text += piece;
    previous = id;
  }
  return text;
}

}  // namespace attnscope
