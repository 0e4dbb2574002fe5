#include "directory/reconfirmation.h"
#include "common/json_values.h"

#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "auth/people.h"
#include "common/log_line.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/directory_store.h"
#include "storage/journal.h"

namespace parley::directory {

using auth::Principal;
using auth::Role;
using storage::Connection;
using storage::Journal;

namespace {

constexpr std::int64_t kDayMs = 86400000;

std::string ref(std::int64_t id) { return "reconfirmation:" + std::to_string(id); }

struct Header {
  std::int64_t id = 0;
  std::string forum, message, due_date, started_by;
  std::int64_t due_at = 0, started_at = 0;
  std::optional<std::int64_t> remind_at;
};

Header header_from(const storage::Row& r) {
  return {r.integer("id"), r.text("forum"), r.text("message"), r.text("due_date"), r.text("started_by"),
          r.integer("due_at"), r.integer("started_at"), r.opt_integer("remind_at")};
}

std::optional<Header> load(Connection& c, const std::string& forum, std::int64_t id) {
  auto rows = c.query("SELECT id, forum, message, due_date, due_at, remind_at, started_by, started_at"
                      " FROM reconfirmations WHERE id = ? AND forum = ?",
                      {id, forum});
  if (rows.empty()) return std::nullopt;
  return header_from(rows[0]);
}

struct FocalPoint {
  std::string username, name, email;
};

std::vector<FocalPoint> focal_points(Connection& c, const std::string& alpha3) {
  std::vector<FocalPoint> out;
  for (const auto& p : auth::people::active_in_state(c, alpha3, "focal_point"))
    out.push_back({p.username, p.display_name, p.email});
  return out;
}

std::string state_status(const std::optional<std::int64_t>& confirmed_at, std::int64_t due_at, std::int64_t now) {
  if (confirmed_at) return "confirmed";
  return now >= due_at ? "overdue" : "pending";
}

// Which forum's reconfirmations `who` may follow: all of them (admin, the operator), its
// own (secretariat), or only its state's answer in a forum it belongs to (focal point).
enum class Sight { kNone, kAll, kOwnState };

Sight sight(Connection& c, const Principal* who, const std::string& forum) {
  if (!who || who->is(Role::kAdmin)) return Sight::kAll;
  if (who->is(Role::kSecretariat)) return who->forum == forum ? Sight::kAll : Sight::kNone;
  if (who->is(Role::kFocalPoint))
    return !who->state.empty() && DirectoryStore::is_member(c, forum, who->state) ? Sight::kOwnState : Sight::kNone;
  return Sight::kNone;
}

void require_forum(Connection& c, const std::string& forum) {
  if (!DirectoryStore::forum(c, forum)) throw Problem::not_found("No forum " + forum + ".");
}

}  // namespace

std::string ReconfirmationService::today() const { return rfc3339_from_ms(time_.now_ms()).substr(0, 10); }

void ReconfirmationService::announce(const std::string& type, const std::string& forum, std::int64_t id,
                                     const std::string& state) {
  Event e;
  e.type = type;
  e.data = {{"id", id}, {"forum", forum}};
  if (!state.empty()) e.data["state"] = state;
  e.audience_kind = "directory.reconfirmation";
  e.audience_args = {{"forum", forum}, {"state", state}};
  e.audience = audience_from(e.audience_args);
  events_.publish(e);
}

std::function<bool(const Subscriber&)> ReconfirmationService::audience_from(const nlohmann::json& args) {
  const auto forum = args.at("forum").get<std::string>();
  const auto state = args.at("state").get<std::string>();
  return [forum, state](const Subscriber& s) {
    return s.role == "admin" || (s.role == "secretariat" && s.forum == forum) ||
           (s.role == "focal_point" && (state.empty() || s.state == state));
  };
}

nlohmann::json ReconfirmationService::start(const Principal* who, const std::string& code, const ReconfirmationInput& in) {
  const auto forum = to_upper(code);
  if (who && !who->is(Role::kAdmin) && !who->is(Role::kSecretariat))
    throw Problem::forbidden("Only a forum's secretariat or the administrator starts a reconfirmation.");
  const std::string actor = who ? who->actor() : "cli";
  const auto now = time_.now_ms();
  // Validation that needs the clock: the due date lies ahead, within a year.
  const auto day_start = parse_rfc3339_ms(in.due_date + "T00:00:00Z");
  if (!is_date(in.due_date) || !day_start) throw Problem::invalid("due_date", "must be a date YYYY-MM-DD");
  const std::int64_t due_at = *day_start + kDayMs;   // the end of the due day, UTC
  if (in.due_date <= today()) throw Problem::invalid("due_date", "must be after today (" + today() + ")");
  if (due_at - now > 400 * kDayMs) throw Problem::invalid("due_date", "must be within a year");
  if (trim(in.message).empty() || in.message.size() > 4000 || !is_valid_utf8(in.message))
    throw Problem::invalid("message", "must be between 1 and 4000 characters of UTF-8 text");
  std::optional<std::int64_t> remind_at = due_at - in.remind_days_before * kDayMs;
  if (*remind_at <= now) remind_at.reset();   // too close to the due date for a reminder before it

  bool mailed = false;
  const auto id = db_.write([&](Connection& c) {
    require_forum(c, forum);
    if (sight(c, who, forum) != Sight::kAll)
      throw Problem::forbidden("Only " + forum + "'s secretariat or the administrator starts its reconfirmation.");
    auto running = c.query("SELECT id, due_date FROM reconfirmations WHERE forum = ? AND due_at > ? ORDER BY id DESC LIMIT 1",
                           {forum, now});
    if (!running.empty())
      throw Problem::conflict("A reconfirmation of " + forum + " is already running (number " +
                                  std::to_string(running[0].integer("id")) + ", due " + running[0].text("due_date") + ").",
                              {{"due_date", "another reconfirmation of this forum is still running"}});
    const auto id = c.insert(
        "INSERT INTO reconfirmations(forum, message, due_date, due_at, remind_at, started_by, started_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        {forum, in.message, in.due_date, due_at, storage::opt(remind_at), who ? who->username : std::string("cli"), now});
    std::vector<std::string> states;
    for (const auto& r : c.query("SELECT state FROM forum_members WHERE forum = ? ORDER BY state", {forum}))
      states.push_back(r.text("state"));
    if (states.empty()) throw Problem::conflict(forum + " has no member states to ask.");
    std::int64_t asked = 0;
    for (const auto& s : states) {
      c.execute("INSERT INTO reconfirmation_states(reconfirmation_id, state) VALUES (?, ?)", {id, s});
      const auto people = focal_points(c, s);
      std::int64_t sent = 0;
      const auto state_name = DirectoryStore::state(c, s).value_or(nlohmann::json::object()).value("name", s);
      for (const auto& p : people) {
        if (p.email.empty() || !mail_.enabled()) continue;
        mail::Mail m;
        m.to = p.email;
        m.subject = "[Parley] " + forum + ": confirm " + state_name + "'s points of contact by " + in.due_date;
        m.body = "The " + forum + " secretariat asks " + state_name + " (" + s +
                 ") to confirm or update its points of contact in the Parley directory by " + in.due_date +
                 ".\n\n" + in.message + "\n\nReview your entries and confirm them: " + mail_.public_url +
                 "/#/reconfirmations\n";
        mail::Outbox::enqueue(c, m, now);
        ++sent;
      }
      c.execute("INSERT INTO reconfirmation_mails(reconfirmation_id, state, kind, sent_at, recipients) VALUES (?, ?, 'request', ?, ?)",
                {id, s, now, sent});
      if (sent) mailed = true;
      if (!people.empty()) ++asked;
    }
    Journal::append(c, actor, "reconfirmation.start", ref(id),
                    {{"forum", forum}, {"due_date", in.due_date}, {"message", in.message},
                     {"remind_at", json_time(remind_at)}, {"states", states}, {"states_with_focal_point", asked}});
    return id;
  });
  if (mailed && on_mail_) on_mail_();
  announce("directory.reconfirmation.started", forum, id, "");
  loop_.wake();
  return detail(who, forum, id);
}

nlohmann::json ReconfirmationService::list(const Principal* who, const std::string& code) {
  const auto forum = to_upper(code);
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    require_forum(c, forum);
    const auto s = sight(c, who, forum);
    if (s == Sight::kNone)
      throw Problem::forbidden("Only " + forum + "'s secretariat, the administrator and its members' focal points follow its reconfirmations.");
    auto items = nlohmann::json::array();
    for (const auto& r : c.query(
             "SELECT r.id, r.forum, r.message, r.due_date, r.due_at, r.remind_at, r.started_by, r.started_at,"
             " (SELECT COUNT(*) FROM reconfirmation_states s WHERE s.reconfirmation_id = r.id) AS states,"
             " (SELECT COUNT(*) FROM reconfirmation_states s WHERE s.reconfirmation_id = r.id AND s.confirmed_at IS NOT NULL) AS confirmed"
             " FROM reconfirmations r WHERE r.forum = ? ORDER BY r.id DESC",
             {forum})) {
      const auto h = header_from(r);
      nlohmann::json j = {{"id", h.id}, {"forum", h.forum}, {"message", h.message}, {"due_date", h.due_date},
                          {"due_at", rfc3339_from_ms(h.due_at)}, {"remind_at", json_time(h.remind_at)},
                          {"started_by", h.started_by}, {"started_at", rfc3339_from_ms(h.started_at)},
                          {"past_due", now >= h.due_at}};
      if (s == Sight::kAll) {
        const auto states = r.integer("states"), confirmed = r.integer("confirmed");
        j["states"] = states;
        j["confirmed"] = confirmed;
        j["unanswered"] = states - confirmed;
        j["overdue"] = now >= h.due_at ? states - confirmed : 0;
      } else {
        auto own = c.query("SELECT confirmed_at FROM reconfirmation_states WHERE reconfirmation_id = ? AND state = ?",
                           {h.id, who->state});
        if (own.empty()) continue;   // the state joined after this one started
        j["your_state"] = {{"state", who->state},
                           {"status", state_status(own[0].opt_integer("confirmed_at"), h.due_at, now)},
                           {"confirmed_at", json_time(own[0].opt_integer("confirmed_at"))}};
      }
      items.push_back(std::move(j));
    }
    return nlohmann::json{{"items", items}};
  });
}

nlohmann::json ReconfirmationService::detail(const Principal* who, const std::string& code, std::int64_t id) {
  const auto forum = to_upper(code);
  const auto now = time_.now_ms();
  const auto today = this->today();
  return db_.read([&](Connection& c) {
    require_forum(c, forum);
    const auto s = sight(c, who, forum);
    if (s == Sight::kNone)
      throw Problem::forbidden("Only " + forum + "'s secretariat, the administrator and its members' focal points follow its reconfirmations.");
    auto h = load(c, forum, id);
    if (!h) throw Problem::not_found("No reconfirmation " + std::to_string(id) + " of " + forum + ".");
    std::map<std::string, std::vector<nlohmann::json>> mails;
    for (const auto& r : c.query("SELECT state, kind, sent_at, recipients FROM reconfirmation_mails"
                                 " WHERE reconfirmation_id = ? ORDER BY sent_at",
                                 {id}))
      mails[r.text("state")].push_back(
          {{"kind", r.text("kind")}, {"sent_at", rfc3339_from_ms(r.integer("sent_at"))}, {"recipients", r.integer("recipients")}});
    auto states = nlohmann::json::array();
    std::int64_t confirmed = 0, overdue = 0, total = 0;
    storage::Params params{today, id};
    std::string where = " WHERE rs.reconfirmation_id = ?";
    if (s == Sight::kOwnState) {
      where += " AND rs.state = ?";
      params.emplace_back(who->state);
    }
    for (const auto& r : c.query(
             "SELECT rs.state, st.name, rs.confirmed_at, rs.confirmed_by, rs.note,"
             " (SELECT COUNT(*) FROM contacts k WHERE k.state = rs.state AND k.status = 'active') AS contacts,"
             " (SELECT COUNT(*) FROM contacts k WHERE k.state = rs.state AND k.status = 'active'"
             "   AND k.valid_until IS NOT NULL AND k.valid_until < ?) AS expired"
             " FROM reconfirmation_states rs JOIN states st ON st.alpha3 = rs.state" + where + " ORDER BY st.name",
             params)) {
      const auto state = r.text("state");
      const auto at = r.opt_integer("confirmed_at");
      const auto status = state_status(at, h->due_at, now);
      ++total;
      if (at) ++confirmed;
      else if (status == "overdue") ++overdue;
      auto fps = nlohmann::json::array();
      for (const auto& p : focal_points(c, state))
        fps.push_back({{"username", p.username}, {"name", p.name}, {"has_email", !p.email.empty()}});
      states.push_back({{"state", state}, {"name", r.text("name")}, {"status", status}, {"confirmed_at", json_time(at)},
                        {"confirmed_by", r.is_null("confirmed_by") ? nlohmann::json() : nlohmann::json(r.text("confirmed_by"))},
                        {"note", r.is_null("note") ? nlohmann::json() : nlohmann::json(r.text("note"))},
                        {"contacts", r.integer("contacts")}, {"expired_contacts", r.integer("expired")},
                        {"focal_points", fps}, {"mails", mails.count(state) ? nlohmann::json(mails[state]) : nlohmann::json::array()}});
    }
    return nlohmann::json{{"id", h->id}, {"forum", h->forum}, {"message", h->message}, {"due_date", h->due_date},
                          {"due_at", rfc3339_from_ms(h->due_at)}, {"remind_at", json_time(h->remind_at)},
                          {"started_by", h->started_by}, {"started_at", rfc3339_from_ms(h->started_at)},
                          {"past_due", now >= h->due_at},
                          {"summary", {{"states", total}, {"confirmed", confirmed}, {"unanswered", total - confirmed},
                                       {"overdue", overdue}}},
                          {"states", states}};
  });
}

nlohmann::json ReconfirmationService::confirm(const Principal& who, const std::string& code, std::int64_t id,
                                              const std::string& state_code, const std::string& note) {
  const auto forum = to_upper(code);
  const auto alpha3 = to_upper(state_code);
  if (!who.is(Role::kFocalPoint))
    throw Problem::forbidden("Only the state's national focal point confirms its entries.");
  if (who.state != alpha3) throw Problem::forbidden("You confirm the entries of your own state (" + who.state + ") only.");
  const auto now = time_.now_ms();
  const auto at = rfc3339_from_ms(now);
  db_.write([&](Connection& c) {
    require_forum(c, forum);
    if (!load(c, forum, id)) throw Problem::not_found("No reconfirmation " + std::to_string(id) + " of " + forum + ".");
    auto row = c.query("SELECT confirmed_at FROM reconfirmation_states WHERE reconfirmation_id = ? AND state = ?", {id, alpha3});
    if (row.empty()) throw Problem::not_found(alpha3 + " was not asked in reconfirmation " + std::to_string(id) + ".");
    if (!row[0].is_null("confirmed_at"))
      throw Problem::conflict(alpha3 + " already confirmed its entries on " + rfc3339_from_ms(row[0].integer("confirmed_at")) + ".");
    c.execute("UPDATE reconfirmation_states SET confirmed_at = ?, confirmed_by = ?, note = ? WHERE reconfirmation_id = ? AND state = ?",
              {now, who.username, storage::text_or_null(note), id, alpha3});
    std::vector<std::int64_t> ids;
    for (const auto& r : c.query("SELECT id FROM contacts WHERE state = ? AND status = 'active' ORDER BY id", {alpha3}))
      ids.push_back(r.integer("id"));
    c.execute("UPDATE contacts SET confirmed_at = ? WHERE state = ? AND status = 'active'", {at, alpha3});
    Journal::append(c, who.actor(), "reconfirmation.confirm", ref(id),
                    {{"forum", forum}, {"state", alpha3}, {"note", note}, {"contacts", ids}, {"confirmed_at", at}});
  });
  announce("directory.reconfirmation.confirmed", forum, id, alpha3);
  return detail(&who, forum, id);
}

nlohmann::json ReconfirmationService::pending(const Principal& who) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    auto items = nlohmann::json::array();
    if (!who.is(Role::kFocalPoint) || who.state.empty()) return nlohmann::json{{"items", items}};
    for (const auto& r : c.query(
             "SELECT r.id, r.forum, r.message, r.due_date, r.due_at, r.remind_at, r.started_by, r.started_at"
             " FROM reconfirmations r JOIN reconfirmation_states rs ON rs.reconfirmation_id = r.id"
             " WHERE rs.state = ? AND rs.confirmed_at IS NULL AND r.forum IN (SELECT forum FROM forum_members WHERE state = ?)"
             " ORDER BY r.due_at, r.id",
             {who.state, who.state})) {
      const auto h = header_from(r);
      items.push_back({{"id", h.id}, {"forum", h.forum}, {"message", h.message}, {"due_date", h.due_date},
                       {"due_at", rfc3339_from_ms(h.due_at)}, {"state", who.state},
                       {"status", now >= h.due_at ? "overdue" : "pending"}, {"started_at", rfc3339_from_ms(h.started_at)}});
    }
    return nlohmann::json{{"items", items}};
  });
}

int ReconfirmationService::run_due() {
  const auto now = time_.now_ms();
  // What is due, read first; each reconfirmation is then handled in its own write that
  // reads it again, so a state that confirms meanwhile, or another process (the CLI) that
  // sent it first, wins.
  const std::string due_sql =
      "SELECT r.id, rs.state, CASE WHEN r.due_at <= ? THEN 'overdue' ELSE 'reminder' END AS kind"
      " FROM reconfirmations r JOIN reconfirmation_states rs ON rs.reconfirmation_id = r.id"
      " WHERE rs.confirmed_at IS NULL AND (r.due_at <= ? OR (r.remind_at IS NOT NULL AND r.remind_at <= ?))"
      " AND NOT EXISTS (SELECT 1 FROM reconfirmation_mails m WHERE m.reconfirmation_id = r.id AND m.state = rs.state"
      "   AND m.kind = CASE WHEN r.due_at <= ? THEN 'overdue' ELSE 'reminder' END)";
  std::set<std::int64_t> ids;
  db_.read([&](Connection& c) {
    for (const auto& r : c.query(due_sql, {now, now, now, now})) ids.insert(r.integer("id"));
  });
  int count = 0;
  bool mailed = false;
  for (const auto id : ids) {
    std::string forum;
    std::vector<std::string> states;
    db_.write([&](Connection& c) {
      auto rows = c.query(due_sql + " AND r.id = ? ORDER BY rs.state", {now, now, now, now, id});
      if (rows.empty()) return;
      auto h = c.query("SELECT id, forum, message, due_date, due_at, remind_at, started_by, started_at FROM reconfirmations WHERE id = ?",
                       {id});
      const auto head = header_from(h.at(0));
      forum = head.forum;
      std::string kind;
      for (const auto& r : rows) {
        const auto state = r.text("state");
        kind = r.text("kind");
        const auto state_name = DirectoryStore::state(c, state).value_or(nlohmann::json::object()).value("name", state);
        std::int64_t sent = 0;
        for (const auto& p : focal_points(c, state)) {
          if (p.email.empty() || !mail_.enabled()) continue;
          mail::Mail m;
          m.to = p.email;
          if (kind == "overdue") {
            m.subject = "[Parley] Overdue: " + head.forum + " asked " + state_name + " to confirm its points of contact by " + head.due_date;
            m.body = "The " + head.forum + " secretariat asked " + state_name + " (" + state +
                     ") to confirm or update its points of contact in the Parley directory by " + head.due_date +
                     ". That date has passed and no answer has been recorded.\n\n";
          } else {
            m.subject = "[Parley] Reminder: confirm " + state_name + "'s points of contact for " + head.forum + " by " + head.due_date;
            m.body = "A reminder: the " + head.forum + " secretariat asks " + state_name + " (" + state +
                     ") to confirm or update its points of contact in the Parley directory by " + head.due_date + ".\n\n";
          }
          m.body += head.message + "\n\nReview your entries and confirm them: " + mail_.public_url + "/#/reconfirmations\n";
          mail::Outbox::enqueue(c, m, now);
          ++sent;
        }
        c.execute("INSERT INTO reconfirmation_mails(reconfirmation_id, state, kind, sent_at, recipients) VALUES (?, ?, ?, ?, ?)",
                  {id, state, kind, now, sent});
        if (sent) mailed = true;
        states.push_back(state);
      }
      Journal::append(c, "system:reconfirmation", "reconfirmation.remind", ref(id),
                      {{"forum", head.forum}, {"kind", kind}, {"states", states}});
    });
    count += static_cast<int>(states.size());
    if (!states.empty()) announce("directory.reconfirmation.reminded", forum, id, "");
  }
  if (mailed && on_mail_) on_mail_();
  return count;
}

void ReconfirmationService::start_loop(std::function<bool()> gate) {
  loop_.start(std::chrono::seconds(1), [this, gate = std::move(gate)](const std::function<bool()>&) {
    if (gate && !gate()) return;
    try {
      run_due();
    } catch (const std::exception& e) {
      spdlog::error("{}", log_line({{"event", "reconfirmation_reminder_error"}, {"error", e.what()}}));
    }
  });
}

}  // namespace parley::directory
