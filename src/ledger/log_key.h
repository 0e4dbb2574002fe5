// The log's signing key: an Ed25519 key in a file of its own (mode 0600), never in the
// database, so that a copy of the database cannot sign checkpoints. The file holds the
// key in the signed-note private-key format ("PRIVATE+KEY+<origin>+<id>+<key>"); its
// name is the log's origin. `parley ledger init` creates it. Functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "tlog/note.h"

namespace parley::ledger {

// Loads the key; nullopt when the file does not exist; throws std::runtime_error naming
// the file when it is unreadable, malformed or readable by others.
std::optional<tlog::Signer> load_log_key(const std::string& path);
// Creates a new key named `origin` in `path` (refusing to overwrite one); throws.
tlog::Signer create_log_key(const std::string& path, const std::string& origin);

}  // namespace parley::ledger
