#include "cli/remedy_hint.h"

namespace arenaplan::cli {

std::string remedy_hint(Remedy remedy) {
  switch (remedy) {
    case Remedy::none: return "";
    case Remedy::raise_max_file_bytes: return " (raise it with --max-file-size)";
    case Remedy::raise_max_buffers: return " (raise it with --max-buffers)";
    case Remedy::raise_max_step: return " (raise it with --max-steps)";
    case Remedy::raise_max_total_bytes: return " (raise it with --max-total-size)";
    case Remedy::raise_max_nesting: return " (raise it with --max-nesting)";
  }
  return "";
}

}  // namespace arenaplan::cli
