// Copying every row of one Parley database into another, across backends (SQLite and
// PostgreSQL, either way): `parley db copy` (app/db_copy.h) uses it to move an
// installation. The caller has already migrated the target to the source's schema
// version; copy_rows() then replaces whatever rows the migrations left in the target
// (reference data) with the source's, verbatim: every column value as the source holds
// it, primary keys kept.
//
// Which tables: those of the source's schema (sqlite_master, or information_schema on
// PostgreSQL), views and the backend's own tables excluded, and schema_migrations
// excluded (migrate() filled it on the target). The two sides must have the same tables.
// In which order: parents before children along the target's foreign keys, so that every
// row inserted finds what it references; each table read in primary-key order (a row
// that references its own table references an older one), in batches, one target
// transaction per batch. The source is read in one read transaction: one snapshot, so
// the counts compared at the end are the snapshot's even if the source is being written.
// On a PostgreSQL target, identity columns are moved past the largest key copied.
//
// Not atomic across batches: a copy that fails leaves a partly filled target, to be
// dropped and made again (the command refuses a target that already holds tables).
//
// Thread-safety: runs on the caller's thread; the two Databases are used through their
// own read() and write(), never one inside the other's callback on the same Database.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace parley::storage {

struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;   // in the source's snapshot
  std::int64_t copied = 0;        // rows inserted into the target
  std::int64_t target_rows = 0;   // counted on the target afterwards
  bool matches() const { return source_rows == copied && copied == target_rows; }
};

// The tables Parley's schema made in the database behind `c` (no views, no backend
// tables, no schema_migrations), sorted by name.
std::vector<std::string> user_tables(Connection& c);

// Every table of `from` copied into `to`, in foreign-key order; one entry per table, in
// the order copied. `progress` (optional) hears each table when it is done. Throws
// std::runtime_error when the two schemas differ or a statement fails.
std::vector<TableCopy> copy_rows(Database& from, Database& to,
                                 const std::function<void(const TableCopy&)>& progress = nullptr,
                                 std::size_t batch_rows = 500);

}  // namespace parley::storage
