// TimeSource: where a capability reads "now" from when time drives its behaviour
// (deadlines, escalations, schedules). Production uses the system clock; the server
// started with --manual-clock uses ManualTimeSource, which stands still until tests move
// it forward, so that an escalation due in an hour can be observed in a second and
// response times are exact. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace parley {

class TimeSource {
 public:
  virtual ~TimeSource() = default;
  virtual std::int64_t now_ms() = 0;   // milliseconds since the Unix epoch
};

class SystemTimeSource final : public TimeSource {
 public:
  std::int64_t now_ms() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Time that stands still until advance() moves it: it starts at the system clock plus
// `initial_offset_ms`, so durations measured with it (times to acknowledge) are exact.
class ManualTimeSource final : public TimeSource {
 public:
  explicit ManualTimeSource(std::int64_t initial_offset_ms = 0)
      : start_(SystemTimeSource().now_ms()), offset_(initial_offset_ms) {}
  std::int64_t now_ms() override { return start_ + offset_.load(); }
  void advance(std::int64_t ms) { offset_.fetch_add(ms); }
  std::int64_t offset_ms() const { return offset_.load(); }

 private:
  const std::int64_t start_;
  std::atomic<std::int64_t> offset_;
};

}  // namespace parley
