// MailWorker: a background thread that drains the outbox through the SMTP relay,
// one mail at a time, retrying failures with backoff. wake() after enqueueing makes it
// look at once; otherwise it looks every two seconds (mails enqueued by another
// process, retries). Thread-safe; stop() (or the destructor) joins the thread.
#pragma once

#include <functional>
#include <memory>

#include "common/background_loop.h"
#include "common/time_source.h"
#include "mail/outbox.h"
#include "storage/database.h"

namespace parley::mail {

class SmtpSender;

class MailWorker {
 public:
  MailWorker(storage::Database& db, MailConfig config, TimeSource& time);
  ~MailWorker();
  MailWorker(const MailWorker&) = delete;
  MailWorker& operator=(const MailWorker&) = delete;

  void start();
  void wake() { loop_.wake(); }
  void stop() { loop_.stop(); }

 private:
  void drain(const std::function<bool()>& stopping);
  storage::Database& db_;
  MailConfig config_;
  TimeSource& time_;
  std::unique_ptr<SmtpSender> sender_;   // used on the loop's thread only
  BackgroundLoop loop_;
};

}  // namespace parley::mail
