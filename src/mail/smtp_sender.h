// SmtpSender: hands one message to the configured SMTP relay with libcurl (which
// speaks SMTP, STARTTLS and SMTPS, so Parley does not implement the protocol). Blocking;
// used only by MailWorker's thread. Not thread-safe: one instance per thread.
#pragma once

#include <string>

#include "mail/outbox.h"

namespace parley::mail {

class SmtpSender {
 public:
  explicit SmtpSender(MailConfig config);
  ~SmtpSender();
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  // Throws std::runtime_error with curl's reason when the relay refuses or cannot be reached.
  void send(const Mail& m);

  // The RFC 5322 message sent for `m` (headers and body, CRLF line ends).
  static std::string format(const MailConfig& config, const Mail& m, const std::string& date, const std::string& message_id);

 private:
  MailConfig config_;
  void* curl_;
};

}  // namespace parley::mail
