#include "http/stream_hub.h"

#include <algorithm>

#include "common/time.h"

namespace parley::http {

StreamHub::StreamHub()
    : thread_(64, [this](const std::vector<Job*>& batch) {
        for (auto* job : batch) {
          try {
            fan_out(*job->event);
          } catch (...) {   // reaches the publisher, not this thread
            job->error = std::current_exception();
          }
        }
      }) {}

void StreamHub::add(const std::shared_ptr<StreamClient>& client) {
  std::shared_ptr<StreamClient> oldest;
  {
    std::lock_guard lock(mu_);
    std::erase_if(clients_, [](const auto& w) { return w.expired(); });
    // One person opens a stream per tab; past kMaxStreamsPerUser the oldest is closed,
    // so that one account cannot hold an unbounded share of the server's sockets.
    std::size_t mine = 0;
    for (const auto& w : clients_)
      if (auto c = w.lock(); c && c->subscriber().user_id == client->subscriber().user_id && ++mine == 1) oldest = c;
    if (mine < kMaxStreamsPerUser) oldest.reset();
    else std::erase_if(clients_, [&](const auto& w) { return w.lock() == oldest; });
    clients_.push_back(client);
  }
  if (oldest) oldest->close();
}

void StreamHub::publish(const Event& event) {
  {
    std::lock_guard lock(mu_);
    if (clients_.empty()) return;   // nobody is listening: no hand-over at all
  }
  Job job{&event, nullptr};
  thread_.run(job);
  if (job.error) std::rethrow_exception(job.error);
}

void StreamHub::fan_out(const Event& event) {
  const nlohmann::json j = {{"type", event.type}, {"data", event.data}, {"at", to_rfc3339_ms(Clock::now())}};
  auto frame = std::make_shared<const std::string>(j.dump());
  std::vector<std::shared_ptr<StreamClient>> targets;
  {
    std::lock_guard lock(mu_);
    std::erase_if(clients_, [](const auto& w) { return w.expired(); });
    targets.reserve(clients_.size());
    for (const auto& w : clients_)
      if (auto c = w.lock()) targets.push_back(std::move(c));
  }
  for (const auto& c : targets)
    if ((!event.audience || event.audience(c->subscriber())) && c->send(frame) && event.on_sent)
      event.on_sent(c->subscriber());
}

void StreamHub::close_all() {
  std::vector<std::shared_ptr<StreamClient>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& w : clients_)
      if (auto c = w.lock()) targets.push_back(std::move(c));
    clients_.clear();
  }
  for (const auto& c : targets) c->close();
}

void StreamHub::revalidate(const std::function<bool(const Subscriber&)>& still_valid,
                           std::optional<std::int64_t> user_id) {
  std::vector<std::shared_ptr<StreamClient>> targets;
  {
    std::lock_guard lock(mu_);
    std::erase_if(clients_, [](const auto& w) { return w.expired(); });
    for (const auto& w : clients_)
      if (auto c = w.lock(); c && (!user_id || c->subscriber().user_id == *user_id)) targets.push_back(std::move(c));
  }
  // Checked outside the lock: the check may read the database.
  std::vector<StreamClient*> ended;
  for (const auto& c : targets)
    if (!still_valid(c->subscriber())) ended.push_back(c.get());
  if (ended.empty()) return;
  {
    std::lock_guard lock(mu_);
    std::erase_if(clients_, [&](const auto& w) {
      auto c = w.lock();
      return !c || std::find(ended.begin(), ended.end(), c.get()) != ended.end();
    });
  }
  for (auto* c : ended) c->close();
}

std::size_t StreamHub::size() {
  std::lock_guard lock(mu_);
  std::erase_if(clients_, [](const auto& w) { return w.expired(); });
  return clients_.size();
}

}  // namespace parley::http
