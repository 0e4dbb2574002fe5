// HotlineScheduler: the hotline's background thread. Four times a second (and at once
// when woken) it announces communications committed but not yet announced (by the CLI,
// or before a crash), records deliveries seen on the stream, fires due escalations and
// starts due scheduled checks. Because
// deadlines and schedules are rows, the first pass after a start fires whatever fell
// due while the server was down. Thread-safe; stop() (or the destructor) joins.
#pragma once

#include "common/background_loop.h"
#include "hotline/checks.h"
#include "hotline/hotline_service.h"

namespace parley::hotline {

class HotlineScheduler {
 public:
  HotlineScheduler(HotlineService& hotline, CheckService& checks) : hotline_(hotline), checks_(checks) {}
  ~HotlineScheduler() { stop(); }
  HotlineScheduler(const HotlineScheduler&) = delete;
  HotlineScheduler& operator=(const HotlineScheduler&) = delete;

  // Several instances: announcements, escalations and scheduled checks run only while
  // `gate` says so (the instance holds the lease "hotline.scheduler", storage/cluster.h);
  // each is also claimed per row (a conditional UPDATE), so a second instance running
  // them changes nothing. Deliveries seen on this instance's streams are recorded here
  // whatever the gate says. Set before start().
  void set_gate(std::function<bool()> gate) { gate_ = std::move(gate); }
  void start();
  void wake() { loop_.wake(); }
  void stop();
  // One pass, on the caller's thread (tests, and the first pass at start).
  void run_once();

 private:
  HotlineService& hotline_;
  CheckService& checks_;
  std::function<bool()> gate_;
  BackgroundLoop loop_;
};

}  // namespace parley::hotline
