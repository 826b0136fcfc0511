#include "attention_kind.h"

#include "decoder_capture.h"
#include "error.h"

namespace attnscope {

bool attention_kind_from_name(const std::string& name, AttentionKind* out) {
  if (name == "self" || name == "encoder") *out = AttentionKind::Self;
  else if (name == "decoder") *out = AttentionKind::DecoderSelf;
  else if (name == "cross") *out = AttentionKind::Cross;
  else return false;
  return true;
}

const char* attention_kind_name(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::Self: return "self";
    case AttentionKind::DecoderSelf: return "decoder";
    case AttentionKind::Cross: return "cross";
  }
  return "?";
}

AttentionKindView attention_of_kind(const AttentionSnapshot& snap, AttentionKind kind) {
  AttentionKindView view;
  view.kind = kind;
  view.n_heads = snap.n_heads;
  view.head_dim = snap.head_dim;
  if (kind == AttentionKind::Self) {
    view.heads = &snap.heads;
    view.queries = &snap.tokens;
    view.keys = &snap.keys();  // a cross-attention view's snapshot has the source as keys
    view.n_layers = snap.n_layers;
    return view;
  }
  if (!snap.decoder)
    throw Error(ErrorKind::Unsupported, std::string("no ") + attention_kind_name(kind) +
                                            " attention: the model is not an encoder-decoder model");
  const DecoderCapture& dec = *snap.decoder;
  view.n_layers = dec.n_layers;
  view.queries = &dec.tokens;
  view.heads = kind == AttentionKind::Cross ? &dec.cross_heads : &dec.self_heads;
  view.keys = kind == AttentionKind::Cross ? &snap.tokens : &dec.tokens;
  return view;
}

}  // namespace attnscope
