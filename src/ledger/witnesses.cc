#include "ledger/witnesses.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "auth/people.h"
#include "auth/principal.h"
#include "common/log_line.h"
#include "common/problem.h"
#include "common/time.h"
#include "directory/membership.h"
#include "storage/journal.h"
#include "tlog/note.h"

namespace parley::ledger {

using auth::Principal;
using auth::Role;
using storage::Connection;
using storage::Journal;

std::vector<storage::Migration> witness_migrations() {
  return {{610, "ledger witnesses: when each last cosigned",
           "ALTER TABLE ledger_witnesses ADD COLUMN last_cosigned_at TEXT;\n"}};
}

namespace {

constexpr std::size_t kMaxUrl = 500;
constexpr std::size_t kMaxVkey = 400;
constexpr std::size_t kMaxWitnessesPerForum = 32;

bool forum_exists(Connection& c, const std::string& forum) {
  return directory::membership::forum_exists(c, forum);
}

bool may_read(Connection& c, const Principal& who, const std::string& forum) {
  if (who.is(Role::kAdmin)) return true;
  if (who.is(Role::kSecretariat)) return who.forum == forum;
  return !who.state.empty() && directory::membership::is_member(c, forum, who.state);
}

void require_manager(const Principal& who, const std::string& forum) {
  if (!who.is(Role::kAdmin) && !(who.is(Role::kSecretariat) && who.forum == forum))
    throw Problem::forbidden("A forum's witnesses are added and removed by its secretariat or the platform admin.");
}

// "http://host[:port][/path]" or https: no spaces, controls, user info or fragment.
bool valid_url(const std::string& url) {
  const auto scheme = url.starts_with("https://") ? 8u : url.starts_with("http://") ? 7u : 0u;
  if (!scheme || url.size() <= scheme || url.size() > kMaxUrl) return false;
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch >= 0x7f || ch == '#' || ch == '?' || ch == '\\') return false;
  const auto host_end = url.find('/', scheme);
  const auto host = url.substr(scheme, host_end == std::string::npos ? std::string::npos : host_end - scheme);
  return !host.empty() && host.find('@') == std::string::npos && host[0] != ':';
}

}  // namespace

WitnessService::WitnessService(storage::Database& db, EventSink& events, TimeSource& time, mail::MailConfig mail)
    : db_(db), events_(events), time_(time), mail_(std::move(mail)) {}

nlohmann::json WitnessService::to_json(const WitnessRow& w, const std::string& last_cosigned_at) {
  const auto opt = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"id", w.id},
          {"forum", w.forum},
          {"name", w.name},
          {"url", w.url},
          {"vkey", w.vkey},
          {"added_at", w.added_at},
          {"added_by", w.added_by},
          {"cosigned_size", w.cosigned_size},
          {"last_cosigned_at", opt(last_cosigned_at)},
          {"last_attempt_at", opt(w.last_attempt_at)},
          {"last_error", opt(w.last_error)},
          {"refused_at", opt(w.refused_at)},
          {"refusal", opt(w.refusal)}};
}

nlohmann::json WitnessService::list(const Principal& who, const std::string& forum) {
  return db_.read([&](Connection& c) {
    if (!forum_exists(c, forum)) throw Problem::not_found("No forum " + forum + ".");
    if (!may_read(c, who, forum))
      throw Problem::forbidden("A forum's witnesses are shown to its member states, its secretariat and admins.");
    nlohmann::json out = nlohmann::json::array();
    for (const auto& w : ledger_store::witnesses(c, forum)) {
      const auto rows = c.query("SELECT last_cosigned_at FROM ledger_witnesses WHERE id = ?", {w.id});
      out.push_back(to_json(w, rows.empty() ? "" : rows[0].text("last_cosigned_at")));
    }
    return nlohmann::json{{"forum", forum}, {"witnesses", out}};
  });
}

nlohmann::json WitnessService::add(const Principal& who, const std::string& forum, JsonInput& in) {
  require_manager(who, forum);
  const auto url = in.text("url", true, kMaxUrl, 1).value_or("");
  const auto vkey = in.text("vkey", true, kMaxVkey, 1).value_or("");
  tlog::Verifier v;
  if (!url.empty() && !valid_url(url))
    in.error("url", "must be the witness's http:// or https:// address (its submission prefix), without query or fragment");
  if (!vkey.empty()) {
    try {
      v = tlog::Verifier::parse(vkey);
      if (v.type != tlog::kCosignatureV1)
        in.error("vkey", "must be a witness's verifier key (cosignature/v1, type 0x04), not a log's");
    } catch (const tlog::NoteError& e) {
      in.error("vkey", std::string("is not a signed-note verifier key: ").append(e.what()));
    }
  }
  in.finish();
  std::string base = url;
  while (base.size() > 8 && base.back() == '/') base.pop_back();
  const auto id = db_.write([&](Connection& c) {
    if (!forum_exists(c, forum)) throw Problem::not_found("No forum " + forum + ".");
    const auto current = ledger_store::witnesses(c, forum);
    for (const auto& w : current)
      if (w.vkey == v.vkey())
        throw Problem::conflict("The forum lists this witness already (id " + std::to_string(w.id) + ").",
                                {{"vkey", "already listed"}});
    if (current.size() >= kMaxWitnessesPerForum)
      throw Problem::conflict("A forum lists at most 32 witnesses.", {{"vkey", "too many witnesses"}});
    const auto new_id =
        c.insert("INSERT INTO ledger_witnesses(forum, name, url, vkey, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)",
                 {forum, v.name, base, v.vkey(), now_rfc3339(), who.username});
    Journal::append(c, who.actor(), "ledger.witness.add", "witness:" + std::to_string(new_id),
                    {{"forum", forum}, {"name", v.name}, {"url", base}, {"vkey", v.vkey()}});
    return new_id;
  });
  publish("ledger.witness.added", forum, {{"forum", forum}, {"id", id}});
  const auto listed = list(who, forum);
  for (const auto& w : listed["witnesses"])
    if (w["id"] == id) return w;
  return nlohmann::json::object();
}

void WitnessService::remove(const Principal& who, const std::string& forum, std::int64_t id) {
  require_manager(who, forum);
  db_.write([&](Connection& c) {
    const auto w = ledger_store::witness(c, id);
    if (!w || w->forum != forum ||
        c.query("SELECT 1 AS x FROM ledger_witnesses WHERE id = ? AND removed_at IS NULL", {id}).empty())
      throw Problem::not_found("No witness " + std::to_string(id) + " in " + forum + ".");
    c.execute("UPDATE ledger_witnesses SET removed_at = ? WHERE id = ?", {now_rfc3339(), id});
    Journal::append(c, who.actor(), "ledger.witness.remove", "witness:" + std::to_string(id),
                    {{"forum", forum}, {"name", w->name}, {"url", w->url}, {"vkey", w->vkey}});
  });
  publish("ledger.witness.removed", forum, {{"forum", forum}, {"id", id}});
}

std::vector<WitnessRow> WitnessService::all() {
  return db_.read([](Connection& c) { return ledger_store::witnesses(c); });
}

void WitnessService::record_cosigned(const std::vector<std::int64_t>& ids, std::int64_t size) {
  const auto now = now_rfc3339();
  db_.write([&](Connection& c) {
    for (const auto id : ids)
      c.execute("UPDATE ledger_witnesses SET cosigned_size = ?, last_cosigned_at = ?, last_attempt_at = ?,"
                " last_error = NULL, refused_at = NULL, refusal = NULL WHERE id = ?",
                {size, now, now, id});
  });
}

void WitnessService::record_error(const std::vector<std::int64_t>& ids, const std::string& error) {
  const auto now = now_rfc3339();
  db_.write([&](Connection& c) {
    for (const auto id : ids)
      c.execute("UPDATE ledger_witnesses SET last_attempt_at = ?, last_error = ? WHERE id = ?",
                {now, error.substr(0, 500), id});
  });
}

void WitnessService::alarm(Connection& c, const std::string& forum, const std::string& subject,
                           const std::string& body) {
  if (!mail_.enabled()) return;
  // The forum's secretariat (every forum's, when `forum` is empty) and every admin.
  auto people = auth::people::active_with_role(c, "admin");
  for (auto& p : forum.empty() ? auth::people::active_with_role(c, "secretariat")
                               : auth::people::active_in_forum(c, forum, "secretariat"))
    people.push_back(std::move(p));
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  const auto now = time_.now_ms();
  for (const auto& p : people) {
    if (p.email.empty()) continue;
    mail::Mail m;
    m.to = p.email;
    m.subject = subject;
    m.body = body;
    mail::Outbox::enqueue(c, m, now);
  }
}

void WitnessService::publish(const std::string& type, const std::string& forum, const nlohmann::json& data) {
  Event e;
  e.type = type;
  e.data = data;
  e.audience_kind = "ledger.witnesses";
  e.audience_args = {{"forum", forum}};
  e.audience = audience_from(e.audience_args);
  events_.publish(e);
}

std::function<bool(const Subscriber&)> WitnessService::audience_from(const nlohmann::json& args) {
  const auto forum = args.at("forum").get<std::string>();
  return [forum](const Subscriber& s) {
    return s.role == "admin" || (s.role == "secretariat" && (forum.empty() || s.forum == forum));
  };
}

void WitnessService::record_refusal(const std::vector<std::int64_t>& ids, const std::string& reason) {
  const auto now = now_rfc3339();
  struct Alarmed {
    std::int64_t id;
    std::string forum, name;
  };
  std::vector<Alarmed> alarmed;
  db_.write([&](Connection& c) {
    for (const auto id : ids) {
      const auto w = ledger_store::witness(c, id);
      if (!w) continue;
      const bool first = w->refused_at.empty();
      c.execute("UPDATE ledger_witnesses SET last_attempt_at = ?, refusal = ?, refused_at = COALESCE(refused_at, ?)"
                " WHERE id = ?",
                {now, reason.substr(0, 500), now, id});
      if (!first) continue;   // alarmed already; it is refusing still
      Journal::append(c, "system", "ledger.witness.refused", "witness:" + std::to_string(id),
                      {{"forum", w->forum}, {"name", w->name}, {"url", w->url}, {"reason", reason.substr(0, 500)}});
      alarm(c, w->forum, "[Parley] ALARM: witness " + w->name + " refused the ledger's checkpoint",
            "The witness " + w->name + " (" + w->url + "), listed by " + w->forum +
                ", refused to cosign the ledger's latest checkpoint:\n\n  " + reason +
                "\n\nA witness refuses a checkpoint that does not extend the history it cosigned: the record may"
                " have been rewritten, or the witness's state may be wrong. Compare the checkpoints and find out"
                " before trusting the record. The refusal is itself recorded in the ledger.\n" +
                (mail_.public_url.empty() ? "" : "\n" + mail_.public_url + "/#/witnesses/" + w->forum + "\n"));
      alarmed.push_back({id, w->forum, w->name});
    }
  });
  for (const auto& a : alarmed) {
    spdlog::critical("{}", log_line({{"event", "ledger_witness_refused"}, {"witness", a.name}, {"forum", a.forum},
                                     {"reason", reason}}));
    publish("ledger.witness.refused", a.forum, {{"forum", a.forum}, {"id", a.id}, {"name", a.name}});
  }
  if (!alarmed.empty() && mail_.enabled() && on_mail_) on_mail_();
}

void WitnessService::alarm_inconsistent(const std::string& reason) {
  if (inconsistent_alarmed_.exchange(true)) return;
  spdlog::critical("{}", log_line({{"event", "ledger_inconsistent"}, {"error", reason}}));
  db_.write([&](Connection& c) {
    Journal::append(c, "system", "ledger.inconsistent", "ledger", {{"reason", reason.substr(0, 500)}});
    alarm(c, "", "[Parley] ALARM: the ledger no longer extends its signed checkpoints",
          "Parley refused to sign a checkpoint of its ledger:\n\n  " + reason +
              "\n\nThe journal's tree does not extend the last checkpoint the log signed: entries were removed or"
              " altered in the database. No checkpoint is signed until this is resolved.\n");
  });
  publish("ledger.inconsistent", "", {{"reason", reason.substr(0, 500)}});
  if (mail_.enabled() && on_mail_) on_mail_();
}

}  // namespace parley::ledger
