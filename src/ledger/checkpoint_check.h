// `parley journal verify`'s check of the tree against what the log signed: the latest
// checkpoint stored in the database must be signed by the log's key (when the key file
// is at hand) and its root must be the root of the journal's tree at its size. A free
// function over a Connection (the caller holds a read transaction); thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"
#include "tlog/note.h"

namespace parley::ledger {

struct CheckpointCheck {
  bool ok = true;
  std::int64_t size = 0;  // the latest checkpoint's size (0: none yet)
  std::string sentence;   // what was checked, or what failed, in one plain sentence
};

// `entries`: how many entries the journal holds (its chain already verified). `key`:
// the log's verifier key, nullopt when the key file is missing (the signature is then
// not checked, and the sentence says so).
CheckpointCheck check_latest_checkpoint(storage::Connection& c, std::int64_t entries,
                                        const std::optional<tlog::Verifier>& key);

}  // namespace parley::ledger
