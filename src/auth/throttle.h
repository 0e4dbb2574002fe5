// Throttle: slows down password guessing. Failed sign-ins are counted per key (a
// username, a remote address); past a threshold the key is locked for a period that
// doubles with each further failure (`free_failures` failures lock the key), up to a ceiling. Counts live in memory and reset
// on restart (documented in docs/architecture.md). Thread-safe.
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
  void failure(const std::string& key, Clock::time_point now = Clock::now());
  void success(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point locked_until{};
    Clock::time_point last{};
  };
  int free_;
  std::chrono::seconds first_;
  std::chrono::seconds max_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace parley::auth
