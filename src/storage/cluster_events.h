// ClusterEvents: the EventSink that carries events between the instances of a cluster
// (several `parley serve` on one database).
//
// publish() hands the event to this instance's own sink (the StreamHub) at once, then
// queues it for `cluster_events`, a table that every instance tails: a writer thread
// inserts what is queued right after the publishing transaction committed (a batch of
// events in one write transaction), and the tail reads the rows of other instances,
// rebuilds each event's audience from data (Event::audience_kind, common/events.h)
// and publishes it to its own hub; the subscribers it reached there are handed to the
// event's delivery handler (Event::delivery_kind), so that delivery is recorded by the
// instance that delivered. Only events whose audience is data travel; an audience
// that is only a closure stays local.
//
// Order: ids come from the table's key, and every insert first takes
// Connection::lock("cluster_events") (PostgreSQL: an advisory lock held to commit), so
// ids are committed in increasing order and a tail that reads `id > last` never skips
// a row that commits later with a smaller id.
//
// Each event read from another instance also moves Database::generation(), and the
// instance keeps a heartbeat in `cluster_instances`: while another live instance is
// seen, generation() probes the journal head on every call (set_probe_interval(0)),
// so caches never serve what another instance has already overwritten.
//
// The tail polls every `poll` (50 ms); wake() makes it read at once. On PostgreSQL
// the inserting transaction also NOTIFYs kChannel, and each instance's listener
// (storage/postgres/listener.h, started by the application) calls wake(): a push
// crosses to another instance in a few milliseconds, polling remains the fallback.
// Rows older than ten minutes are removed by whoever sees them.
// A crash between the commit of a change and the insert of its event loses the push
// to other instances (as it loses the local one); the hotline's announcements are
// re-sent from their rows (announced_at).
//
// Thread-safe: publish() from any thread; start()/stop() by the owner.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "common/background_loop.h"
#include "common/events.h"
#include "storage/database.h"

namespace parley::storage {

class ClusterEvents final : public EventSink {
 public:
  ClusterEvents(Database& db, EventSink& local, std::string instance);
  ~ClusterEvents() override { stop(); }
  ClusterEvents(const ClusterEvents&) = delete;
  ClusterEvents& operator=(const ClusterEvents&) = delete;

  // The PostgreSQL channel that announces new rows.
  static constexpr const char* kChannel = "parley_cluster_events";

  void publish(const Event& event) override;
  // Registers the instance, reads the current end of the log, then starts the writer
  // and the tail.
  void start(std::chrono::milliseconds poll = std::chrono::milliseconds(50));
  void stop();
  void wake() { tail_.wake(); }
  // Other instances seen alive (heartbeat within the last 5 s) at the last check.
  int peers() const { return peers_.load(); }

  // One step each, on the caller's thread (the loops use them; tests too). flush()
  // returns once everything published before the call is in the table, even when the
  // writer loop took it; tail_once() passes are one at a time.
  void flush();
  int tail_once();
  void heartbeat();

  // The event's wire form and back (the table's `event` column).
  static std::string encode(const Event& e);
  static Event decode(const std::string& text);

 private:
  Database& db_;
  EventSink& local_;
  std::string instance_;
  std::mutex mu_;
  std::deque<std::string> queue_;
  std::mutex flush_mu_;      // one flush at a time (held while writing)
  std::mutex tail_mu_;       // one tail pass at a time
  std::int64_t last_ = 0;   // the tail's position (under tail_mu_)
  std::atomic<int> peers_{0};
  std::chrono::steady_clock::time_point last_beat_{};
  bool started_ = false;
  BackgroundLoop writer_;
  BackgroundLoop tail_;
};

}  // namespace parley::storage
