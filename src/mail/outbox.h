// Outbox: e-mail that Parley has decided to send, written in the same transaction as
// the change that caused it, so that a crash never loses a notification and a
// rolled-back change never sends one. MailWorker drains it through the SMTP relay.
// Static functions over a Connection the caller holds: thread-safe as the Connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/migrations.h"

namespace parley::mail {

struct Mail {
  std::int64_t id = 0;
  std::string to;        // one address
  std::string subject;   // plain text, one line
  std::string body;      // plain text
  int attempts = 0;
};

struct MailConfig {
  std::string smtp_url;     // "smtp://127.0.0.1:2525", "smtps://relay:465"; empty: no mail
  std::string username;     // relay credentials, optional
  std::string password;
  std::string from = "parley@localhost";
  std::string public_url;   // base of links in mails, e.g. "https://parley.example.org"
  bool enabled() const { return !smtp_url.empty(); }
};

class Outbox {
 public:
  static storage::Migration migration();   // version 60
  static void enqueue(storage::Connection& c, const Mail& m, std::int64_t now_ms);
  // Mails whose next attempt is due, oldest first.
  static std::vector<Mail> due(storage::Connection& c, std::int64_t now_ms, int limit);
  static void mark_sent(storage::Connection& c, std::int64_t id, std::int64_t now_ms);
  // Retries with exponential backoff (30 s, 1 min, 2 min ... capped at 1 h); gives up
  // after 20 attempts, keeping the row and its last error for an operator to see.
  static void mark_failed(storage::Connection& c, const Mail& m, const std::string& error, std::int64_t now_ms);
  // Number of mails not yet sent (for health and tests).
  static std::int64_t pending(storage::Connection& c);
};

}  // namespace parley::mail
