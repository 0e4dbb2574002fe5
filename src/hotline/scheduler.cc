#include "hotline/scheduler.h"

#include <spdlog/spdlog.h>

#include "common/log_line.h"

namespace parley::hotline {

namespace {
void log_error(const char* what, const std::exception& e) {
  spdlog::error("{}", log_line({{"event", "hotline_scheduler_error"}, {"task", what}, {"error", e.what()}}));
}
}  // namespace

void HotlineScheduler::run_once() {
  // Each task on its own: a failure in one (logged) does not stop the others.
  const bool leader = !gate_ || gate_();
  if (leader) try {
      hotline_.announce_pending();
    } catch (const std::exception& e) {
      log_error("announce", e);
    }
  try {
    hotline_.record_deliveries();   // this instance's streams: always here
  } catch (const std::exception& e) {
    log_error("deliveries", e);
  }
  if (!leader) return;
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

void HotlineScheduler::stop() {
  loop_.stop();
  try {
    hotline_.record_deliveries(true);   // what was seen before the stop is not forgotten
  } catch (const std::exception& e) {
    log_error("deliveries", e);
  }
}

void HotlineScheduler::start() {
  loop_.start(std::chrono::milliseconds(250), [this](const std::function<bool()>&) { run_once(); });
}

}  // namespace parley::hotline
