// Several Parley instances on one database: who this instance is, and leases — the
// rows (`cluster_leases(name, holder, expires_at)`) that let exactly one instance of
// the cluster run a piece of scheduled work (the ledger's checkpoint signer, the
// witness client, the hotline's escalations and scheduled checks, reconfirmation
// reminders).
//
// A lease is taken and renewed by conditional statements only (portable SQL, no row
// locks): an UPDATE that succeeds when the row is ours or has expired, else an INSERT
// … ON CONFLICT DO NOTHING for a name nobody has held yet. Exactly one of two
// instances racing for the same expired lease changes the row (SQLite: write
// transactions exclude each other; PostgreSQL: the second UPDATE waits for the first's
// row lock and re-checks its WHERE against the committed row, in READ COMMITTED).
//
// LeaseKeeper renews its leases every `period` for `ttl` (wall-clock milliseconds in the
// table, so that instances on other machines compare the same clock; keep the machines'
// clocks in sync). holds(name) is checked by the work before each pass and answers
// from memory: true until `ttl - period` after the start of the last successful
// renewal, so a holder that can no longer renew (lost to another, database down) stops
// within one period and before its lease expires in the table; a dead holder's lease is
// taken over once it has expired (at most ttl + period after its death). stop()
// releases the leases, so a cleanly stopped instance is replaced within one period.
//
// Thread-safe: holds() may be called from any thread; start()/stop() from the owner.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/background_loop.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace parley::storage {

// This process's name in the cluster: "hostname:pid:random" (claims, leases, logs).
const std::string& instance_id();

// Migrations 700-719: cluster_leases (700), cluster_instances and cluster_events (701).
std::vector<Migration> cluster_migrations();

namespace lease {
// Takes or renews `name` for `holder` until now_ms + ttl_ms. True when `holder` holds it.
bool acquire(Connection& c, std::string_view name, std::string_view holder, std::int64_t now_ms, std::int64_t ttl_ms);
// Gives `name` up if `holder` holds it.
void release(Connection& c, std::string_view name, std::string_view holder);
// The current holder, if the lease is held (not expired) at now_ms.
std::string holder(Connection& c, std::string_view name, std::int64_t now_ms);
}  // namespace lease

// Wall-clock milliseconds (leases compare instances' clocks, never a testing clock).
std::int64_t wall_ms();

class LeaseKeeper {
 public:
  LeaseKeeper(Database& db, std::vector<std::string> names, std::string holder = instance_id(),
              std::chrono::milliseconds ttl = std::chrono::seconds(5),
              std::chrono::milliseconds period = std::chrono::seconds(1));
  ~LeaseKeeper() { stop(); }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Takes what it can at once (so that the first pass of the work after start() sees
  // it), then renews on a thread of its own.
  void start();
  void stop();
  // One renewal pass on the caller's thread (start() and the loop use it; tests too).
  void renew();
  bool holds(std::string_view name) const;
  const std::string& holder() const { return holder_; }

 private:
  using Steady = std::chrono::steady_clock;
  Database& db_;
  std::vector<std::string> names_;
  std::string holder_;
  std::chrono::milliseconds ttl_, period_;
  mutable std::mutex mu_;
  std::map<std::string, Steady::time_point, std::less<>> valid_until_;
  std::map<std::string, bool, std::less<>> logged_;   // last logged state per lease
  BackgroundLoop loop_;
};

}  // namespace parley::storage
