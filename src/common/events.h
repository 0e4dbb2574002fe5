// Events: what a capability announces when something changes (a contact was edited,
// a communication arrived), delivered in real time to subscribers of /api/v1/stream.
//
// Events carry references (ids, state codes), never the protected content itself:
// a client that receives one fetches the object through the API, which enforces
// access. `audience` narrows who receives the event at all. EventSink implementations
// must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace parley {

// Who is listening on a stream connection.
struct Subscriber {
  std::int64_t user_id = 0;
  std::string username;
  std::string role;    // auth::Role name
  std::string state;   // alpha-3 or empty
  std::string forum;   // forum code or empty
  // The credential the stream was opened with (auth::Principal::credential: a digest,
  // never the secret); the stream is closed once it no longer holds.
  std::string credential;
};

struct Event {
  std::string type;        // "directory.contact.updated"
  nlohmann::json data;     // references only
  std::function<bool(const Subscriber&)> audience;   // empty: every subscriber
  // Called (on the publishing thread) for each subscriber the event was queued to, so
  // that a capability can record delivery. Optional.
  std::function<void(const Subscriber&)> on_sent;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void publish(const Event& event) = 0;
};

// Discards events (CLI commands, unit tests of services that do not look at events).
class NullEventSink final : public EventSink {
 public:
  void publish(const Event&) override {}
};

}  // namespace parley
