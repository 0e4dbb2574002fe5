#include "storage/cluster_events.h"

#include <spdlog/spdlog.h>

#include "common/log_line.h"
#include "storage/cluster.h"

namespace parley::storage {

namespace {
constexpr std::int64_t kAliveMs = 5'000;        // a heartbeat older than this: gone
constexpr std::int64_t kKeepEventsMs = 600'000;  // the log keeps ten minutes
}  // namespace

ClusterEvents::ClusterEvents(Database& db, EventSink& local, std::string instance)
    : db_(db), local_(local), instance_(std::move(instance)) {}

std::string ClusterEvents::encode(const Event& e) {
  nlohmann::json j = {{"type", e.type}, {"data", e.data}};
  if (!e.audience_kind.empty()) j["audience"] = {{"kind", e.audience_kind}, {"args", e.audience_args}};
  if (!e.delivery_kind.empty()) j["delivery"] = {{"kind", e.delivery_kind}, {"args", e.delivery_args}};
  return j.dump();
}

Event ClusterEvents::decode(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  Event e;
  e.type = j.at("type").get<std::string>();
  e.data = j.at("data");
  if (j.contains("audience")) {
    e.audience_kind = j["audience"].at("kind").get<std::string>();
    e.audience_args = j["audience"].at("args");
  }
  if (j.contains("delivery")) {
    e.delivery_kind = j["delivery"].at("kind").get<std::string>();
    e.delivery_args = j["delivery"].at("args");
  }
  return e;
}

void ClusterEvents::publish(const Event& event) {
  local_.publish(event);
  // Only an audience expressed as data may travel: another instance cannot run a closure.
  if (event.audience && event.audience_kind.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    queue_.push_back(encode(event));
  }
  writer_.wake();
}

void ClusterEvents::flush() {
  std::lock_guard flushing(flush_mu_);
  std::deque<std::string> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(queue_);
  }
  if (batch.empty()) return;
  try {
    db_.write([&](Connection& c) {
      // Ids in commit order (see the header): nobody inserts between our key and our commit.
      c.lock("cluster_events");
      const auto now = wall_ms();
      for (const auto& text : batch)
        c.execute("INSERT INTO cluster_events (at, origin, event) VALUES (?, ?, ?)", {now, instance_, text});
      // PostgreSQL tells the listening instances at commit (storage/postgres/listener.h).
      if (c.dialect() == Dialect::kPostgreSQL) c.query("SELECT pg_notify(?, '')", {std::string(kChannel)});
    });
  } catch (const std::exception& e) {
    spdlog::error("{}", log_line({{"event", "cluster_events_error"}, {"error", e.what()}, {"lost", batch.size()}}));
  }
}

int ClusterEvents::tail_once() {
  struct Row_ {
    std::int64_t id;
    std::string origin, text;
  };
  std::lock_guard tailing(tail_mu_);
  const auto rows = db_.read([&](Connection& c) {
    std::vector<Row_> out;
    for (const auto& r : c.query("SELECT id, origin, event FROM cluster_events WHERE id > ? ORDER BY id LIMIT 1000",
                                 {last_}))
      out.push_back({r.integer("id"), r.text("origin"), r.text("event")});
    return out;
  });
  int n = 0;
  for (const auto& r : rows) {
    last_ = r.id;
    if (r.origin == instance_) continue;
    ++n;
    try {
      auto e = decode(r.text);
      if (!EventKinds::rebuild_audience(e)) {
        spdlog::warn("{}", log_line({{"event", "cluster_event_unknown_audience"}, {"kind", e.audience_kind}}));
        continue;
      }
      std::vector<Subscriber> reached;
      std::mutex reached_mu;
      EventKinds::DeliveryHandler handler;
      if (!e.delivery_kind.empty()) handler = EventKinds::delivery(e.delivery_kind);
      if (handler)
        e.on_sent = [&](const Subscriber& s) {
          std::lock_guard lock(reached_mu);
          reached.push_back(s);
        };
      local_.publish(e);
      if (handler) handler(e.delivery_args, reached);
    } catch (const std::exception& ex) {
      spdlog::error("{}", log_line({{"event", "cluster_event_error"}, {"id", r.id}, {"error", ex.what()}}));
    }
  }
  // What another instance published follows a write of its own: caches learn of it now.
  if (n > 0) db_.invalidate();
  return n;
}

void ClusterEvents::heartbeat() {
  const auto now = wall_ms();
  const auto others = db_.write([&](Connection& c) {
    c.execute("INSERT INTO cluster_instances (id, started_at, seen_at) VALUES (?, ?, ?) "
              "ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
              {instance_, now, now});
    c.execute("DELETE FROM cluster_instances WHERE seen_at < ?", {now - 3'600'000});
    c.execute("DELETE FROM cluster_events WHERE at < ?", {now - kKeepEventsMs});
    return c.query("SELECT count(*) AS n FROM cluster_instances WHERE id <> ? AND seen_at >= ?",
                   {instance_, now - kAliveMs})[0]
        .integer("n");
  });
  const int before = peers_.exchange(static_cast<int>(others));
  db_.set_probe_interval(others > 0 ? std::chrono::milliseconds(0) : std::chrono::milliseconds(250));
  if ((before > 0) != (others > 0))
    spdlog::info("{}", log_line({{"event", "cluster_peers"}, {"instance", instance_}, {"peers", others}}));
}

void ClusterEvents::start(std::chrono::milliseconds poll) {
  heartbeat();
  const auto end = db_.read([](Connection& c) {
    auto rows = c.query("SELECT id FROM cluster_events ORDER BY id DESC LIMIT 1");
    return rows.empty() ? std::int64_t{0} : rows[0].integer("id");
  });
  {
    std::lock_guard tailing(tail_mu_);
    last_ = end;
  }
  {
    std::lock_guard lock(mu_);
    started_ = true;
  }
  spdlog::info("{}", log_line({{"event", "cluster_instance"}, {"instance", instance_}, {"peers", peers_.load()}}));
  writer_.start(std::chrono::milliseconds(200), [this](const std::function<bool()>&) { flush(); });
  tail_.start(poll, [this](const std::function<bool()>&) {
    try {
      tail_once();
      if (std::chrono::steady_clock::now() - last_beat_ > std::chrono::seconds(1)) {
        last_beat_ = std::chrono::steady_clock::now();
        heartbeat();
      }
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "cluster_tail_error"}, {"error", e.what()}}));
    }
  });
}

void ClusterEvents::stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    started_ = false;
  }
  tail_.stop();
  writer_.stop();
  flush();   // what was published before the stop still reaches the others
  try {
    db_.write([&](Connection& c) { c.execute("DELETE FROM cluster_instances WHERE id = ?", {instance_}); });
  } catch (const std::exception&) {
  }
}

}  // namespace parley::storage
