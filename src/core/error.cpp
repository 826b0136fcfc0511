#include "error.h"

namespace attnscope {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::BadFormat: return "bad format";
    case ErrorKind::NotFound: return "not found";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::OutOfRange: return "out of range";
    case ErrorKind::Io: return "I/O";
    case ErrorKind::Usage: return "usage";
  }
  return "error";
}

}  // namespace attnscope
