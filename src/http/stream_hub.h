// StreamHub: the set of open /api/v1/stream connections, and the EventSink that
// fans events out to them. Connections register themselves as StreamClients; the hub
// holds them weakly. Thread-safe: publish() may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/events.h"

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
  void add(const std::shared_ptr<StreamClient>& client);
  void publish(const Event& event) override;
  void close_all();
  std::size_t size();

 private:
  std::mutex mu_;
  std::vector<std::weak_ptr<StreamClient>> clients_;
};

}  // namespace parley::http
