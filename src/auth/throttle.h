// Throttle: slows down password guessing. Failed sign-ins are counted per key (a
// username at an address, an address); past a threshold the key is locked for a
// period that doubles with each further failure (`free_failures` failures lock the
// key), up to a ceiling.
//
// An attempt is reserved with begin() before the password is checked and ended with
// failure(), success() or end(): attempts in flight count against the threshold, so
// forty guesses sent at once get no more evaluations than forty sent one by one.
//
// Counts live in memory (a Throttle alone: unit tests, one process), or — once
// share(db, scope) is called, as the server's AuthService and InvitationService do — in
// the table `auth_throttle`, shared by every instance on the database: each operation
// is one write transaction that reads, changes and writes the key's row under
// Connection::lock("auth.throttle"), so guesses spread over several instances are
// counted as if sent to one. Times are wall-clock milliseconds (instances compare
// them). A reservation whose instance died is forgotten a minute after it was made.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace parley::storage {
class Database;
}

namespace parley::auth {

class Throttle {
 public:
  using Clock = std::chrono::system_clock;
  Throttle(int free_failures, std::chrono::seconds first_lock, std::chrono::seconds max_lock)
      : free_(free_failures), first_(first_lock), max_(max_lock) {}

  // From now on, counts are kept in `db` (auth_throttle), keys prefixed with `scope`.
  void share(storage::Database& db, std::string scope);

  // Seconds until the key may try again; 0 when it may try now.
  int locked_for(const std::string& key, Clock::time_point now = Clock::now());
  // Reserves one attempt: 0 when it may go ahead (it is then in flight until
  // failure(), success() or end()), else the seconds to wait (nothing is reserved).
  int begin(const std::string& key, Clock::time_point now = Clock::now());
  // Ends an attempt as a failure (or counts one that was not begun).
  void failure(const std::string& key, Clock::time_point now = Clock::now());
  // Ends an attempt as a success: the key's failures are forgotten.
  void success(const std::string& key, Clock::time_point now = Clock::now());
  // Ends an attempt that was neither (the request failed for another reason).
  void end(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    std::int64_t locked_until = 0;   // ms since the epoch
    std::int64_t last = 0;           // ms since the epoch
    bool erase = false;              // set by an operation: forget the key
  };
  // Runs `op` on the key's entry (memory, or its row in one write transaction) and
  // stores the result; returns what `op` returns.
  int with_entry(const std::string& key, std::int64_t now, const std::function<int(Entry&)>& op);
  int locked_for_entry(const Entry& e, std::int64_t now) const;
  int free_;
  std::chrono::seconds first_;
  std::chrono::seconds max_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
  storage::Database* db_ = nullptr;
  std::string scope_;
};

}  // namespace parley::auth
