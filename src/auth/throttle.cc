#include "auth/throttle.h"

#include <algorithm>

namespace parley::auth {

int Throttle::locked_for_locked(const Entry& e, Clock::time_point now) const {
  if (e.locked_until > now)
    return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(e.locked_until - now).count());
  // No lock yet, but the attempts in flight use up what is left before one.
  if (e.failures + e.in_flight >= free_) return 1;
  return 0;
}

int Throttle::locked_for(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : locked_for_locked(it->second, now);
}

int Throttle::begin(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto& e = entries_[key];
  if (now - e.last > std::chrono::hours(1) && e.locked_until <= now && e.in_flight == 0) e.failures = 0;
  if (const int s = locked_for_locked(e, now); s > 0) return s;
  ++e.in_flight;
  e.last = now;
  return 0;
}

void Throttle::failure(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  // Forget keys idle for a day so the map does not grow without bound.
  if (entries_.size() > 10000)
    std::erase_if(entries_, [&](const auto& kv) {
      return kv.second.in_flight == 0 && now - kv.second.last > std::chrono::hours(24);
    });
  auto& e = entries_[key];
  if (e.in_flight > 0) --e.in_flight;
  else if (now - e.last > std::chrono::hours(1) && e.locked_until <= now) e.failures = 0;
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
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (it->second.in_flight > 1) {   // others still in flight keep their reservation
    --it->second.in_flight;
    it->second.failures = 0;
    it->second.locked_until = {};
    return;
  }
  entries_.erase(it);
}

void Throttle::end(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.in_flight > 0) --it->second.in_flight;
}

}  // namespace parley::auth
