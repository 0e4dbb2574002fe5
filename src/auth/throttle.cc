#include "auth/throttle.h"

#include <algorithm>

namespace parley::auth {

int Throttle::locked_for(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now).count());
}

void Throttle::failure(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  // Forget keys idle for a day so the map does not grow without bound.
  if (entries_.size() > 10000)
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.last > std::chrono::hours(24); });
  auto& e = entries_[key];
  if (now - e.last > std::chrono::hours(1) && e.locked_until <= now) e.failures = 0;
  e.last = now;
  ++e.failures;
  if (e.failures >= free_) {
    const int doublings = std::min(e.failures - free_, 20);
    auto lock_time = first_ * (1LL << doublings);
    if (lock_time > max_) lock_time = max_;
    e.locked_until = now + lock_time;
  }
}

void Throttle::success(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

}  // namespace parley::auth
