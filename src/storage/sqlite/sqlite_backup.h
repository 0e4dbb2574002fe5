// A consistent online copy of an SQLite database file, made with SQLite's online backup
// API (sqlite3_backup_init/step/finish) while a server may be reading and writing it,
// and the integrity check of such a copy. SQLite-only: the rest of Parley never
// includes sqlite3.h. Functions, no shared state: call them from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace parley::storage {

struct SqliteBackupOptions {
  bool force = false;        // replace an existing target
  int pages_per_step = 512;  // pages copied per step (4 KiB each by default)
  int pause_ms = 2;          // between steps, so that the server's writers get the file
  // After this many restarts (the source was written between two steps, so SQLite began
  // again), the rest is copied in one step. In WAL mode, which Parley always uses, that
  // step is a read transaction and does not block writers either; it only keeps the WAL
  // from being checkpointed past it until it ends.
  int max_restarts = 3;
  std::function<void(int remaining, int total)> progress;   // after each step, if set
};

struct SqliteBackupResult {
  std::int64_t pages = 0;      // pages in the copy
  std::int64_t bytes = 0;      // the copy's size
  int steps = 0;
  int restarts = 0;
};

// Copies the database at `source` to `target`: written to a temporary file beside the
// target (mode 0600), synced, then renamed into place (atomically; without `force`, an
// existing target is refused before anything is copied and never replaced). Throws
// std::runtime_error saying why (source missing or not a database, target's directory
// missing, target exists, an SQLite error); the temporary file is removed on failure.
SqliteBackupResult backup_sqlite(const std::string& source, const std::string& target,
                                 const SqliteBackupOptions& options = {});

// PRAGMA integrity_check on the database at `path`, opened read-only: "ok", or the
// problems SQLite lists, one per line.
std::string sqlite_integrity_check(const std::string& path);

}  // namespace parley::storage
