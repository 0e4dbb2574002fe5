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
#include <vector>

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

  // The same as data, so that the other instances of a cluster can deliver the event to
  // their own streams (storage/cluster_events.h): `audience_kind` names a factory
  // registered in EventKinds that rebuilds `audience` from `audience_args` ("" with an
  // empty `audience`: everyone); `delivery_kind` names a handler that records, on the
  // instance that delivered, whom it reached (the remote form of `on_sent`; "" for none).
  // An event whose audience is a closure without a kind stays on this instance.
  std::string audience_kind;
  nlohmann::json audience_args;
  std::string delivery_kind;
  nlohmann::json delivery_args;
};

// The registry of audience factories and delivery handlers by kind, filled once at
// start (Application) before any event is received from another instance; read-only
// afterwards. Thread-safe.
class EventKinds {
 public:
  using Audience = std::function<bool(const Subscriber&)>;
  using AudienceFactory = std::function<Audience(const nlohmann::json&)>;
  // Called on the instance that delivered an event, after its fan-out, with the
  // subscribers of this instance it reached.
  using DeliveryHandler = std::function<void(const nlohmann::json&, const std::vector<Subscriber>&)>;
  static void add_audience(const std::string& kind, AudienceFactory f);
  static void add_delivery(const std::string& kind, DeliveryHandler h);
  static void clear();   // tests
  // Rebuilds `audience` from the event's kind and args; false when the kind is unknown
  // (the event is then not delivered here: better nobody than the wrong people).
  static bool rebuild_audience(Event& e);
  static DeliveryHandler delivery(const std::string& kind);
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
