// The embedded SQLite backend: WAL journal, foreign keys on, synchronous=FULL so that
// an acknowledged commit survives a crash or power loss, a 10 s busy timeout, and a
// per-connection cache of prepared statements. Thread-safety: see storage/database.h.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace parley::storage {

// `path` is a file name; ":memory:" is refused (each pooled connection would see its
// own empty database).
std::unique_ptr<Database> open_sqlite(const std::string& path, std::size_t max_connections);

}  // namespace parley::storage
