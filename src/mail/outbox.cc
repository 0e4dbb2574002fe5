#include "mail/outbox.h"

#include <algorithm>

namespace parley::mail {

storage::Migration Outbox::migration() {
  return {60, "mail: outbox", R"sql(
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox(sent_at, next_attempt_at);
)sql"};
}

storage::Migration Outbox::claims_migration() {
  return {61, "mail: outbox claims (several instances)", R"sql(
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE mail_outbox ADD COLUMN claimed_until INTEGER;
)sql"};
}

storage::Migration Outbox::attachments_migration() {
  return {62, "mail: an attachment per mail (meeting invitations)", R"sql(
ALTER TABLE mail_outbox ADD COLUMN attachment_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN attachment_type TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN attachment TEXT NOT NULL DEFAULT '';
)sql"};
}

void Outbox::enqueue(storage::Connection& c, const Mail& m, std::int64_t now_ms) {
  c.execute("INSERT INTO mail_outbox (to_addr, subject, body, created_at, next_attempt_at, attachment_name, attachment_type,"
            " attachment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {m.to, m.subject, m.body, now_ms, now_ms, m.attachment_name, m.attachment_type, m.attachment});
}

std::vector<Mail> Outbox::due(storage::Connection& c, std::int64_t now_ms, int limit, std::int64_t wall_now_ms) {
  std::vector<Mail> out;
  for (const auto& r : c.query("SELECT id, to_addr, subject, body, attempts, attachment_name, attachment_type, attachment"
                               " FROM mail_outbox WHERE sent_at IS NULL AND attempts < 20 AND next_attempt_at <= ? AND "
                               "(claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?",
                               {now_ms, wall_now_ms, static_cast<std::int64_t>(limit)}))
    out.push_back({r.integer("id"), r.text("to_addr"), r.text("subject"), r.text("body"),
                   static_cast<int>(r.integer("attempts")), r.text("attachment_name"), r.text("attachment_type"),
                   r.text("attachment")});
  return out;
}

bool Outbox::claim(storage::Connection& c, std::int64_t id, const std::string& holder, std::int64_t wall_now_ms,
                   std::int64_t claim_until_ms) {
  // The WHERE is the claim: of two instances claiming one row, the second finds it held.
  return c.execute("UPDATE mail_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND sent_at IS NULL AND "
                   "(claimed_until IS NULL OR claimed_until < ?)",
                   {holder, claim_until_ms, id, wall_now_ms}) == 1;
}

void Outbox::mark_sent(storage::Connection& c, std::int64_t id, std::int64_t now_ms) {
  c.execute("UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL, "
            "claimed_until = NULL WHERE id = ?",
            {now_ms, id});
}

void Outbox::mark_failed(storage::Connection& c, const Mail& m, const std::string& error, std::int64_t now_ms) {
  const std::int64_t backoff = std::min<std::int64_t>(3600'000, 30'000LL << std::min(m.attempts, 7));
  c.execute("UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL, "
            "claimed_until = NULL WHERE id = ?",
            {error.substr(0, 500), now_ms + backoff, m.id});
}

std::int64_t Outbox::pending(storage::Connection& c) {
  return c.query("SELECT count(*) AS n FROM mail_outbox WHERE sent_at IS NULL AND attempts < 20")[0].integer("n");
}

}  // namespace parley::mail
