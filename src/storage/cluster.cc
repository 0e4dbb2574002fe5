#include "storage/cluster.h"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <climits>

#include "common/log_line.h"
#include "crypto/random.h"

namespace parley::storage {

const std::string& instance_id() {
  static const std::string id = [] {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host).append(":").append(std::to_string(::getpid())).append(":").append(
        crypto::random_token(6));
  }();
  return id;
}

std::vector<Migration> cluster_migrations() {
  return {
      {700, "cluster: leases", R"sql(
CREATE TABLE cluster_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
)sql"},
      {701, "cluster: instances and the shared event log", R"sql(
CREATE TABLE cluster_instances (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL
);
CREATE TABLE cluster_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  origin TEXT NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX cluster_events_at ON cluster_events(at);
)sql"},
  };
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace lease {

bool acquire(Connection& c, std::string_view name, std::string_view holder, std::int64_t now_ms, std::int64_t ttl_ms) {
  // Ours, or expired: renew or take over. The WHERE is the claim: of two instances
  // taking the same expired lease, the second finds it no longer expired.
  if (c.execute("UPDATE cluster_leases SET holder = ?, expires_at = ? WHERE name = ? AND (holder = ? OR expires_at < ?)",
                {std::string(holder), now_ms + ttl_ms, std::string(name), std::string(holder), now_ms}) == 1)
    return true;
  // Never held: the primary key lets one insert win.
  return c.execute("INSERT INTO cluster_leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                   {std::string(name), std::string(holder), now_ms + ttl_ms}) == 1;
}

void release(Connection& c, std::string_view name, std::string_view holder) {
  c.execute("DELETE FROM cluster_leases WHERE name = ? AND holder = ?", {std::string(name), std::string(holder)});
}

std::string holder(Connection& c, std::string_view name, std::int64_t now_ms) {
  auto rows = c.query("SELECT holder FROM cluster_leases WHERE name = ? AND expires_at >= ?", {std::string(name), now_ms});
  return rows.empty() ? std::string() : rows[0].text("holder");
}

}  // namespace lease

LeaseKeeper::LeaseKeeper(Database& db, std::vector<std::string> names, std::string holder, std::chrono::milliseconds ttl,
                         std::chrono::milliseconds period)
    : db_(db), names_(std::move(names)), holder_(std::move(holder)), ttl_(ttl), period_(period) {}

void LeaseKeeper::renew() {
  for (const auto& name : names_) {
    const auto started = Steady::now();
    bool held = false;
    try {
      held = db_.write([&](Connection& c) { return lease::acquire(c, name, holder_, wall_ms(), ttl_.count()); });
    } catch (const std::exception& e) {
      // The database is unreachable: keep what we had until it runs out (below).
      spdlog::error("{}", log_line({{"event", "lease_error"}, {"lease", name}, {"instance", holder_}, {"error", e.what()}}));
      continue;
    }
    std::lock_guard lock(mu_);
    // Valid one period short of the table's expiry: the work stops before another
    // instance may take the lease over.
    valid_until_[name] = held ? started + ttl_ - period_ : Steady::time_point{};
    auto [it, first] = logged_.try_emplace(name, held);
    if ((first && held) || (!first && it->second != held)) {
      it->second = held;
      spdlog::info("{}", log_line({{"event", held ? "lease_taken" : "lease_lost"}, {"lease", name},
                                   {"instance", holder_}}));
    }
  }
}

bool LeaseKeeper::holds(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = valid_until_.find(name);
  return it != valid_until_.end() && Steady::now() < it->second;
}

void LeaseKeeper::start() {
  renew();
  loop_.start(period_, [this](const std::function<bool()>&) { renew(); });
}

void LeaseKeeper::stop() {
  loop_.stop();
  bool any = false;
  {
    std::lock_guard lock(mu_);
    for (auto& [name, until] : valid_until_)
      if (until != Steady::time_point{}) any = true;
    valid_until_.clear();
  }
  if (!any) return;
  try {
    db_.write([&](Connection& c) {
      for (const auto& name : names_) lease::release(c, name, holder_);
    });
  } catch (const std::exception&) {
    // The leases expire by themselves.
  }
}

}  // namespace parley::storage
