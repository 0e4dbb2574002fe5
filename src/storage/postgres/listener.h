// PostgresListener: LISTEN on a channel, on a server session of its own, and a call
// whenever a NOTIFY on it commits. ClusterEvents' inserts NOTIFY, so that the other
// instances read the new events at once instead of at their next poll
// (storage/cluster_events.h).
//
// `notified` runs on the listener's thread, once per batch of notifications that
// arrive together, and once after each (re)connection (a NOTIFY sent while the session
// was down is lost: the caller reads what it may have missed). The session reconnects
// after a failure, waiting 1 s, then up to 10 s, between attempts; a failure is logged
// once per outage. Polling stays the caller's fallback.
//
// Thread-safety: construction and destruction by the owner; the destructor stops the
// thread and closes the session: within ~250 ms, or, while the server cannot be
// reached, once the connection attempt under way gives up (connect_timeout, 10 s).
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace parley::storage {

class PostgresListener {
 public:
  PostgresListener(std::string url, std::string channel, std::function<void()> notified);
  ~PostgresListener();
  PostgresListener(const PostgresListener&) = delete;
  PostgresListener& operator=(const PostgresListener&) = delete;

  // The connection is up and listening (for tests).
  bool listening() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace parley::storage
