#include "export_data.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "atomic_file.h"
#include "error.h"
#include "decoder_capture.h"
#include "export_json.h"

namespace attnscope {

using nlohmann::json;

namespace {

// BertViz's encoder-decoder form: head_view / model_view take encoder_attention,
// decoder_attention, cross_attention, encoder_tokens and decoder_tokens.
void add_bertviz_decoder(const AttentionSnapshot& snap, json& out) {
  json decoder_tokens = json::array();
  for (const Token& t : snap.decoder->tokens) decoder_tokens.push_back(t.display);
  json decoder = json::object();
  add_decoder_json(snap, decoder);
  out["encoder_tokens"] = out["tokens"];
  out["decoder_tokens"] = std::move(decoder_tokens);
  out["encoder_attention"] = out["attn"];
  out["decoder_attention"] = std::move(decoder["decoder_attention"]);
  out["cross_attention"] = std::move(decoder["cross_attention"]);
}

}  // namespace

json bertviz_json(const AttentionSnapshot& snap) {
  json tokens = json::array(), spans = json::array();
  for (const Token& t : snap.tokens) {
    tokens.push_back(t.display);
    spans.push_back({t.start, t.end});
  }
  json ablated = json::array();
  for (const auto& [l, h] : snap.interventions.ablated_heads) ablated.push_back({l, h});
  json meta = {{"model", snap.model->config.model_type},
               {"source", snap.model->source.string()},
               {"text", snap.text},
               {"layers", snap.n_layers},
               {"heads", snap.n_heads},
               {"token_spans", std::move(spans)},
               {"causal", snap.causal},
               {"ablated_heads", std::move(ablated)},
               {"masked_keys", snap.interventions.masked_keys}};
  if (!snap.warnings.empty()) meta["warnings"] = snap.warnings;  // NaN is written as null: say why
  json out = {{"tokens", std::move(tokens)}, {"attn", attention_to_json(snap)}, {"attnscope", std::move(meta)}};
  if (snap.decoder) add_bertviz_decoder(snap, out);
  return out;
}

bool npy_tensor_from_name(const std::string& name, NpyTensor* out) {
  if (name == "attention") *out = NpyTensor::Attention;
  else if (name == "q") *out = NpyTensor::Q;
  else if (name == "k") *out = NpyTensor::K;
  else if (name == "v") *out = NpyTensor::V;
  else return false;
  return true;
}

NpyArray snapshot_array(const AttentionSnapshot& snap, NpyTensor tensor) {
  return snapshot_array(attention_of_kind(snap, AttentionKind::Self), tensor);
}

NpyArray snapshot_array(const AttentionKindView& view, NpyTensor tensor) {
  const std::int64_t L = view.n_layers, H = view.n_heads;
  // Queries give the rows of attention and q; keys those of k and v.
  const bool key_rows = tensor == NpyTensor::K || tensor == NpyTensor::V;
  const std::int64_t rows = key_rows ? view.n_keys() : view.n_queries();
  const std::int64_t cols = tensor == NpyTensor::Attention ? view.n_keys() : view.head_dim;
  NpyArray a;
  a.shape = {L, H, rows, cols};
  a.data.reserve(static_cast<size_t>(L * H * rows * cols));
  for (int l = 0; l < L; ++l)
    for (int h = 0; h < H; ++h) {
      const HeadCapture& cap = view.head(l, h);
      const MatrixRM& m = tensor == NpyTensor::Attention ? cap.probs : tensor == NpyTensor::Q ? cap.q : tensor == NpyTensor::K ? cap.k : cap.v;
      a.data.insert(a.data.end(), m.data(), m.data() + m.size());  // row-major [rows, cols]
    }
  return a;
}

std::string npy_bytes(const NpyArray& array) {
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i) shape += (i ? ", " : "") + std::to_string(array.shape[i]);
  if (array.shape.size() == 1) shape += ",";  // Python's one-element tuple
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  // magic (6) + version (2) + length (2) + header, padded with spaces and ended by '\n' to a multiple of 64.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(reinterpret_cast<const char*>(array.data.data()), array.data.size() * sizeof(float));
  return out;
}

NpyArray parse_npy(const std::string& bytes) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw Error("not a .npy file (bad magic)");
  const size_t header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  if (bytes[6] != 1 || 10 + header_len > bytes.size()) throw Error(".npy: unsupported version or truncated header");
  const std::string header = bytes.substr(10, header_len);
  if (header.find("'descr': '<f4'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos)
    throw Error(".npy: only little-endian float32 in C order is read");
  auto open = header.find("'shape': (");
  auto close = header.find(')', open);
  if (open == std::string::npos || close == std::string::npos) throw Error(".npy: no shape in header");
  NpyArray a;
  std::int64_t numel = 1;
  const std::string dims = header.substr(open + 10, close - open - 10);
  size_t pos = 0;
  while (pos < dims.size()) {
    size_t comma = dims.find(',', pos);
    std::string item = dims.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? dims.size() : comma + 1;
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    std::int64_t d = std::stoll(item);
    if (d < 0 || d > (1LL << 40)) throw Error(".npy: bad dimension");
    a.shape.push_back(d);
    numel *= d;
  }
  const size_t data_bytes = bytes.size() - 10 - header_len;
  if (data_bytes != static_cast<size_t>(numel) * sizeof(float)) throw Error(".npy: data size does not match the shape");
  a.data.resize(static_cast<size_t>(numel));
  std::memcpy(a.data.data(), bytes.data() + 10 + header_len, data_bytes);
  return a;
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos && (s.empty() || (s.front() != ' ' && s.back() != ' '))) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> csv_labels(const std::vector<Token>& tokens) {
  std::vector<std::string> labels;
  for (size_t t = 0; t < tokens.size(); ++t) labels.push_back(csv_field(std::to_string(t) + ":" + tokens[t].display));
  return labels;
}

}  // namespace

std::string attention_csv(const AttentionSnapshot& snap, int layer, int head) {
  return attention_csv(attention_of_kind(snap, AttentionKind::Self), layer, head);
}

std::string attention_csv(const AttentionKindView& view, int layer, int head) {
  if (layer < 0 || layer >= view.n_layers || head < 0 || head >= view.n_heads)
    throw Error(ErrorKind::OutOfRange, "no layer " + std::to_string(layer) + " head " + std::to_string(head) + " in " +
                                           std::to_string(view.n_layers) + " layers x " + std::to_string(view.n_heads) + " heads");
  const std::vector<std::string> rows = csv_labels(*view.queries), cols = csv_labels(*view.keys);
  std::string out = "query\\key";
  for (const auto& l : cols) out += "," + l;
  out += "\n";
  const MatrixRM& p = view.head(layer, head).probs;
  char number[32];
  for (int i = 0; i < view.n_queries(); ++i) {
    out += rows[static_cast<size_t>(i)];
    for (int j = 0; j < view.n_keys(); ++j) {
      std::snprintf(number, sizeof number, ",%.9g", static_cast<double>(p(i, j)));
      out += number;
    }
    out += "\n";
  }
  return out;
}

void write_export(const std::filesystem::path& path, const std::string& bytes, bool overwrite) {
  write_file_atomically(path, bytes, overwrite ? Overwrite::Allow : Overwrite::Refuse);
}

}  // namespace attnscope
