#include "export_data.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "atomic_file.h"
#include "error.h"
#include "export_json.h"

namespace attnscope {

using nlohmann::json;

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
  return {{"tokens", std::move(tokens)}, {"attn", attention_to_json(snap)}, {"attnscope", std::move(meta)}};
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
  const std::int64_t L = snap.n_layers, H = snap.n_heads, T = snap.n_tokens;
  const std::int64_t cols = tensor == NpyTensor::Attention ? T : snap.head_dim;
  NpyArray a;
  a.shape = {L, H, T, cols};
  a.data.reserve(static_cast<size_t>(L * H * T * cols));
  for (int l = 0; l < L; ++l)
    for (int h = 0; h < H; ++h) {
      const HeadCapture& cap = snap.head(l, h);
      const MatrixRM& m = tensor == NpyTensor::Attention ? cap.probs : tensor == NpyTensor::Q ? cap.q : tensor == NpyTensor::K ? cap.k : cap.v;
      a.data.insert(a.data.end(), m.data(), m.data() + m.size());  // row-major [T, cols]
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

}  // namespace

std::string attention_csv(const AttentionSnapshot& snap, int layer, int head) {
  if (layer < 0 || layer >= snap.n_layers || head < 0 || head >= snap.n_heads)
    throw Error("no layer " + std::to_string(layer) + " head " + std::to_string(head) + " in a model of " +
                std::to_string(snap.n_layers) + " layers x " + std::to_string(snap.n_heads) + " heads");
  std::vector<std::string> labels;
  for (int t = 0; t < snap.n_tokens; ++t) labels.push_back(csv_field(std::to_string(t) + ":" + snap.tokens[static_cast<size_t>(t)].display));
  std::string out = "query\\key";
  for (const auto& l : labels) out += "," + l;
  out += "\n";
  const MatrixRM& p = snap.head(layer, head).probs;
  char number[32];
  for (int i = 0; i < snap.n_tokens; ++i) {
    out += labels[static_cast<size_t>(i)];
    for (int j = 0; j < snap.n_tokens; ++j) {
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
