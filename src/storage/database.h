// The storage interface the domain talks to. Backends (sqlite/, later postgres/)
// implement Connection; Database owns a pool of them.
//
// SQL written by domain code uses the portable subset both SQLite and PostgreSQL
// accept, with `?` placeholders (a PostgreSQL backend rewrites them to $n), TEXT for
// strings and JSON, INTEGER for numbers and booleans, and Connection::insert() for generated keys.
//
// Thread-safety: Database is thread-safe; a Connection is used by one thread at a time,
// between acquire() and the end of its Lease.
//
// One connection at a time: the function given to read() or write() must not call
// read(), write() or acquire() (of any Database). It would hold one connection while
// waiting for another, and once the pool is full of such holders they wait for ever.
// Work that needs both is done one after the other (see InvitationService::lookup).
// (Connections of two different Databases are separate pools and may be nested.)
// A thread that breaks the rule gets std::logic_error when PARLEY_STRICT_LEASES is set
// (the tests set it) and one error in the log otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/handoff_thread.h"
#include "common/unavailable.h"
#include "storage/dialect.h"

namespace parley::storage {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

inline Value null() { return std::monostate{}; }
// "?,?,?": n parameters, for an IN list.
inline std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}
// An empty string is stored as NULL (optional text columns).
inline Value text_or_null(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}
template <class T>
Value opt(const std::optional<T>& v) {
  if (!v) return std::monostate{};
  if constexpr (std::is_same_v<T, bool>) return static_cast<std::int64_t>(*v ? 1 : 0);
  else return Value(*v);
}

// A storage failure the domain may want to explain: a UNIQUE, FOREIGN KEY or CHECK
// constraint refused the write. Other storage errors are std::runtime_error.
class ConstraintViolation : public std::runtime_error {
 public:
  enum class Kind { kUnique, kForeignKey, kCheck, kOther };
  ConstraintViolation(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// The database cannot be reached (the PostgreSQL server is down or restarting, the
// connection was lost): the request may be retried later (HTTP 503: the edge knows it
// as common/unavailable.h's DependencyUnavailable). The connection that saw it is not
// lent again.
class Unavailable : public DependencyUnavailable {
 public:
  using DependencyUnavailable::DependencyUnavailable;
};

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  const Value& at(std::string_view column) const;
  bool is_null(std::string_view column) const;
  std::string text(std::string_view column) const;            // "" when NULL
  // The text moved out of the row (large values read once: no copy); "" when NULL.
  std::string take_text(std::string_view column);
  std::optional<std::string> opt_text(std::string_view column) const;
  std::int64_t integer(std::string_view column) const;        // 0 when NULL
  std::optional<std::int64_t> opt_integer(std::string_view column) const;
  bool boolean(std::string_view column) const { return integer(column) != 0; }
  const std::vector<Value>& values() const { return values_; }
  const std::vector<std::string>& columns() const { return *columns_; }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};
using Rows = std::vector<Row>;

// The cluster-wide lock every write batch takes first (Database::write, Connection::lock).
inline constexpr std::string_view kWriteBatchLock = "parley.write_batch";

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Rows query(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement that returns no rows; returns the number of rows changed.
  virtual std::int64_t execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs a statement whose outcome the caller does not need now (no rows, no count).
  // PostgreSQL holds it and sends it with the next statement that needs an answer, or
  // at flush() (pipeline mode: one round trip for all); SQLite runs it at once. An error
  // it raises is thrown by that next statement, by flush() or by commit(), whichever
  // comes first, so use it only where no error is expected and none is caught (inserts
  // of rows the write just decided on, savepoints). A ROLLBACK discards what is held.
  virtual void execute_later(std::string_view sql, const Params& params = {}) { execute(sql, params); }
  // Sends what execute_later() holds and waits for it; throws its first error.
  virtual void flush() {}
  // Runs an INSERT of one row into a table whose key is `id INTEGER PRIMARY KEY` and
  // returns the new row's id. (Not `RETURNING id`: SQLite buffers RETURNING rows in
  // an ephemeral table, which doubled the cost of inserting a communication. A
  // PostgreSQL backend appends RETURNING id, which costs it nothing.)
  virtual std::int64_t insert(std::string_view sql, const Params& params = {}) = 0;
  // Bulk-load mode for a long, re-runnable import on this connection: a large page
  // cache, and commits that survive the process being killed but are not flushed to
  // disk one by one. Turning it off restores durable commits: the next commit flushes
  // everything before it too. A hint: backends may ignore it.
  virtual void bulk_load(bool on) { (void)on; }
  // Several statements separated by ';', no parameters (migrations), in SQLite's
  // dialect: other backends translate it (storage/dialect.h).
  virtual void execute_script(std::string_view sql) = 0;
  // Inside a write transaction: waits until no other transaction anywhere on the
  // database (other connections, other Parley instances) holds the lock `name`, then
  // holds it until this transaction ends. For read-then-write paths that must be
  // serialised across instances (the journal's order, sequence numbers). SQLite: a
  // write transaction (BEGIN IMMEDIATE) already excludes every other writer, so nothing
  // to do; PostgreSQL: pg_advisory_xact_lock.
  // Database::write's batches take kWriteBatchLock before anything else, so the
  // locks a write takes inside a batch never deadlock across instances; a name still
  // says which read-then-write path a write serialises (and keeps it correct if writes
  // ever stop being batched). On PostgreSQL a transaction that holds kWriteBatchLock
  // takes no other name (it already excludes every other batch, and so every other
  // holder): a lock taken in a transaction of its own, outside Database::write, must
  // therefore not count on excluding a batch by any name but kWriteBatchLock.
  virtual void lock(std::string_view name) { (void)name; }
  // Which SQL the connection speaks, for the rare statement that cannot be written once
  // for both (say why where it is used).
  virtual Dialect dialect() const { return Dialect::kSqlite; }
  // True when the connection can no longer be used (its server went away): the pool
  // discards it instead of lending it again.
  virtual bool broken() const { return false; }
  // `write` takes the write lock up front (SQLite: BEGIN IMMEDIATE).
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

class Database;

// A connection borrowed from the pool; returned when the lease ends.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> c);
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Connection& operator*() { return *c_; }
  Connection* operator->() { return c_.get(); }

 private:
  Database* db_;
  std::unique_ptr<Connection> c_;
};

// Rolls back unless commit() was called. Nested use is not supported.
class Transaction {
 public:
  Transaction(Connection& c, bool write) : c_(c) { c_.begin(write); }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& c_;
  bool done_ = false;
};

class Database {
 public:
  explicit Database(std::size_t max_connections);
  virtual ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual std::string backend() const = 0;   // "sqlite", "postgresql"
  virtual std::string location() const = 0;  // path or URL without credentials

  Lease acquire();

  // A number that changes whenever the content may have changed: at once after every
  // write committed through this Database, and — checked at most every 250 ms with the
  // change probe — after writes by other processes (e.g. the CLI). Caches of derived
  // data key on it (common/versioned_cache.h). Read it *before* reading the data.
  std::int64_t generation();
  // `probe` returns a value that changes with every committed write (the journal head).
  void set_change_probe(std::function<std::int64_t(Connection&)> probe);
  // How often generation() may run the probe: 250 ms by default (the CLI's writes); 0
  // when other instances write to the same database (storage/cluster_events.h), so that
  // a cached read never misses a write another instance has acknowledged.
  void set_probe_interval(std::chrono::milliseconds interval) { probe_interval_ns_.store(interval.count() * 1'000'000); }
  // Moves the generation: something changed that this process did not write (an event
  // from another instance).
  void invalidate() { generation_.fetch_add(1); }

  // Runs `f(Connection&)` in a write transaction: its changes are committed (durably)
  // when write() returns, and none of them is when `f` throws (the exception reaches
  // the caller). Group commit: writes that arrive while one is committing run together
  // in the next transaction, each inside its own SAVEPOINT, so they share one fsync; a
  // write that throws rolls back to its savepoint without affecting the others. `f`
  // runs on the database's writer thread (one per Database, started with it, so that
  // it has the priority of the thread that opens the database, not of a request
  // handler's) while the caller waits; it must not call write() itself.
  template <class F>
  auto write(F&& f) {
    using R = decltype(f(std::declval<Connection&>()));
    if constexpr (std::is_void_v<R>) {
      run_write([&](Connection& c) { f(c); });
    } else {
      std::optional<R> result;
      run_write([&](Connection& c) { result.emplace(f(c)); });
      return std::move(*result);
    }
  }
  // Runs `f(Connection&)` on the writer thread's connection outside any transaction,
  // for settings of that connection (Connection::bulk_load). Exceptions reach the caller.
  void configure_writer(const std::function<void(Connection&)>& f);
  // Runs `f(Connection&)` in a read transaction (a consistent snapshot).
  template <class F>
  auto read(F&& f) {
    auto lease = acquire();
    Transaction tx(*lease, false);
    if constexpr (std::is_void_v<decltype(f(*lease))>) {
      f(*lease);
      tx.commit();
    } else {
      auto result = f(*lease);
      tx.commit();
      return result;
    }
  }

 protected:
  virtual std::unique_ptr<Connection> open_connection() = 0;

 private:
  friend class Lease;
  void release(std::unique_ptr<Connection> c);
  // A write handed to the writer thread.
  struct WriteJob {
    const std::function<void(Connection&)>* fn;
    std::exception_ptr error;
    bool outside_transaction = false;
    std::int64_t appended = -1;   // the last ledger index the job appended (common/ledger_capture.h)
  };
  void run_write(const std::function<void(Connection&)>& fn);
  void run_batch(const std::vector<WriteJob*>& batch);
  std::unique_ptr<Connection> writer_;   // the writer thread's own connection, opened by it

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  std::size_t max_;

  std::atomic<std::int64_t> generation_{1};
  std::atomic<std::int64_t> last_probe_ns_{0};
  std::atomic<std::int64_t> probed_{-1};
  std::atomic<std::int64_t> probe_interval_ns_{250'000'000};
  std::function<std::int64_t(Connection&)> probe_;   // set before serving, then read-only
  HandoffThread<WriteJob> writer_thread_;   // last member: started once everything above exists
};

}  // namespace parley::storage
