// BackgroundLoop: a thread that runs a task, then sleeps until the interval passes or
// wake() is called, until stop(). Used by the mail worker and the hotline scheduler.
// The task must catch its own exceptions. Thread-safe; stop() (or the destructor) joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace parley {

class BackgroundLoop {
 public:
  BackgroundLoop() = default;
  ~BackgroundLoop() { stop(); }
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // `task` receives a predicate telling whether stop() was called (for long passes).
  void start(std::chrono::milliseconds interval, std::function<void(const std::function<bool()>&)> task) {
    if (thread_.joinable()) return;
    thread_ = std::thread([this, interval, task = std::move(task)] {
      const std::function<bool()> stopping = [this] {
        std::lock_guard lock(mu_);
        return stop_;
      };
      for (;;) {
        task(stopping);
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, interval, [this] { return stop_ || woken_; });
        if (stop_) return;
        woken_ = false;
      }
    });
  }

  void wake() {
    {
      std::lock_guard lock(mu_);
      woken_ = true;
    }
    cv_.notify_one();
  }

  void stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace parley
