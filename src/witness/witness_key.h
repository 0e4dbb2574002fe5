// A witness's signing key: an Ed25519 key of type 0x04 (c2sp.org/tlog-cosignature) in a
// file of its own, mode 0600, in the signed-note private-key format. `parley witness
// init` creates it. Functions; thread-safe.
#pragma once

#include <string>

#include "tlog/note.h"

namespace parley::witness {

// Throws std::runtime_error naming the file when it is missing, readable by others,
// malformed, or not a cosignature key.
tlog::Signer load_witness_key(const std::string& path);
// A new key named `name` in `path` (never overwriting); throws.
tlog::Signer create_witness_key(const std::string& path, const std::string& name);

}  // namespace parley::witness
