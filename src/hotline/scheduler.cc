#include "hotline/scheduler.h"

#include <spdlog/spdlog.h>

namespace parley::hotline {

namespace {
void log_error(const char* what, const std::exception& e) {
  spdlog::error(R"({{"event":"hotline_scheduler_error","task":"{}","error":"{}"}})", what, e.what());
}
}  // namespace

void HotlineScheduler::run_once() {
  // Each task on its own: a failure in one (logged) does not stop the others.
  try {
    hotline_.announce_pending();
  } catch (const std::exception& e) {
    log_error("announce", e);
  }
  try {
    hotline_.run_escalations();
  } catch (const std::exception& e) {
    log_error("escalate", e);
  }
  try {
    checks_.run_schedules();
  } catch (const std::exception& e) {
    log_error("scheduled_checks", e);
  }
}

void HotlineScheduler::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    for (;;) {
      run_once();
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_ || woken_; });
      if (stop_) return;
      woken_ = false;
    }
  });
}

void HotlineScheduler::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void HotlineScheduler::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

}  // namespace parley::hotline
