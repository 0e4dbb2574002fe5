// The PostgreSQL backend (libpq): a Connection per server session, prepared statements
// cached per connection by SQL text, `?` placeholders rewritten to $n, results mapped to
// Value by column type (int2/4/8 and bool -> integer, float4/8 and numeric -> double,
// everything else text). Only postgres_database.cc includes <libpq-fe.h>.
//
// Isolation: a write transaction (Database::write, begin(true)) is READ COMMITTED, the
// server's default: every statement sees what was committed before it started, and a
// read-then-write path that must be serialised across instances says so with
// Connection::lock(name) (pg_advisory_xact_lock), a constraint or a conditional UPDATE.
// (SERIALIZABLE would turn those paths into retries of the whole group-commit batch.)
// A read transaction (Database::read, begin(false)) is REPEATABLE READ: one snapshot
// for all its statements, as an SQLite read transaction gives; it never fails for
// serialisation, since it writes nothing.
//
// A connection that the server dropped (restart, network) is marked broken: the pool
// discards it instead of lending it again, the next acquire() opens a new one, and the
// caller gets storage::Unavailable.
//
// Thread-safety: see storage/database.h (a Connection is used by one thread at a time).
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace parley::storage {

// `url` is a libpq connection URI (postgresql://user@host:port/db?host=/socket/dir).
// Connects once before returning (so that a wrong URL fails at start) and installs the
// SQL functions Parley's SQL expects (fold_for_search; storage/postgres/fold_function.h).
std::unique_ptr<Database> open_postgresql(const std::string& url, std::size_t max_connections);

// The URL without its password (user:secret@ -> user@, password=... dropped).
std::string redact_postgresql_url(const std::string& url);

// The same URL naming another database (the path's first segment replaced).
std::string postgresql_url_with_database(const std::string& url, const std::string& database);

}  // namespace parley::storage
