#include "auth/throttle.h"

#include <algorithm>

#include "storage/database.h"

namespace parley::auth {

namespace {
constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kStaleFlightMs = 60'000;   // an attempt takes seconds, never a minute
std::int64_t ms(Throttle::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
}  // namespace

void Throttle::share(storage::Database& db, std::string scope) {
  std::lock_guard lock(mu_);
  db_ = &db;
  scope_ = std::move(scope);
}

int Throttle::with_entry(const std::string& key, std::int64_t now, const std::function<int(Entry&)>& op) {
  if (!db_) {
    std::lock_guard lock(mu_);
    // Forget keys idle for a day so the map does not grow without bound.
    if (entries_.size() > 10000)
      std::erase_if(entries_, [&](const auto& kv) { return kv.second.in_flight == 0 && now - kv.second.last > kDayMs; });
    auto& e = entries_[key];
    const int r = op(e);
    if (e.erase) entries_.erase(key);
    return r;
  }
  const std::string k = scope_ + ":" + key;
  return db_->write([&](storage::Connection& c) {
    // Read, change, write: serialised across instances until this transaction commits.
    c.lock("auth.throttle");
    Entry e;
    auto rows = c.query("SELECT failures, in_flight, locked_until, last_at FROM auth_throttle WHERE key = ?", {k});
    const bool existed = !rows.empty();
    if (existed) {
      e.failures = static_cast<int>(rows[0].integer("failures"));
      e.in_flight = static_cast<int>(rows[0].integer("in_flight"));
      e.locked_until = rows[0].integer("locked_until");
      e.last = rows[0].integer("last_at");
      if (now - e.last > kStaleFlightMs) e.in_flight = 0;   // reserved by an instance that died
    }
    const int r = op(e);
    if (e.erase) {
      if (existed) c.execute("DELETE FROM auth_throttle WHERE key = ?", {k});
    } else {
      c.execute("INSERT INTO auth_throttle (key, failures, in_flight, locked_until, last_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, in_flight = excluded.in_flight, "
                "locked_until = excluded.locked_until, last_at = excluded.last_at",
                {k, static_cast<std::int64_t>(e.failures), static_cast<std::int64_t>(e.in_flight), e.locked_until,
                 e.last});
      // Keys idle for a day are forgotten (now and then: the statement scans).
      if (e.failures == 1 && e.in_flight == 0)
        c.execute("DELETE FROM auth_throttle WHERE last_at < ? AND in_flight = 0", {now - kDayMs});
    }
    return r;
  });
}

int Throttle::locked_for_entry(const Entry& e, std::int64_t now) const {
  if (e.locked_until > now) return static_cast<int>((e.locked_until - now + 999) / 1000);
  // No lock yet, but the attempts in flight use up what is left before one.
  if (e.failures + e.in_flight >= free_) return 1;
  return 0;
}

int Throttle::locked_for(const std::string& key, Clock::time_point now) {
  const auto t = ms(now);
  if (!db_) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    return it == entries_.end() ? 0 : locked_for_entry(it->second, t);
  }
  return with_entry(key, t, [&](Entry& e) {
    if (e.failures == 0 && e.in_flight == 0 && e.last == 0) e.erase = true;   // nothing stored: store nothing
    return locked_for_entry(e, t);
  });
}

int Throttle::begin(const std::string& key, Clock::time_point now) {
  const auto t = ms(now);
  return with_entry(key, t, [&](Entry& e) {
    if (t - e.last > kHourMs && e.locked_until <= t && e.in_flight == 0) e.failures = 0;
    if (const int s = locked_for_entry(e, t); s > 0) return s;
    ++e.in_flight;
    e.last = t;
    return 0;
  });
}

void Throttle::failure(const std::string& key, Clock::time_point now) {
  const auto t = ms(now);
  with_entry(key, t, [&](Entry& e) {
    if (e.in_flight > 0) --e.in_flight;
    else if (t - e.last > kHourMs && e.locked_until <= t) e.failures = 0;
    e.last = t;
    ++e.failures;
    if (e.failures >= free_) {
      const int doublings = std::min(e.failures - free_, 20);
      auto lock_time = first_ * (1LL << doublings);
      if (lock_time > max_) lock_time = max_;
      e.locked_until = t + std::chrono::duration_cast<std::chrono::milliseconds>(lock_time).count();
    }
    return 0;
  });
}

void Throttle::success(const std::string& key, Clock::time_point now) {
  with_entry(key, ms(now), [&](Entry& e) {
    if (e.in_flight > 1) {   // others still in flight keep their reservation
      --e.in_flight;
      e.failures = 0;
      e.locked_until = 0;
      return 0;
    }
    e.erase = true;
    return 0;
  });
}

void Throttle::end(const std::string& key, Clock::time_point now) {
  with_entry(key, ms(now), [&](Entry& e) {
    if (e.in_flight > 0) --e.in_flight;
    if (e.failures == 0 && e.in_flight == 0 && e.locked_until == 0) e.erase = true;
    return 0;
  });
}

}  // namespace parley::auth
