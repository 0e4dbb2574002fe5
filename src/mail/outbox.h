// Outbox: e-mail that Parley has decided to send, written in the same transaction as
// the change that caused it, so that a crash never loses a notification and a
// rolled-back change never sends one. MailWorker drains it through the SMTP relay.
//
// Several instances drain one outbox: a mail is sent by the instance that claimed it
// (claimed_by, claimed_until: a conditional UPDATE that succeeds only on a row nobody
// holds, so two instances never both own it, on SQLite or PostgreSQL). PostgreSQL's
// `FOR UPDATE SKIP LOCKED` would spare a loser the wait on a row another transaction is
// claiming; while every write batch takes the cluster-wide `parley.write_batch` lock
// (storage/database.h) no two claims ever overlap, so it would change nothing. Should
// that lock go, select with SKIP LOCKED when `Connection::dialect()` is PostgreSQL. Delivery
// is AT LEAST ONCE: a claim lasts two minutes (longer than an SMTP attempt's 40 s
// timeouts); if its holder dies after the relay accepted the mail but before it recorded
// it as sent, the claim expires and another instance sends it again. A hotline alert
// that arrives twice is a nuisance; one that never arrives (at most once) is the failure
// Parley exists to prevent.
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
  // One attachment, optional (a meeting's invitation): its file name, media type
  // ("text/calendar; method=REQUEST") and content; sent as multipart/mixed.
  std::string attachment_name, attachment_type, attachment;
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
  static storage::Migration migration();         // version 60
  static storage::Migration claims_migration();  // version 61: claimed_by, claimed_until
  static storage::Migration attachments_migration();  // version 62: one attachment per mail
  static void enqueue(storage::Connection& c, const Mail& m, std::int64_t now_ms);
  // Mails whose next attempt is due and that nobody holds (claims compared with the
  // wall clock wall_now_ms), oldest first.
  static std::vector<Mail> due(storage::Connection& c, std::int64_t now_ms, int limit, std::int64_t wall_now_ms);
  // Claims mail `id` for `holder` until claim_until_ms (wall clock): true when this
  // holder now owns it, false when it is sent, or claimed by another instance whose
  // claim has not expired at wall_now_ms.
  static bool claim(storage::Connection& c, std::int64_t id, const std::string& holder, std::int64_t wall_now_ms,
                    std::int64_t claim_until_ms);
  // Both end the claim.
  static void mark_sent(storage::Connection& c, std::int64_t id, std::int64_t now_ms);
  // Retries with exponential backoff (30 s, 1 min, 2 min ... capped at 1 h); gives up
  // after 20 attempts, keeping the row and its last error for an operator to see.
  static void mark_failed(storage::Connection& c, const Mail& m, const std::string& error, std::int64_t now_ms);
  // Number of mails not yet sent (for health and tests).
  static std::int64_t pending(storage::Connection& c);
};

}  // namespace parley::mail
