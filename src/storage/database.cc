#include "storage/database.h"

#include "common/ledger_capture.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>

#include <spdlog/spdlog.h>

namespace parley::storage {

const Value& Row::at(std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i)
    if ((*columns_)[i] == column) return values_[i];
  throw std::logic_error("no column " + std::string(column) + " in result");
}

bool Row::is_null(std::string_view column) const {
  return std::holds_alternative<std::monostate>(at(column));
}

std::string Row::text(std::string_view column) const {
  const auto& v = at(column);
  if (const auto* str = std::get_if<std::string>(&v)) return *str;   // one copy, not two
  return opt_text(column).value_or("");
}

std::string Row::take_text(std::string_view column) {
  for (std::size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] != column) continue;
    if (auto* str = std::get_if<std::string>(&values_[i])) return std::move(*str);
    return text(column);
  }
  throw std::logic_error("no column " + std::string(column) + " in result");
}

std::optional<std::string> Row::opt_text(std::string_view column) const {
  const auto& v = at(column);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return std::nullopt;
}

std::int64_t Row::integer(std::string_view column) const { return opt_integer(column).value_or(0); }

std::optional<std::int64_t> Row::opt_integer(std::string_view column) const {
  const auto& v = at(column);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return std::nullopt;
}

namespace {

// The databases whose connections this thread holds (one entry per Lease), and the
// database whose writer thread this is: see "One connection at a time" in database.h.
thread_local std::vector<const Database*> t_held;
thread_local const Database* t_writer_of = nullptr;

bool strict_leases() {
  static const bool strict = [] {
    const char* v = std::getenv("PARLEY_STRICT_LEASES");
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
  }();
  return strict;
}

// Whether this thread may wait for one more connection of `db`: not while it holds one
// of db's pooled connections, nor from db's writer thread.
void check_one_connection(const Database* db, const char* what) {
  const bool writer = t_writer_of == db;
  if (!writer && std::find(t_held.begin(), t_held.end(), db) == t_held.end()) return;
  const std::string message = std::string("storage: ") + what + " of a database whose connection this thread holds (" +
                              (writer ? "its writer thread" : "a read") + "): a full pool would wait for ever";
  // Refused in the tests; reported once otherwise (it works until the pool is full).
  if (strict_leases()) throw std::logic_error(message);
  static std::atomic<bool> told{false};
  if (!told.exchange(true)) spdlog::error("{}", message);
}

}  // namespace

Lease::Lease(Database* db, std::unique_ptr<Connection> c) : db_(db), c_(std::move(c)) { t_held.push_back(db_); }

Lease::Lease(Lease&& other) noexcept : db_(other.db_), c_(std::move(other.c_)) { t_held.push_back(db_); }

Lease::~Lease() {
  if (auto it = std::find(t_held.begin(), t_held.end(), db_); it != t_held.end()) t_held.erase(it);
  if (c_) db_->release(std::move(c_));
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      c_.rollback();
    } catch (...) {
      // The connection is unusable; nothing better to do in a destructor.
    }
  }
}

void Transaction::commit() {
  c_.commit();
  done_ = true;
}

Lease Database::acquire() {
  check_one_connection(this, "a read");
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    if (open_ < max_) {
      ++open_;
      lock.unlock();
      try {
        return Lease(this, open_connection());
      } catch (...) {
        std::lock_guard again(mu_);
        --open_;
        throw;
      }
    }
    cv_.wait(lock);
  }
}

// Writes run on a thread of their own: one batch after the other, each holding what
// queued up while the previous one committed (at most 256 writes). One thread owns the
// write path, so its connection's page cache stays warm, and it keeps the priority of
// the thread that opened the database while request handlers run below it
// (http::Server): on a loaded machine the commit path, which everything waits for, is
// not preempted by requests still being parsed.
Database::Database(std::size_t max_connections)
    : max_(max_connections), writer_thread_(256, [this](const std::vector<WriteJob*>& batch) { run_batch(batch); }) {}

Database::~Database() = default;

void Database::run_write(const std::function<void(Connection&)>& fn) {
  check_one_connection(this, "a write");
  WriteJob job{&fn, nullptr};
  writer_thread_.run(job);
  if (job.error) std::rethrow_exception(job.error);
  ledger_capture::note(job.appended);   // committed: the caller may say where it was recorded
}

void Database::configure_writer(const std::function<void(Connection&)>& fn) {
  check_one_connection(this, "a writer setting");
  WriteJob job{&fn, nullptr, true};
  writer_thread_.run(job);
  if (job.error) std::rethrow_exception(job.error);
}

void Database::run_batch(const std::vector<WriteJob*>& batch) {
  t_writer_of = this;   // this thread runs this database's write jobs only
  try {
    // The writer's own connection: nothing else writes through this Database, so its
    // page cache survives from batch to batch (a pooled connection's is dropped
    // whenever another wrote).
    if (writer_ && writer_->broken()) writer_.reset();   // its server went away: a new one
    if (!writer_) writer_ = open_connection();
    Connection& c = *writer_;
    // Connection settings first, outside the transaction (their callers wait for them,
    // so nothing of theirs is in this batch's writes).
    bool writes = false;
    for (auto* j : batch) {
      if (!j->outside_transaction) {
        writes = true;
        continue;
      }
      try {
        (*j->fn)(c);
      } catch (...) {
        j->error = std::current_exception();
      }
    }
    if (!writes) return;
    Transaction tx(c, true);
    // One batch at a time across every instance on the database. A batch runs many
    // writes, each taking its own locks (lock(name), row locks of conditional updates)
    // in whatever order its jobs come; two instances' batches taking the same locks in
    // different orders would deadlock on PostgreSQL. Taking this lock first, always,
    // orders them (SQLite's BEGIN IMMEDIATE already does; lock() is a no-op there).
    c.lock(kWriteBatchLock);
    // Each write in a savepoint of its own, so that one that fails takes nothing of the
    // others with it; a write alone in its batch needs none (the transaction is its
    // savepoint). That is not only two statements less: on SQLite every statement ends
    // by walking the savepoint's in-memory journal from its start, so a large write (a
    // 50,000-object STIX batch, some 1,700 statements) inside a savepoint took time
    // quadratic in its size.
    std::size_t writes_in_batch = 0;
    for (auto* j : batch) writes_in_batch += j->outside_transaction ? 0 : 1;
    const bool alone = writes_in_batch == 1;
    bool any = false;
    std::size_t n = 0;
    for (auto* j : batch) {
      if (j->outside_transaction) continue;
      // Savepoints are held (Connection::execute_later): on PostgreSQL they travel with
      // the write's first statement and the next write's, not in round trips of their own.
      // Each write's savepoint has a name of its own: should a held RELEASE fail (a
      // cancelled statement), the next write's ROLLBACK TO its own savepoint — skipped
      // with the RELEASE — fails too, and so does the whole batch, rather than rolling
      // back to the earlier write's savepoint and undoing a write counted as done.
      const std::string savepoint = "write_job_" + std::to_string(++n);
      if (!alone) c.execute_later("SAVEPOINT " + savepoint);
      ledger_capture::reset();
      try {
        (*j->fn)(c);
        c.flush();   // an error of a statement the write held is the write's
        if (!alone) c.execute_later("RELEASE " + savepoint);
        j->appended = ledger_capture::last_index;
        any = true;
      } catch (...) {
        j->error = std::current_exception();
        if (!alone) {
          c.execute("ROLLBACK TO " + savepoint);
          c.execute("RELEASE " + savepoint);
        }
      }
    }
    if (any) {
      tx.commit();
      generation_.fetch_add(1);   // a committed write moves the generation
    }
  } catch (...) {
    // BEGIN, a savepoint or COMMIT failed: nothing of this batch is committed.
    const auto error = std::current_exception();
    for (auto* j : batch)
      if (!j->error) j->error = error;
  }
}

void Database::set_change_probe(std::function<std::int64_t(Connection&)> probe) { probe_ = std::move(probe); }

std::int64_t Database::generation() {
  if (probe_) {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::int64_t last = last_probe_ns_.load();
    const auto interval = probe_interval_ns_.load();
    // Interval 0 (a cluster): every call probes, so that no call can return before a
    // probe that started after the caller's own request began.
    if (interval == 0 || (now - last > interval && last_probe_ns_.compare_exchange_strong(last, now))) {
      auto lease = acquire();
      const auto value = probe_(*lease);
      if (probed_.exchange(value) != value) generation_.fetch_add(1);
    }
  }
  return generation_.load();
}

void Database::release(std::unique_ptr<Connection> c) {
  bool dropped = false;
  // Statements a borrower held (Connection::execute_later) without a flush, a commit or
  // a rollback after them — outside a transaction, say — are sent before anyone else
  // borrows the connection; one whose held statements fail is not lent again.
  bool failed = false;
  try {
    c->flush();
  } catch (const std::exception& e) {
    // A bug in the borrower (nothing may hold a statement whose error it would not see):
    // said in the log, since no caller is left to tell.
    spdlog::error("statements held on a connection failed when it was returned to the pool: {}", e.what());
    failed = true;
  } catch (...) {
    spdlog::error("statements held on a connection failed when it was returned to the pool");
    failed = true;
  }
  {
    std::lock_guard lock(mu_);
    if (failed && !c->broken()) {
      open_ -= 1;
      dropped = true;
    } else if (c->broken()) {
      // Its server went away: so did every idle connection's (a restarted server
      // closed them all). Discarded together, so that the next requests open new ones
      // instead of each failing once on a dead one.
      open_ -= 1 + idle_.size();
      idle_.clear();
      dropped = true;
    } else {
      idle_.push_back(std::move(c));
    }
  }
  if (dropped) cv_.notify_all();
  else cv_.notify_one();
}

}  // namespace parley::storage
