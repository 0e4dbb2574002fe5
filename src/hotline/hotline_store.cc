#include "hotline/hotline_store.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "auth/people.h"
#include "directory/membership.h"

namespace parley::hotline {

using storage::opt;
using storage::text_or_null;

namespace {

constexpr const char* kCommColumns =
    "id, thread_id, in_reply_to, forum, type, contact_kind, sender_user, sender_username, sender_name, sender_state, subject, "
    "description, severity, tlp, sector, incident_started_at, incident_detected_at, requested_action, respond_by, "
    "language, check_id, created_at, ack_deadline_at, announced_at, closed_at, closed_by";

CommRow comm_from(const storage::Row& r) {
  CommRow c;
  c.id = r.integer("id");
  c.thread_id = r.integer("thread_id");
  c.in_reply_to = r.opt_integer("in_reply_to");
  c.forum = r.text("forum");
  c.type = r.text("type");
  c.contact_kind = r.text("contact_kind");
  c.sender_user = r.integer("sender_user");
  c.sender_username = r.text("sender_username");
  c.sender_name = r.text("sender_name");
  c.sender_state = r.text("sender_state");
  c.subject = r.text("subject");
  c.description = r.text("description");
  c.severity = static_cast<int>(r.integer("severity"));
  c.tlp = r.text("tlp");
  c.sector = r.text("sector");
  c.incident_started_at = r.opt_integer("incident_started_at");
  c.incident_detected_at = r.opt_integer("incident_detected_at");
  c.requested_action = r.text("requested_action");
  c.respond_by = r.opt_integer("respond_by");
  c.language = r.text("language");
  c.check_id = r.opt_integer("check_id");
  c.created_at = r.integer("created_at");
  c.ack_deadline_at = r.opt_integer("ack_deadline_at");
  c.announced_at = r.opt_integer("announced_at");
  c.closed_at = r.opt_integer("closed_at");
  c.closed_by = r.text("closed_by");
  return c;
}

}  // namespace

std::optional<CommRow> HotlineStore::comm(C& c, std::int64_t id) {
  auto rows = c.query(std::string("SELECT ") + kCommColumns + " FROM communications WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return comm_from(rows[0]);
}

std::int64_t HotlineStore::insert_comm(C& c, const CommRow& r) {
  // The id is chosen here, so that a new thread (a communication that is its own first
  // message) gets its thread_id with the row rather than from a second UPDATE. Safe
  // across instances because the lock "communications" is held from this read to the
  // commit (SQLite: the write transaction holds the write lock anyway), and the primary
  // key would refuse a duplicate; rows are never deleted, so an id is never reused.
  c.lock("communications");
  const auto id = c.query("SELECT coalesce(max(id), 0) + 1 AS n FROM communications")[0].integer("n");
  c.execute_later(   // the id is known: nothing to wait for (Connection::execute_later)
      "INSERT INTO communications (id, thread_id, in_reply_to, forum, type, contact_kind, sender_user, sender_username, "
      "sender_name, sender_state, subject, description, severity, tlp, sector, incident_started_at, incident_detected_at, "
      "requested_action, respond_by, language, check_id, created_at, ack_deadline_at, announced_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, r.thread_id ? r.thread_id : id, opt(r.in_reply_to), r.forum, r.type, r.contact_kind,
       r.sender_user ? storage::Value(r.sender_user) : storage::null(), r.sender_username, r.sender_name,
       text_or_null(r.sender_state), r.subject, r.description, static_cast<std::int64_t>(r.severity), r.tlp,
       text_or_null(r.sector), opt(r.incident_started_at), opt(r.incident_detected_at),
       text_or_null(r.requested_action), opt(r.respond_by), r.language, opt(r.check_id), r.created_at,
       opt(r.ack_deadline_at), opt(r.announced_at)});
  return id;
}

std::vector<RecipientRow> HotlineStore::recipients(C& c, std::int64_t id) {
  std::vector<RecipientRow> out;
  for (const auto& r : c.query("SELECT r.state, r.delivered_at, r.acked_at, r.acked_by, r.answered_at, "
                               "r.escalation_level, r.next_escalation_at, r.ack_deadline_at, r.no_valid_contact, "
                               "(SELECT count(*) FROM comm_contacts k WHERE k.comm_id = r.comm_id AND k.state = r.state "
                               "AND k.reason IN ('recipient','named')) AS people FROM comm_recipients r "
                               "WHERE r.comm_id = ? ORDER BY r.state",
                               {id})) {
    RecipientRow x;
    x.state = r.text("state");
    x.delivered_at = r.opt_integer("delivered_at");
    x.acked_at = r.opt_integer("acked_at");
    x.acked_by = r.text("acked_by");
    x.answered_at = r.opt_integer("answered_at");
    x.escalation_level = static_cast<int>(r.integer("escalation_level"));
    x.next_escalation_at = r.opt_integer("next_escalation_at");
    x.ack_deadline_at = r.opt_integer("ack_deadline_at");
    x.no_valid_contact = r.integer("no_valid_contact") != 0;
    x.people = r.integer("people");
    out.push_back(std::move(x));
  }
  std::vector<std::string> states;
  for (const auto& x : out) states.push_back(x.state);
  const auto names = directory::membership::state_names(c, states);
  for (auto& x : out)
    if (auto it = names.find(x.state); it != names.end()) x.state_name = it->second;
  return out;
}

std::int64_t HotlineStore::contact_count(C& c, std::int64_t id) {
  return c.query("SELECT count(*) AS n FROM comm_contacts WHERE comm_id = ?", {id})[0].integer("n");
}

std::vector<ContactRow> HotlineStore::contacts(C& c, std::int64_t id, std::int64_t limit) {
  // The people's names are auth's (auth/people.h): read after the rows, ordered here as
  // the list shows them (no state first, then by state and user name).
  std::vector<std::pair<bool, ContactRow>> rows;   // (has a state, row)
  std::vector<std::int64_t> ids;
  for (const auto& r : c.query("SELECT user_id, state, reason, escalation_level, notified_at, delivered_at, delivered_via, "
                               "emailed_at, acked_at FROM comm_contacts WHERE comm_id = ?",
                               {id})) {
    ContactRow x;
    x.user_id = r.integer("user_id");
    x.state = r.text("state");
    x.reason = r.text("reason");
    x.escalation_level = static_cast<int>(r.integer("escalation_level"));
    x.notified_at = r.integer("notified_at");
    x.delivered_at = r.opt_integer("delivered_at");
    x.delivered_via = r.text("delivered_via");
    x.emailed_at = r.opt_integer("emailed_at");
    x.acked_at = r.opt_integer("acked_at");
    ids.push_back(x.user_id);
    rows.emplace_back(!r.is_null("state"), std::move(x));
  }
  std::map<std::int64_t, auth::people::Person> people;
  for (auto& p : auth::people::by_ids(c, ids)) people.emplace(p.id, std::move(p));
  std::vector<std::pair<bool, ContactRow>> known;   // as the join did: rows of known users only
  for (auto& [has_state, x] : rows) {
    const auto p = people.find(x.user_id);
    if (p == people.end()) continue;
    x.username = p->second.username;
    x.display_name = p->second.display_name;
    x.email = p->second.email;
    known.emplace_back(has_state, std::move(x));
  }
  std::sort(known.begin(), known.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.state, a.second.username) < std::tie(b.first, b.second.state, b.second.username);
  });
  std::vector<ContactRow> out;
  for (auto& [_, x] : known) {
    if (limit >= 0 && static_cast<std::int64_t>(out.size()) >= limit) break;
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<EventRow> HotlineStore::events(C& c, std::int64_t id) {
  std::vector<EventRow> out;
  for (const auto& r :
       c.query("SELECT at, kind, state, actor, detail FROM comm_events WHERE comm_id = ? ORDER BY id", {id}))
    out.push_back({r.integer("at"), r.text("kind"), r.text("state"), r.text("actor"), r.text("detail")});
  return out;
}

std::vector<AttachmentRow> HotlineStore::attachments(C& c, std::int64_t id) {
  std::vector<AttachmentRow> out;
  for (const auto& r : c.query("SELECT a.sha256, a.filename, b.media_type, b.size FROM comm_attachments a "
                               "JOIN attachment_blobs b ON b.sha256 = a.sha256 WHERE a.comm_id = ? ORDER BY a.filename",
                               {id}))
    out.push_back({r.text("sha256"), r.text("filename"), r.text("media_type"), r.integer("size")});
  return out;
}

Access HotlineStore::access(C& c, const CommRow& r) {
  Access a{r.sender_user, r.sender_state, r.forum, r.tlp, {}, {}, {}, members(c, r.forum)};
  for (const auto& row : c.query("SELECT state FROM comm_recipients WHERE comm_id = ?", {r.id}))
    a.states.push_back(row.text("state"));
  for (const auto& row : c.query("SELECT user_id, reason FROM comm_contacts WHERE comm_id = ? ORDER BY user_id", {r.id})) {
    if (row.text("reason") == "named") a.named.push_back(row.integer("user_id"));
    a.people.push_back(row.integer("user_id"));
  }
  return a;
}

void HotlineStore::add_event(C& c, std::int64_t id, std::int64_t at, const std::string& kind, const std::string& state,
                             const std::string& actor, const std::string& detail) {
  c.execute_later("INSERT INTO comm_events (comm_id, at, kind, state, actor, detail) VALUES (?, ?, ?, ?, ?, ?)",
                  {id, at, kind, text_or_null(state), text_or_null(actor), text_or_null(detail)});
}

void HotlineStore::add_contacts(C& c, std::int64_t id, const std::vector<Person>& people, const std::string& reason,
                                int level, std::int64_t at) {
  for (std::size_t i = 0; i < people.size(); i += 400) {
    const std::size_t n = std::min<std::size_t>(400, people.size() - i);
    std::string sql = "INSERT INTO comm_contacts (comm_id, user_id, state, reason, escalation_level, notified_at) VALUES ";
    storage::Params params;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& p = people[i + k];
      sql += k ? ",(?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
      params.insert(params.end(), {id, p.user_id, text_or_null(p.state), reason, static_cast<std::int64_t>(level), at});
    }
    c.execute_later(sql + " ON CONFLICT (comm_id, user_id) DO NOTHING", params);
  }
}

void HotlineStore::add_recipients(C& c, std::int64_t id, const std::vector<NewRecipient>& states) {
  for (std::size_t i = 0; i < states.size(); i += 200) {
    const std::size_t n = std::min<std::size_t>(200, states.size() - i);
    std::string sql =
        "INSERT INTO comm_recipients (comm_id, state, ack_deadline_at, next_escalation_at, no_valid_contact) VALUES ";
    storage::Params params;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& s = states[i + k];
      sql += k ? ",(?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
      params.insert(params.end(), {id, s.state, opt(s.ack_deadline_at), opt(s.next_escalation_at),
                                   std::int64_t{s.no_valid_contact ? 1 : 0}});
    }
    c.execute_later(sql, params);
  }
}

// People and membership are auth's and the directory's (auth/people.h,
// directory/membership.h); the hotline's Person is the part it uses.
namespace {
Person person_of(const auth::people::Person& p) {
  return {p.id, p.username, p.display_name, p.email, p.role, p.state, p.forum};
}
std::vector<Person> persons_of(const std::vector<auth::people::Person>& people) {
  std::vector<Person> out;
  for (const auto& p : people) out.push_back(person_of(p));
  return out;
}
}  // namespace

std::vector<Person> HotlineStore::people(C& c, const std::string& state, const std::string& role) {
  return persons_of(auth::people::active_in_state(c, state, role));
}

std::vector<Person> HotlineStore::secretariat(C& c, const std::string& forum) {
  return persons_of(auth::people::active_in_forum(c, forum, "secretariat"));
}

std::optional<Person> HotlineStore::person(C& c, const std::string& username) {
  const auto p = auth::people::by_username(c, username);
  if (!p || p->disabled) return std::nullopt;
  return person_of(*p);
}

std::optional<Person> HotlineStore::person(C& c, std::int64_t user_id) {
  const auto p = auth::people::by_id(c, user_id);
  if (!p) return std::nullopt;
  return person_of(*p);
}

std::optional<std::string> HotlineStore::state_name(C& c, const std::string& alpha3) {
  return directory::membership::state_name(c, alpha3);
}

bool HotlineStore::forum_exists(C& c, const std::string& code) { return directory::membership::forum_exists(c, code); }

std::vector<std::string> HotlineStore::members(C& c, const std::string& forum) {
  return directory::membership::member_states(c, forum);
}

bool HotlineStore::is_member(C& c, const std::string& forum, const std::string& state) {
  return directory::membership::is_member(c, forum, state);
}

}  // namespace parley::hotline
