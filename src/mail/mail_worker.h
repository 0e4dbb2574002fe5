// MailWorker: a background thread that drains the outbox through the SMTP relay,
// one mail at a time, retrying failures with backoff. wake() after enqueueing makes it
// look at once; otherwise it looks every two seconds (mails enqueued by another
// process, retries). Thread-safe; stop() (or the destructor) joins the thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/time_source.h"
#include "mail/outbox.h"
#include "storage/database.h"

namespace parley::mail {

class MailWorker {
 public:
  MailWorker(storage::Database& db, MailConfig config, TimeSource& time);
  ~MailWorker();
  MailWorker(const MailWorker&) = delete;
  MailWorker& operator=(const MailWorker&) = delete;

  void start();
  void wake();
  void stop();

 private:
  void run();
  storage::Database& db_;
  MailConfig config_;
  TimeSource& time_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace parley::mail
