// StreamHub: the set of open /api/v1/stream connections, and the EventSink that
// fans events out to them. Connections register themselves as StreamClients; the hub
// holds them weakly.
//
// The fan-out (audience check and one queued frame per subscriber) runs on the hub's
// own HandoffThread while publish() waits for it. Events are published by request
// handlers, which run at a lower priority than the I/O threads (http::Server); on a
// busy machine a thousand-subscriber loop on such a thread was preempted for up to
// 20 ms between frames. The hub's thread has the priority of the thread that creates
// the hub, like the I/O threads that write the frames.
//
// Thread-safe: publish() may be called from any thread, including an I/O thread.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include "common/events.h"
#include "common/handoff_thread.h"

namespace parley::http {

class StreamClient {
 public:
  virtual ~StreamClient() = default;
  virtual const Subscriber& subscriber() const = 0;
  // Queues one text frame; must not block. Returns false if the client is gone.
  virtual bool send(std::shared_ptr<const std::string> frame) = 0;
  virtual void close() = 0;
};

class StreamHub final : public EventSink {
 public:
  static constexpr std::size_t kMaxStreamsPerUser = 16;
  StreamHub();
  ~StreamHub() override = default;
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  // Registers a stream; a user's oldest is closed when this is their 17th.
  void add(const std::shared_ptr<StreamClient>& client);
  // Returns once the event is queued to every subscriber in its audience (and
  // event.on_sent has been called for each).
  void publish(const Event& event) override;
  void close_all();
  // Closes the streams (of `user_id` only, when given) whose subscriber fails
  // `still_valid`: a session signed out, a token revoked, an account disabled. A
  // closed stream receives nothing more, and delivery is not recorded to it.
  void revalidate(const std::function<bool(const Subscriber&)>& still_valid,
                  std::optional<std::int64_t> user_id = std::nullopt);
  std::size_t size();

 private:
  struct Job {
    const Event* event;
    std::exception_ptr error;
  };
  void fan_out(const Event& event);

  std::mutex mu_;
  std::vector<std::weak_ptr<StreamClient>> clients_;
  HandoffThread<Job> thread_;   // last member: started once everything above exists
};

}  // namespace parley::http
