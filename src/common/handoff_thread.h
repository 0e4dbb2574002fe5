// HandoffThread<Job>: a thread of its own to which other threads hand jobs and wait
// until they are done. Jobs that queue up while the thread is busy are processed
// together, as one batch (at most `max_batch`), in the order they came.
//
// Used where a serial piece of work must not run at the priority of whoever asks for
// it (storage::Database's group commit, http::StreamHub's fan-out): the thread is
// started by the constructor, so it has the priority of the thread that creates the
// owner (a new thread inherits its creator's nice value, and a lower-priority request
// thread could not raise it back). Declare it as the owner's last member, so that
// everything `process` touches exists before the thread starts.
//
// Thread-safe: run() may be called from any thread except the HandoffThread's own
// (that would wait for itself). Not before or during destruction.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace parley {

template <class Job>
class HandoffThread {
 public:
  using Batch = std::vector<Job*>;

  HandoffThread(std::size_t max_batch, std::function<void(const Batch&)> process)
      : max_batch_(std::max<std::size_t>(1, max_batch)), process_(std::move(process)), thread_([this] { loop(); }) {}

  ~HandoffThread() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_.notify_one();
    thread_.join();
  }
  HandoffThread(const HandoffThread&) = delete;
  HandoffThread& operator=(const HandoffThread&) = delete;

  // Hands `job` over and returns once it has been processed.
  void run(Job& job) {
    Slot slot;
    slot.job = &job;
    std::unique_lock lock(mu_);
    queue_.push_back(&slot);
    work_.notify_one();
    slot.wake.wait(lock, [&] { return slot.done; });
  }

 private:
  // Each waiter has its own condition variable, so that a finished batch wakes exactly
  // its callers. (Not std::binary_semaphore: libstdc++'s spins on sched_yield before
  // it sleeps, which cost a tenth of the CPU of a sustained write load on two cores.)
  struct Slot {
    Job* job = nullptr;
    bool done = false;
    std::condition_variable wake;
  };

  void loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;   // stopping, and nothing left to do
      const auto n = static_cast<std::ptrdiff_t>(std::min(queue_.size(), max_batch_));
      std::vector<Slot*> slots(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
      lock.unlock();
      Batch batch;
      batch.reserve(slots.size());
      for (auto* s : slots) batch.push_back(s->job);
      process_(batch);
      lock.lock();
      // Notified under the lock: a slot lives on its caller's stack and is gone as soon
      // as that caller sees `done` and returns.
      for (auto* s : slots) {
        s->done = true;
        s->wake.notify_one();
      }
    }
  }

  const std::size_t max_batch_;
  const std::function<void(const Batch&)> process_;
  std::mutex mu_;
  std::condition_variable work_;
  std::vector<Slot*> queue_;
  bool stopping_ = false;
  std::thread thread_;   // last: started once everything above exists
};

}  // namespace parley
