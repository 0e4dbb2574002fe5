#include "storage/journal.h"

#include "common/time.h"
#include "crypto/hash.h"

namespace parley::storage {

namespace {
const std::string kGenesis(64, '0');
}

Migration Journal::migration() {
  return {1, "journal",
          R"sql(
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  change TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
)sql"};
}

std::string Journal::canonical(const nlohmann::json& j) {
  // nlohmann::json objects are std::map-backed: keys come out sorted. dump() with no
  // indent emits no insignificant whitespace; ensure_ascii=false keeps UTF-8 as is.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string Journal::hash_of(const std::string& prev_hash, const JournalEntry& e, const nlohmann::json& change) {
  nlohmann::json body = nlohmann::json::object();
  body["seq"] = e.seq;
  body["at"] = e.at;
  body["actor"] = e.actor;
  body["action"] = e.action;
  body["object"] = e.object;
  body["change"] = change;
  return crypto::sha256_hex(prev_hash + "\n" + canonical(body));
}

std::string Journal::entry_hash(const std::string& prev_hash, const JournalEntry& e) {
  return hash_of(prev_hash, e, nlohmann::json::parse(e.change));
}

JournalEntry Journal::append(Connection& c, const std::string& actor, const std::string& action,
                             const std::string& object, const nlohmann::json& change) {
  JournalEntry e;
  auto last = c.query("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1");
  e.seq = last.empty() ? 1 : last[0].integer("seq") + 1;
  e.prev_hash = last.empty() ? kGenesis : last[0].text("hash");
  e.at = to_rfc3339_ms(Clock::now());
  e.actor = actor;
  e.action = action;
  e.object = object;
  e.change = canonical(change);
  e.hash = hash_of(e.prev_hash, e, change);   // the object itself: no re-parse of e.change
  c.execute(
      "INSERT INTO journal(seq, at, actor, action, object, change, prev_hash, hash)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, e.at, e.actor, e.action, e.object, e.change, e.prev_hash, e.hash});
  return e;
}

std::int64_t Journal::head(Connection& c) {
  auto rows = c.query("SELECT seq FROM journal ORDER BY seq DESC LIMIT 1");
  return rows.empty() ? 0 : rows[0].integer("seq");
}

VerifyReport Journal::verify(Connection& c) {
  VerifyReport report;
  std::string prev = kGenesis;
  std::int64_t expected_seq = 1;
  const std::int64_t page = 1000;
  for (std::int64_t after = 0;;) {
    auto rows = c.query(
        "SELECT seq, at, actor, action, object, change, prev_hash, hash FROM journal"
        " WHERE seq > ? ORDER BY seq LIMIT ?",
        {after, page});
    if (rows.empty()) break;
    for (const auto& r : rows) {
      JournalEntry e{r.integer("seq"), r.text("at"),     r.text("actor"),     r.text("action"),
                     r.text("object"), r.text("change"), r.text("prev_hash"), r.text("hash")};
      auto broken = [&](std::string why) {
        report.broken_at = e.seq;
        report.reason = std::move(why);
      };
      if (e.seq != expected_seq) {
        broken("expected entry " + std::to_string(expected_seq) + " but found " + std::to_string(e.seq) +
               " (an entry is missing)");
      } else if (e.prev_hash != prev) {
        broken("prev_hash does not match the hash of entry " + std::to_string(e.seq - 1));
      } else {
        std::string computed;
        try {
          computed = entry_hash(prev, e);
        } catch (const std::exception&) {
          broken("the change is not valid JSON");
        }
        if (!report.broken_at && computed != e.hash)
          broken("the stored hash does not match the entry's content (content was altered)");
      }
      if (report.broken_at) return report;
      prev = e.hash;
      ++expected_seq;
      ++report.entries;
      after = e.seq;
    }
  }
  report.head = prev;
  return report;
}

}  // namespace parley::storage
