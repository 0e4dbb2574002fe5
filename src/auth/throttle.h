// Throttle: slows down password guessing. Failed sign-ins are counted per key (a
// username at an address, an address); past a threshold the key is locked for a
// period that doubles with each further failure (`free_failures` failures lock the
// key), up to a ceiling.
//
// An attempt is reserved with begin() before the password is checked and ended with
// failure(), success() or end(): attempts in flight count against the threshold, so
// forty guesses sent at once get no more evaluations than forty sent one by one.
// Counts live in memory and reset on restart (docs/security.md). Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace parley::auth {

class Throttle {
 public:
  using Clock = std::chrono::steady_clock;
  Throttle(int free_failures, std::chrono::seconds first_lock, std::chrono::seconds max_lock)
      : free_(free_failures), first_(first_lock), max_(max_lock) {}

  // Seconds until the key may try again; 0 when it may try now.
  int locked_for(const std::string& key, Clock::time_point now = Clock::now());
  // Reserves one attempt: 0 when it may go ahead (it is then in flight until
  // failure(), success() or end()), else the seconds to wait (nothing is reserved).
  int begin(const std::string& key, Clock::time_point now = Clock::now());
  // Ends an attempt as a failure (or counts one that was not begun).
  void failure(const std::string& key, Clock::time_point now = Clock::now());
  // Ends an attempt as a success: the key's failures are forgotten.
  void success(const std::string& key);
  // Ends an attempt that was neither (the request failed for another reason).
  void end(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    Clock::time_point locked_until{};
    Clock::time_point last{};
  };
  int locked_for_locked(const Entry& e, Clock::time_point now) const;
  int free_;
  std::chrono::seconds first_;
  std::chrono::seconds max_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace parley::auth
