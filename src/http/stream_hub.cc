#include "http/stream_hub.h"

#include "common/time.h"

namespace parley::http {

void StreamHub::add(const std::shared_ptr<StreamClient>& client) {
  std::lock_guard lock(mu_);
  clients_.push_back(client);
}

void StreamHub::publish(const Event& event) {
  const nlohmann::json j = {{"type", event.type}, {"data", event.data}, {"at", to_rfc3339_ms(Clock::now())}};
  auto frame = std::make_shared<const std::string>(j.dump());
  std::vector<std::shared_ptr<StreamClient>> targets;
  {
    std::lock_guard lock(mu_);
    std::erase_if(clients_, [](const auto& w) { return w.expired(); });
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

std::size_t StreamHub::size() {
  std::lock_guard lock(mu_);
  std::erase_if(clients_, [](const auto& w) { return w.expired(); });
  return clients_.size();
}

}  // namespace parley::http
