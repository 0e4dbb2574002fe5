#include "common/events.h"

#include <map>
#include <mutex>

namespace parley {

namespace {
std::mutex g_mu;
std::map<std::string, EventKinds::AudienceFactory>& audiences() {
  static std::map<std::string, EventKinds::AudienceFactory> m;
  return m;
}
std::map<std::string, EventKinds::DeliveryHandler>& deliveries() {
  static std::map<std::string, EventKinds::DeliveryHandler> m;
  return m;
}
}  // namespace

void EventKinds::add_audience(const std::string& kind, AudienceFactory f) {
  std::lock_guard lock(g_mu);
  audiences()[kind] = std::move(f);
}

void EventKinds::add_delivery(const std::string& kind, DeliveryHandler h) {
  std::lock_guard lock(g_mu);
  deliveries()[kind] = std::move(h);
}

void EventKinds::clear() {
  std::lock_guard lock(g_mu);
  audiences().clear();
  deliveries().clear();
}

bool EventKinds::rebuild_audience(Event& e) {
  if (e.audience_kind.empty()) {
    e.audience = nullptr;
    return true;
  }
  AudienceFactory f;
  {
    std::lock_guard lock(g_mu);
    auto it = audiences().find(e.audience_kind);
    if (it == audiences().end()) return false;
    f = it->second;
  }
  e.audience = f(e.audience_args);
  return true;
}

EventKinds::DeliveryHandler EventKinds::delivery(const std::string& kind) {
  std::lock_guard lock(g_mu);
  auto it = deliveries().find(kind);
  return it == deliveries().end() ? DeliveryHandler{} : it->second;
}

}  // namespace parley
