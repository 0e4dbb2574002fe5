#include "http/stream_hub.h"

#include "common/time.h"

namespace parley::http {

StreamHub::StreamHub() : thread_([this] { run(); }) {}

StreamHub::~StreamHub() {
  {
    std::lock_guard lock(jobs_mu_);
    stopping_ = true;
  }
  jobs_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void StreamHub::add(const std::shared_ptr<StreamClient>& client) {
  std::lock_guard lock(mu_);
  clients_.push_back(client);
}

void StreamHub::publish(const Event& event) {
  {
    std::lock_guard lock(mu_);
    if (clients_.empty()) return;   // nobody is listening: no hand-over at all
  }
  Job job{&event};
  std::unique_lock lock(jobs_mu_);
  if (stopping_) {
    lock.unlock();
    fan_out(event);
    return;
  }
  jobs_.push_back(&job);
  jobs_cv_.notify_one();
  job.cv.wait(lock, [&] { return job.done; });
}

void StreamHub::run() {
  std::unique_lock lock(jobs_mu_);
  for (;;) {
    jobs_cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;
    Job* job = jobs_.front();
    jobs_.pop_front();
    lock.unlock();
    fan_out(*job->event);
    lock.lock();
    job->done = true;
    job->cv.notify_one();   // under the lock: the job lives on its publisher's stack
  }
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

std::size_t StreamHub::size() {
  std::lock_guard lock(mu_);
  std::erase_if(clients_, [](const auto& w) { return w.expired(); });
  return clients_.size();
}

}  // namespace parley::http
