#include "hotline/hotline_service.h"
#include "common/json_values.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "auth/people.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "directory/membership.h"
#include "exchange/tlp.h"
#include "hotline/attachment_store.h"
#include "hotline/course_store.h"
#include "hotline/list_store.h"
#include "hotline/policy_store.h"
#include "hotline/receipt_store.h"
#include "storage/journal.h"
#include "storage/ledger_refs.h"

namespace parley::hotline {

using auth::Principal;
using auth::Role;
using nlohmann::json;
using storage::Connection;
using storage::opt;

namespace {


bool state_person(Role r) { return r == Role::kFocalPoint || r == Role::kPointOfContact || r == Role::kObserver; }

std::string type_label(const std::string& type) {
  if (type == "notification") return "Notification of an ICT incident";
  if (type == "request_for_information") return "Request for information";
  if (type == "request_for_assistance") return "Request for assistance";
  if (type == "request_for_consultation") return "Request for consultation";
  if (type == "reply") return "Reply";
  if (type == "note_verbale") return "Note verbale";
  return "Communication check";
}

bool mail_may_carry_content(const std::string& tlp) { return tlp == "TLP:CLEAR" || tlp == "TLP:GREEN"; }

// A communication row from a person's input, sent now and announced by the caller
// right after the commit.
CommRow row_from(const Principal& who, const CommunicationInput& in, std::int64_t now) {
  CommRow row;
  row.sender_user = who.user_id;
  row.sender_username = who.username;
  row.sender_name = who.display_name.empty() ? who.username : who.display_name;
  row.sender_state = who.is(Role::kSecretariat) ? "" : who.state;
  row.subject = in.subject;
  row.description = in.description;
  row.severity = in.severity;
  row.tlp = in.tlp;
  row.sector = in.sector.value_or("");
  row.incident_started_at = in.incident_started_at;
  row.incident_detected_at = in.incident_detected_at;
  row.requested_action = in.requested_action.value_or("");
  row.respond_by = in.respond_by;
  row.language = in.language;
  row.stix_refs = in.stix_refs;
  row.created_at = now;
  row.announced_at = now;
  return row;
}

Problem not_found(std::int64_t id) { return Problem::not_found("No communication " + std::to_string(id) + "."); }

std::string utf8_prefix(const std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

HotlineService::HotlineService(storage::Database& db, EventSink& events, TimeSource& time, mail::MailConfig mail,
                               HotlineConfig config)
    : db_(db), events_(events), time_(time), mail_(std::move(mail)), config_(config) {}

// --- reading -----------------------------------------------------------------

HotlineService::Visible HotlineService::load_visible(Connection& c, const Principal& who, std::int64_t id) {
  auto row = HotlineStore::comm(c, id);
  if (!row) throw not_found(id);
  auto access = HotlineStore::access(c, *row);
  if (!access.can_see(Viewer::of(who))) throw not_found(id);
  return {std::move(*row), std::move(access)};
}

json HotlineService::render(Connection& c, const CommRow& r, const Viewer& v, bool full) {
  return render(c, r, HotlineStore::access(c, r), v, full);
}

json HotlineService::render(Connection& c, const CommRow& r, const Access& access, const Viewer& v, bool full) {
  json j = json::object();
  j["id"] = r.id;
  j["thread_id"] = r.thread_id;
  j["in_reply_to"] = r.in_reply_to ? json(*r.in_reply_to) : json(nullptr);
  j["forum"] = r.forum;
  j["type"] = r.type;
  j["contact_kind"] = r.contact_kind;
  j["subject"] = r.subject;
  if (r.type == "note_verbale") {   // a note verbale is not an incident: no severity
    j["severity"] = nullptr;
    j["severity_name"] = nullptr;
  } else {
    j["severity"] = r.severity;
    j["severity_name"] = kSeverityNames[static_cast<std::size_t>(std::clamp(r.severity, 0, 5))];
  }
  j["tlp"] = r.tlp;
  j["sector"] = r.sector.empty() ? json(nullptr) : json(r.sector);
  j["language"] = r.language;
  j["sender"] = {{"state", r.sender_state.empty() ? json(nullptr) : json(r.sender_state)},
                 {"username", r.sender_username},
                 {"name", r.sender_name}};
  j["created_at"] = json_time(r.created_at);
  j["ack_deadline_at"] = json_time(r.ack_deadline_at);
  j["respond_by"] = json_time(r.respond_by);
  j["check_id"] = r.check_id ? json(*r.check_id) : json(nullptr);
  j["closed_at"] = json_time(r.closed_at);
  j["closed_by"] = r.closed_by.empty() ? json(nullptr) : json(r.closed_by);

  const auto recipients = HotlineStore::recipients(c, r.id);
  json rec = json::array();
  std::size_t stage = recipients.empty() ? 0 : 4;
  std::optional<std::int64_t> my_state_ack;
  for (const auto& x : recipients) {
    rec.push_back({{"state", x.state},
                   {"name", x.state_name},
                   {"delivered_at", json_time(x.delivered_at)},
                   {"acknowledged_at", json_time(x.acked_at)},
                   {"acknowledged_by", x.acked_by.empty() ? json(nullptr) : json(x.acked_by)},
                   {"answered_at", json_time(x.answered_at)},
                   {"escalation_level", x.escalation_level},
                   {"next_escalation_at", json_time(x.next_escalation_at)},
                   {"ack_deadline_at", json_time(x.ack_deadline_at)},
                   {"people", x.people},
                   {"no_valid_contact", x.no_valid_contact}});
    const std::size_t s = x.answered_at ? 3 : x.acked_at ? 2 : x.delivered_at ? 1 : 0;
    stage = std::min(stage, s);
    if (x.state == v.state) my_state_ack = x.acked_at;
  }
  j["recipients"] = std::move(rec);
  j["status"] = r.closed_at ? "closed" : kStages[stage];

  const bool receives = access.receives(v);
  std::optional<std::int64_t> my_ack = my_state_ack;
  if (r.type == "check") {
    my_ack.reset();
    if (const auto ack = ReceiptStore::person_ack(c, r.id, v.user_id)) my_ack = *ack;
  }
  const bool read = ReceiptStore::has_read(c, r.id, v.user_id);
  const bool sender_side = (v.user_id != 0 && v.user_id == r.sender_user) ||
                           (state_person(v.role) && v.role != Role::kObserver && !v.state.empty() &&
                            v.state == r.sender_state);
  j["you"] = {{"recipient", receives},
              {"acknowledged_at", receives ? json_time(my_ack) : json(nullptr)},
              {"unread", receives && !read},
              {"can_acknowledge", receives && !my_ack && !r.closed_at},
              {"can_reply", !r.closed_at && (receives || sender_side)},
              {"can_close", !r.closed_at && (sender_side || (v.role == Role::kSecretariat && v.forum == r.forum))}};
  if (!full) return j;

  j["description"] = r.description;
  j["requested_action"] = r.requested_action.empty() ? json(nullptr) : json(r.requested_action);
  j["incident_started_at"] = json_time(r.incident_started_at);
  j["incident_detected_at"] = json_time(r.incident_detected_at);
  json named = json::array();
  auto named_ids = access.named;   // in account order, however the Access was built
  std::sort(named_ids.begin(), named_ids.end());
  for (const auto& p : auth::people::by_ids(c, named_ids)) named.push_back(p.username);
  json people = json::array();
  // A forum-wide communication reaches a thousand people; the per-state progress says
  // what matters, and the list stops at 200.
  j["people_total"] = HotlineStore::contact_count(c, r.id);
  for (const auto& k : HotlineStore::contacts(c, r.id, 200)) {
    people.push_back({{"username", k.username},
                      {"name", k.display_name},
                      {"state", k.state.empty() ? json(nullptr) : json(k.state)},
                      {"reason", k.reason},
                      {"escalation_level", k.escalation_level},
                      {"notified_at", json_time(k.notified_at)},
                      {"delivered_at", json_time(k.delivered_at)},
                      {"delivered_via", k.delivered_via.empty() ? json(nullptr) : json(k.delivered_via)},
                      {"emailed_at", json_time(k.emailed_at)},
                      {"acknowledged_at", json_time(k.acked_at)}});
  }
  j["recipient_contacts"] = std::move(named);
  j["people"] = std::move(people);
  json atts = json::array();
  for (const auto& a : HotlineStore::attachments(c, r.id))
    atts.push_back({{"sha256", a.sha256}, {"filename", a.filename}, {"media_type", a.media_type}, {"size", a.size}});
  j["attachments"] = std::move(atts);
  json refs = json::array();
  for (const auto& ref : ReceiptStore::stix_refs(c, r.id)) refs.push_back(ref);
  j["stix_refs"] = std::move(refs);
  json life = json::array();
  for (const auto& e : HotlineStore::events(c, r.id))
    life.push_back({{"at", json_time(e.at)},
                    {"kind", e.kind},
                    {"state", e.state.empty() ? json(nullptr) : json(e.state)},
                    {"actor", e.actor.empty() ? json(nullptr) : json(e.actor)},
                    {"detail", e.detail.empty() ? json(nullptr) : json(e.detail)}});
  j["lifecycle"] = std::move(life);
  return j;
}

json HotlineService::get(const Principal& who, std::int64_t id) {
  const Viewer v = Viewer::of(who);
  // A recipient's first read records delivery (if the stream did not) and clears
  // "unread"; every other read is one read transaction.
  struct Read {
    json body;
    bool pending;
  };
  auto first = db_.read([&](Connection& c) {
    const auto [row, access] = load_visible(c, who, id);
    const bool pending =
        access.receives(v) && !ReceiptStore::has_read(c, id, v.user_id);
    return Read{pending ? json() : render(c, row, access, v, true), pending};
  });
  if (!first.pending) return std::move(first.body);
  const auto now = time_.now_ms();
  const auto delivered = db_.write([&](Connection& c) -> std::optional<Access> {
    ReceiptStore::mark_read(c, id, v.user_id, now);
    ReceiptStore::delivered_to_person(c, id, v.user_id, now);
    if (who.state.empty() || !ReceiptStore::delivered_to_state(c, id, who.state, now)) return std::nullopt;
    HotlineStore::add_event(c, id, now, "delivered", who.state, who.actor(), "read through the API");
    storage::Journal::append(c, who.actor(), "communication.deliver", "communication:" + std::to_string(id),
                             {{"states", json::array({who.state})}, {"via", "api"}});
    return HotlineStore::access(c, *HotlineStore::comm(c, id));
  });
  if (delivered) {
    json data = {{"id", id}, {"stage", "delivered"}, {"state", who.state}};
    publish(*delivered, "hotline.communication.updated", std::move(data));
  }
  return db_.read([&](Connection& c) {
    const auto [row, access] = load_visible(c, who, id);
    return render(c, row, access, v, true);
  });
}

json HotlineService::list(const Principal& who, const CommQuery& q) {
  const Viewer v = Viewer::of(who);
  ListViewer lv;
  lv.user_id = v.user_id;
  lv.state = who.state;
  lv.forum = who.forum;
  if (v.role == Role::kSecretariat) {
    lv.kind = ListViewer::Kind::kSecretariat;
  } else if (state_person(v.role) && !who.state.empty()) {
    lv.kind = ListViewer::Kind::kStatePerson;
    lv.overseer = v.role != Role::kPointOfContact;
    lv.focal_point = v.role == Role::kFocalPoint;
  }
  return db_.read([&](Connection& c) {
    // The state's forums are the directory's (directory/membership.h), read in the same
    // snapshot as the list.
    if (lv.kind == ListViewer::Kind::kStatePerson) lv.state_forums = directory::membership::forums_of(c, who.state);
    const auto page = ListStore::list(c, lv, q);
    json out = json::object();
    json items = json::array();
    for (const auto id : page.ids) items.push_back(render(c, *HotlineStore::comm(c, id), v, false));
    out["items"] = std::move(items);
    out["total"] = page.total;
    out["limit"] = q.limit;
    out["offset"] = q.offset;
    out["unread"] = page.unread;
    out["unacknowledged"] = page.unacknowledged;
    return out;
  });
}

// --- sending -----------------------------------------------------------------

std::int64_t HotlineService::insert(Connection& c, const Principal* who, CommRow& row, const Addressed& to,
                                    const std::vector<AttachmentRef>& attachments, const std::string& actor,
                                    const Policy* given_policy, bool* mailed) {
  const auto policy = given_policy ? *given_policy : policy_of(c, row.forum);
  const bool escalates = row.type != "check" || policy.escalate_checks;
  const std::int64_t allowed = policy.ack_deadline_minutes(row.type, row.severity) * 60'000LL;
  // Each state's deadline counts from when its first recipient contact is available.
  std::vector<NewRecipient> recipients;
  row.ack_deadline_at.reset();
  for (const auto& state : to.states) {
    const auto it = to.opens_at.find(state);
    const std::int64_t opens = it == to.opens_at.end() ? row.created_at : std::max(it->second, row.created_at);
    NewRecipient n;
    n.state = state;
    n.ack_deadline_at = opens + allowed;
    if (escalates) n.next_escalation_at = n.ack_deadline_at;
    n.no_valid_contact = std::find(to.unreachable.begin(), to.unreachable.end(), state) != to.unreachable.end();
    if (!row.ack_deadline_at || *n.ack_deadline_at < *row.ack_deadline_at) row.ack_deadline_at = n.ack_deadline_at;
    recipients.push_back(std::move(n));
  }
  row.id = HotlineStore::insert_comm(c, row);
  if (row.thread_id == 0) row.thread_id = row.id;
  HotlineStore::add_recipients(c, row.id, recipients);
  HotlineStore::add_contacts(c, row.id, to.people, to.named ? "named" : "recipient", 0, row.created_at);
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const auto& a = attachments[i];
    if (!who || !AttachmentStore::uploaded_by(c, a.sha256, who->user_id)) {
      errors.push_back({"attachments." + std::to_string(i) + ".sha256",
                        "is not an attachment you uploaded (POST /api/v1/attachments first)"});
      continue;
    }
    AttachmentStore::attach(c, row.id, a.sha256, a.filename);
  }
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  ReceiptStore::add_stix_refs(c, row.id, row.stix_refs);
  std::string list;
  for (const auto& x : to.states) list += (list.empty() ? "" : ", ") + x;
  HotlineStore::add_event(c, row.id, row.created_at, "sent", row.sender_state, actor,
                          to.states.empty() ? ""
                                            : "to " + list + (row.contact_kind == "all" || to.named
                                                                  ? std::string()
                                                                  : ", " + row.contact_kind + " contacts"));
  // Availability: a state none of whose recipients is available yet.
  for (const auto& r : recipients) {
    const auto it = to.opens_at.find(r.state);
    if (it != to.opens_at.end() && it->second > row.created_at)
      HotlineStore::add_event(c, row.id, row.created_at, "awaiting_availability", r.state, "system",
                              "no recipient contact is available before " + rfc3339_from_ms(it->second) +
                                  "; the deadline counts from then");
  }
  bool queued = false;
  const std::string kind_text = row.contact_kind == "all" ? "" : row.contact_kind + " ";
  for (const auto& state : to.unreachable) {
    const std::string why = "no valid " + kind_text + "contact with an account in the directory";
    HotlineStore::add_event(c, row.id, row.created_at, "no_valid_contact", state, "system", why);
    queued |= tell_focal_points(
        c, row, state, "No valid " + kind_text + "point of contact of " + state + " for communication " + std::to_string(row.id),
        "Communication " + std::to_string(row.id) + " (" + type_label(row.type) + ", forum " + row.forum +
            ") was addressed to the " + kind_text + "points of contact of " + state + ", but " + state +
            " has " + why + ".\nNobody of " + state +
            " received it as a point of contact. Please update the directory; the communication is escalated at its "
            "deadline.\n");
  }
  for (const auto& a : to.expired) {
    const std::string why = a.contact_name + " (" + a.person.username + ") missed it: the directory entry expired on " +
                            a.valid_until;
    HotlineStore::add_event(c, row.id, row.created_at, "contact_expired", a.person.state, "system", why);
    queued |= tell_focal_points(
        c, row, a.person.state, "Expired point of contact missed communication " + std::to_string(row.id),
        "Communication " + std::to_string(row.id) + " (" + type_label(row.type) + ", forum " + row.forum + ") did not go to " +
            a.contact_name + " (" + a.agency + ") because the directory entry of this " + a.kind +
            " point of contact expired on " + a.valid_until +
            ".\nPlease reconfirm or replace the entry in the directory.\n");
  }
  if (mailed) *mailed = queued;
  json change = json::object();
  change["type"] = row.type;
  change["forum"] = row.forum;
  change["contact_kind"] = row.contact_kind;
  change["sender_state"] = row.sender_state.empty() ? json(nullptr) : json(row.sender_state);
  change["recipients"] = to.states;
  change["tlp"] = row.tlp;
  change["severity"] = row.severity;
  change["thread_id"] = row.thread_id;
  change["in_reply_to"] = row.in_reply_to ? json(*row.in_reply_to) : json(nullptr);
  if (!to.unreachable.empty()) change["no_valid_contact"] = to.unreachable;
  if (!to.expired.empty()) {
    change["expired_contacts"] = json::array();
    for (const auto& a : to.expired) change["expired_contacts"].push_back(a.contact_id);
  }
  // The content is not in the journal (which outlives access rules); its digest lets
  // any party prove which text was sent.
  change["content_sha256"] = crypto::sha256_hex(row.subject + "\n" + row.description);
  storage::Journal::append(c, actor, "communication.send", "communication:" + std::to_string(row.id), change);
  return row.id;
}

bool HotlineService::tell_focal_points(Connection& c, const CommRow& r, const std::string& state,
                                       const std::string& subject, const std::string& body) {
  if (!mail_.enabled()) return false;
  bool any = false;
  for (const auto& p : HotlineStore::people(c, state, "focal_point")) {
    if (p.email.empty()) continue;
    mail::Mail m;
    m.to = p.email;
    m.subject = "[Parley] " + subject;
    m.body = body + "\nOpen it: " + mail_.public_url + "/#/hotline/" + std::to_string(r.id) + "\n";
    mail::Outbox::enqueue(c, m, r.created_at);
    any = true;
  }
  return any;
}

json HotlineService::send(const Principal& who, const CommunicationInput& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kPointOfContact, Role::kSecretariat}, "send communications");
  if (in.type == "reply") return reply(who, *in.in_reply_to, in);
  const auto now = time_.now_ms();
  // Recipients, forum and people are resolved in a read transaction, so that the write
  // (serialised, group-committed) does nothing but insert.
  struct Plan {
    std::string forum;
    Addressed to;
    Policy policy;   // the forum's deadlines as of the send (read here, not in the write)
    // The forum's members, for the announcement's audience (read here too: a round trip
    // less on the writer, whose connection every send waits for; the stream only says
    // that something happened, and whoever fetches it is checked again).
    std::vector<std::string> members;
  };
  const auto plan = db_.read([&](Connection& c) {
    std::vector<FieldError> errors;
    std::vector<std::string> states;
    std::string forum_named;
    for (std::size_t i = 0; i < in.recipients.size(); ++i) {
      const auto& code = in.recipients[i];
      const auto field = "recipients." + std::to_string(i);
      if (code.size() == 3 && HotlineStore::state_name(c, code)) {
        if (code == who.state) errors.push_back({field, "is your own state"});
        else states.push_back(code);
      } else if (HotlineStore::forum_exists(c, code)) {
        if (!forum_named.empty()) errors.push_back({field, "is a second forum; address one forum at a time"});
        forum_named = code;
      } else {
        errors.push_back({field, "is not a known state or forum"});
      }
    }
    std::string forum;
    if (in.forum) {
      if (!HotlineStore::forum_exists(c, *in.forum)) errors.push_back({"forum", "is not a known forum"});
      else if (!forum_named.empty() && forum_named != *in.forum)
        errors.push_back({"forum", "differs from the forum named in recipients"});
      forum = *in.forum;
    } else if (!forum_named.empty()) {
      forum = forum_named;
    } else if (who.is(Role::kSecretariat)) {
      forum = who.forum;
    } else if (errors.empty()) {
      for (const auto& f : directory::membership::forums_of(c, who.state)) {
        if (std::all_of(states.begin(), states.end(), [&](const auto& s) { return HotlineStore::is_member(c, f, s); })) {
          forum = f;
          break;
        }
      }
      if (forum.empty())
        errors.push_back({"recipients", "have no forum in common with " + who.state + "; name the forum with `forum`"});
    }
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    if (who.is(Role::kSecretariat) && forum != who.forum)
      throw Problem::forbidden("A secretariat sends communications for its own forum only.");
    // The forum's members, read once: for the checks below and the announcement's audience.
    auto members = HotlineStore::members(c, forum);
    const auto member = [&members](const std::string& s) { return std::find(members.begin(), members.end(), s) != members.end(); };
    if (!who.is(Role::kSecretariat) && !member(who.state))
      throw Problem::invalid("forum", who.state + " is not a member of " + forum);
    if (!forum_named.empty())
      for (const auto& m : members)
        if (m != who.state && std::find(states.begin(), states.end(), m) == states.end()) states.push_back(m);
    for (std::size_t i = 0; i < states.size(); ++i)
      if (!member(states[i])) errors.push_back({"recipients", states[i] + " is not a member of " + forum});
    if (states.empty()) errors.push_back({"recipients", "name no state other than your own"});
    // Named people: directory contacts with accounts, of a recipient state, valid today.
    std::vector<Addressee> named;
    const std::size_t n_named = in.recipient_contact_ids.size() + in.recipient_contacts.size();
    for (std::size_t i = 0; i < n_named; ++i) {
      const bool by_id = i < in.recipient_contact_ids.size();
      const auto a = by_id ? Addressing::by_contact(c, in.recipient_contact_ids[i])
                           : Addressing::by_username(c, in.recipient_contacts[i - in.recipient_contact_ids.size()]);
      const auto field = "recipient_contacts." + std::to_string(i);
      if (!a || std::find(states.begin(), states.end(), a->person.state) == states.end()) {
        errors.push_back({field, "is not a directory contact with an account of a recipient state"});
      } else if (a->expired_on(now)) {
        errors.push_back({field, "is " + a->contact_name + ", whose directory entry expired on " + a->valid_until});
      } else if (!a->valid_on(now)) {
        errors.push_back({field, "is " + a->contact_name + ", who is not an active, valid contact today"});
      } else if (std::none_of(named.begin(), named.end(), [&](const Addressee& x) { return x.person.user_id == a->person.user_id; })) {
        named.push_back(*a);
      }
    }
    if (in.tlp == "TLP:RED" && n_named == 0)
      errors.push_back({"recipient_contacts", "is required for TLP:RED, which is for named people only"});
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    Addressed to;
    if (!named.empty()) {
      to.states = states;
      to.named = true;
      for (const auto& s : states) {
        std::vector<Addressee> of_state;
        for (const auto& a : named)
          if (a.person.state == s) of_state.push_back(a);
        to.opens_at[s] = Addressing::first_available(of_state, now);
      }
      for (const auto& a : named) to.people.push_back(a.person);
    } else {
      to = Addressing::resolve(c, states, in.contact_kind, now);
    }
    return Plan{forum, std::move(to), policy_of(c, forum), std::move(members)};
  });

  CommRow row = row_from(who, in, now);   // announced below, right after commit
  row.forum = plan.forum;
  row.type = in.type;
  row.contact_kind = in.contact_kind;
  bool mailed = false;
  row.id = db_.write([&](Connection& c) {
    return insert(c, &who, row, plan.to, in.attachments, who.actor(), &plan.policy, &mailed);
  });
  if (mailed && on_mail_) on_mail_();
  // What announce() needs is known without reading it back (insert() completed `row`).
  Access access{who.user_id, row.sender_state, row.forum, row.tlp, plan.to.states, {}, {}, plan.members};
  for (const auto& p : plan.to.people) {
    if (plan.to.named) access.named.push_back(p.user_id);
    access.people.push_back(p.user_id);
  }
  std::sort(access.people.begin(), access.people.end());
  announce(row, access);
  // What get() would answer (the sender is never on the receiving side, so reading it
  // records nothing), without reading back the row and access known here.
  return db_.read([&](Connection& c) { return render(c, row, access, Viewer::of(who), true); });
}

json HotlineService::reply(const Principal& who, std::int64_t parent_id, CommunicationInput in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kPointOfContact, Role::kSecretariat}, "reply to communications");
  const auto now = time_.now_ms();
  const Viewer v = Viewer::of(who);
  std::optional<Access> parent_access;
  std::string answered_state;
  bool mailed = false;
  const auto id = db_.write([&](Connection& c) {
    const auto [parent, access] = load_visible(c, who, parent_id);
    if (parent.closed_at)
      throw Problem::conflict("Communication " + std::to_string(parent_id) +
                              " belongs to a closed thread; no reply can be added.");
    const bool sender_side = who.user_id == parent.sender_user ||
                             (!who.is(Role::kSecretariat) && !who.state.empty() && who.state == parent.sender_state) ||
                             (who.is(Role::kSecretariat) && parent.sender_state.empty() && who.forum == parent.forum);
    std::vector<std::string> to;
    if (sender_side) to = access.states;
    else if (access.receives(v)) {
      if (!parent.sender_state.empty()) to = {parent.sender_state};
    } else
      throw Problem::forbidden("Only the sender and the recipients of a communication reply to it.");
    if (!in.recipients.empty()) {
      std::vector<FieldError> errors;
      for (std::size_t i = 0; i < in.recipients.size(); ++i)
        if (std::find(to.begin(), to.end(), in.recipients[i]) == to.end())
          errors.push_back({"recipients." + std::to_string(i), "is not the other party of this thread"});
      if (!errors.empty()) throw Problem::invalid(std::move(errors));
      to = in.recipients;
    }
    CommRow row = row_from(who, in, now);
    row.thread_id = parent.thread_id;
    row.in_reply_to = parent.id;
    row.forum = parent.forum;
    row.type = "reply";
    // What the reply leaves out is the original's, but only content the reply's own
    // audience may read: a reply at a less restrictive TLP than the communication it
    // answers reaches people the original did not (focal points, the secretariat), so
    // it carries none of the original's words (subject, sector), only its number.
    if (in.tlp.empty()) row.tlp = parent.tlp;
    const auto rank = [](const std::string& label) {
      return static_cast<int>(exchange::tlp_from_label(label).value_or(exchange::Tlp::kRed));
    };
    const bool as_restricted = rank(row.tlp) >= rank(parent.tlp);
    if (in.subject.empty())
      row.subject = as_restricted ? utf8_prefix("Re: " + parent.subject, 300)
                                  : "Reply to communication " + std::to_string(parent.id);
    if (in.severity < 0) row.severity = parent.severity;
    if (!in.sector && as_restricted) row.sector = parent.sector;
    row.contact_kind = parent.contact_kind;
    Addressed addressed;
    if (row.tlp == "TLP:RED") {
      // Back to the named people of the other side only.
      addressed.states = to;
      addressed.named = true;
      if (sender_side) {
        for (const auto& k : HotlineStore::contacts(c, parent.id))
          if (k.reason == "named")
            if (auto p = HotlineStore::person(c, k.user_id)) addressed.people.push_back(*p);
      } else if (parent.sender_user) {
        if (auto p = HotlineStore::person(c, parent.sender_user)) addressed.people.push_back(*p);
      }
      if (addressed.people.empty())
        throw Problem::invalid("tlp", "TLP:RED needs a named person on the other side; this thread has none");
    } else {
      // The other side's contacts of the thread's kind; an answer also goes back to the
      // person who sent the original.
      addressed = Addressing::resolve(c, to, parent.contact_kind, now);
      if (!sender_side && parent.sender_user) {
        auto p = HotlineStore::person(c, parent.sender_user);
        const auto account = auth::people::by_id(c, parent.sender_user);
        const bool active = account && !account->disabled;
        if (p && active && p->state == parent.sender_state &&
            std::none_of(addressed.people.begin(), addressed.people.end(),
                         [&](const Person& x) { return x.user_id == p->user_id; })) {
          addressed.people.push_back(*p);
          addressed.opens_at[p->state] = now;
          addressed.unreachable.erase(
              std::remove(addressed.unreachable.begin(), addressed.unreachable.end(), p->state),
              addressed.unreachable.end());
        }
      }
    }
    bool mailed_notice = false;
    const auto id = insert(c, &who, row, addressed, in.attachments, who.actor(), nullptr, &mailed_notice);
    if (mailed_notice) mailed = true;
    if (!sender_side && ReceiptStore::answered(c, parent.id, who.state, who.username, now)) {
      HotlineStore::add_event(c, parent.id, now, "answered", who.state, who.actor(), "reply " + std::to_string(id));
      const auto e = storage::Journal::append(c, who.actor(), "communication.answer",
                                              "communication:" + std::to_string(parent.id),
                                              {{"state", who.state}, {"reply", id}});
      // The answer is also part of the reply's record (storage/ledger_refs.h).
      storage::ledger_refs::add(c, "communication:" + std::to_string(id), e.seq);
      answered_state = who.state;
      parent_access = access;
    }
    return id;
  });
  if (mailed && on_mail_) on_mail_();
  announce(id);
  if (parent_access) publish(*parent_access, "hotline.communication.updated",
                             {{"id", parent_id}, {"stage", "answered"}, {"state", answered_state}, {"reply", id}});
  return get(who, id);
}

json HotlineService::acknowledge(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  const Viewer v = Viewer::of(who);
  const auto access = db_.write([&](Connection& c) {
    const auto [row, access] = load_visible(c, who, id);
    if (!access.receives(v) || !access.is_recipient_state(who.state))
      throw Problem::forbidden("Only a point of contact or focal point of a recipient state acknowledges a communication.");
    if (row.closed_at) throw Problem::conflict("Communication " + std::to_string(id) + " is closed.");
    const auto rec = ReceiptStore::state_ack(c, id, who.state);
    const auto contact = ReceiptStore::person_ack(c, id, who.user_id);
    if (row.type == "check") {
      if (contact && *contact)
        throw Problem::conflict("You acknowledged this check at " + rfc3339_from_ms(**contact) + ".");
    } else if (rec && rec->acked_at) {
      throw Problem::conflict("Communication " + std::to_string(id) + " was already acknowledged for " + who.state +
                              " by " + rec->acked_by + " at " + rfc3339_from_ms(*rec->acked_at) + ".");
    }
    ReceiptStore::acknowledge(c, id, who.user_id, who.username, who.state, contact.has_value(), now);
    HotlineStore::add_event(c, id, now, "acknowledged", who.state, who.actor(), "");
    storage::Journal::append(c, who.actor(), "communication.acknowledge", "communication:" + std::to_string(id),
                             {{"state", who.state}});
    return access;
  });
  publish(access, "hotline.communication.updated",
          {{"id", id}, {"stage", "acknowledged"}, {"state", who.state}, {"by", who.username}});
  return get(who, id);
}

json HotlineService::close(const Principal& who, std::int64_t id, const std::string& note) {
  const auto now = time_.now_ms();
  const auto access = db_.write([&](Connection& c) {
    const auto [row, access] = load_visible(c, who, id);
    const bool sender_side = who.user_id == row.sender_user ||
                             ((who.is(Role::kPointOfContact) || who.is(Role::kFocalPoint)) && who.state == row.sender_state);
    if (!sender_side && !(who.is(Role::kSecretariat) && who.forum == row.forum))
      throw Problem::forbidden("A thread is closed by its sender's state or by the forum's secretariat.");
    if (row.closed_at) throw Problem::conflict("Communication " + std::to_string(id) + " is already closed.");
    CourseStore::close_thread(c, row.thread_id, who.username, now);
    HotlineStore::add_event(c, id, now, "closed", who.is(Role::kSecretariat) ? "" : who.state, who.actor(), note);
    storage::Journal::append(c, who.actor(), "communication.close", "communication:" + std::to_string(id),
                             {{"thread_id", row.thread_id}, {"note", note}});
    return access;
  });
  publish(access, "hotline.communication.updated", {{"id", id}, {"stage", "closed"}});
  return get(who, id);
}

// --- delivery ----------------------------------------------------------------

void HotlineService::publish(const Access& access, const std::string& type, json data, Audience audience,
                             std::vector<std::int64_t> also_users, std::function<void(const Subscriber&)> reached) {
  Event e;
  e.type = type;
  e.data = std::move(data);
  auto a = std::make_shared<const Access>(access);
  auto also = std::make_shared<const std::vector<std::int64_t>>(std::move(also_users));
  e.audience = [a, also, audience](const Subscriber& s) {
    const auto v = Viewer::of(s);
    if (audience == Audience::kSendingSide && a->receives(v)) return false;
    return a->can_see(v) || std::find(also->begin(), also->end(), s.user_id) != also->end();
  };
  // The same audience as data, for the other instances' streams.
  e.audience_kind = "hotline.access";
  e.audience_args = audience_args(access, audience == Audience::kSendingSide, *also);
  if (reached && e.type == "hotline.communication.sent") {
    e.delivery_kind = "hotline.sent";
    e.delivery_args = {{"id", e.data.value("id", std::int64_t{0})}};
  }
  e.on_sent = std::move(reached);
  events_.publish(e);
}

json HotlineService::audience_args(const Access& a, bool sending_side, const std::vector<std::int64_t>& also) {
  return {{"sender_user", a.sender_user}, {"sender_state", a.sender_state}, {"forum", a.forum}, {"tlp", a.tlp},
          {"states", a.states},           {"named", a.named},               {"people", a.people}, {"members", a.members},
          {"sending_side", sending_side}, {"also", also}};
}

std::function<bool(const Subscriber&)> HotlineService::audience_from(const json& j) {
  auto a = std::make_shared<Access>();
  a->sender_user = j.at("sender_user").get<std::int64_t>();
  a->sender_state = j.at("sender_state").get<std::string>();
  a->forum = j.at("forum").get<std::string>();
  a->tlp = j.at("tlp").get<std::string>();
  a->states = j.at("states").get<std::vector<std::string>>();
  a->named = j.at("named").get<std::vector<std::int64_t>>();
  a->people = j.at("people").get<std::vector<std::int64_t>>();
  a->members = j.at("members").get<std::vector<std::string>>();
  std::sort(a->people.begin(), a->people.end());     // binary_search in Access
  std::sort(a->members.begin(), a->members.end());
  const bool sending_side = j.at("sending_side").get<bool>();
  auto also = std::make_shared<const std::vector<std::int64_t>>(j.at("also").get<std::vector<std::int64_t>>());
  return [a, also, sending_side](const Subscriber& s) {
    const auto v = Viewer::of(s);
    if (sending_side && a->receives(v)) return false;
    return a->can_see(v) || std::find(also->begin(), also->end(), s.user_id) != also->end();
  };
}

void HotlineService::delivered_here(const json& args, const std::vector<Subscriber>& reached) {
  if (reached.empty()) return;
  const auto id = args.at("id").get<std::int64_t>();
  auto loaded = db_.read([&](Connection& c) -> std::optional<std::pair<CommRow, Access>> {
    auto row = HotlineStore::comm(c, id);
    if (!row) return std::nullopt;
    auto access = HotlineStore::access(c, *row);
    return std::make_pair(std::move(*row), std::move(access));
  });
  if (!loaded) return;
  PendingDelivery d{loaded->first, loaded->second, {}, {}, time_.now_ms()};
  d.mail_offline = false;
  std::set<std::int64_t> users;
  for (const auto& s : reached) {
    if (!d.access.receives(Viewer::of(s))) continue;
    if (users.insert(s.user_id).second) d.users.push_back(s.user_id);
    d.first_by_state.emplace(s.state, s.username);
  }
  if (d.users.empty()) return;
  std::lock_guard lock(deliveries_mu_);
  deliveries_.push_back(std::move(d));
}

void HotlineService::mail_people(Connection& c, const CommRow& r, const std::vector<ContactRow>& people,
                                 const std::string& why) {
  if (!mail_.enabled()) return;
  const auto now = time_.now_ms();
  const std::string from = r.sender_state.empty() ? r.forum + " secretariat" : r.sender_state;
  for (const auto& p : people) {
    if (p.email.empty()) continue;
    mail::Mail m;
    m.to = p.email;
    const bool graded = r.type != "note_verbale";   // a note verbale has no severity
    m.subject = "[Parley] " + why + type_label(r.type) + " from " + from +
                (graded ? ", severity " + std::to_string(r.severity) : std::string()) + ", " + r.tlp;
    std::string body = "A communication on Parley is waiting for you";
    body += p.state.empty() ? ".\n\n" : " (" + p.state + ").\n\n";
    body += "Number:    " + std::to_string(r.id) + "\nType:      " + type_label(r.type) + "\nFrom:      " + from +
            "\nForum:     " + r.forum +
            (graded ? "\nSeverity:  " + std::to_string(r.severity) + " (" +
                          kSeverityNames[static_cast<std::size_t>(std::clamp(r.severity, 0, 5))] + ")"
                    : std::string()) +
            "\nTLP:       " + r.tlp + "\n";
    // The person's own state's deadline (it follows that state's contacts' availability).
    std::optional<std::int64_t> deadline = r.ack_deadline_at;
    if (!p.state.empty())
      if (const auto own = ReceiptStore::state_deadline(c, r.id, p.state)) deadline = own;
    if (deadline) body += "Acknowledge by: " + rfc3339_from_ms(*deadline) + "\n";
    if (mail_may_carry_content(r.tlp)) body += "Subject:   " + r.subject + "\n";
    else body += "\nIts content is " + r.tlp + " and is never sent by e-mail: sign in to read it.\n";
    body += "\nOpen it: " + mail_.public_url + "/#/hotline/" + std::to_string(r.id) + "\n";
    m.body = std::move(body);
    mail::Outbox::enqueue(c, m, now);
    ReceiptStore::emailed(c, r.id, p.user_id, now);
  }
}

void HotlineService::announce(std::int64_t id) {
  auto loaded = db_.read([&](Connection& c) -> std::optional<std::pair<CommRow, Access>> {
    auto row = HotlineStore::comm(c, id);
    if (!row) return std::nullopt;
    auto access = HotlineStore::access(c, *row);
    return std::make_pair(std::move(*row), std::move(access));
  });
  if (loaded) announce(loaded->first, loaded->second);
}

void HotlineService::announce(const CommRow& row, const Access& access) {
  json data = json::object();
  data["id"] = row.id;
  data["thread_id"] = row.thread_id;
  data["in_reply_to"] = row.in_reply_to ? json(*row.in_reply_to) : json(nullptr);
  data["type"] = row.type;
  data["severity"] = row.severity;
  data["tlp"] = row.tlp;
  data["forum"] = row.forum;
  data["from"] = row.sender_state.empty() ? json(nullptr) : json(row.sender_state);
  data["check_id"] = row.check_id ? json(*row.check_id) : json(nullptr);
  std::vector<Subscriber> reached;
  std::mutex mu;
  publish(access, "hotline.communication.sent", std::move(data), Audience::kEveryone, {}, [&](const Subscriber& s) {
    if (!access.receives(Viewer::of(s))) return;
    std::lock_guard lock(mu);
    reached.push_back(s);
  });
  PendingDelivery d{row, access, {}, {}, time_.now_ms()};
  std::set<std::int64_t> users;
  for (const auto& s : reached) {
    if (users.insert(s.user_id).second) d.users.push_back(s.user_id);
    d.first_by_state.emplace(s.state, s.username);
  }
  if (d.users.empty() && !mail_.enabled()) return;   // nothing to record
  // Recorded by the scheduler's next pass (within 250 ms), not here: the thousand
  // frames of a forum-wide event go out first, bookkeeping second. The timestamp is
  // the moment of delivery.
  std::lock_guard lock(deliveries_mu_);
  deliveries_.push_back(std::move(d));
}

int HotlineService::record_deliveries(bool all) {
  std::vector<PendingDelivery> batch;
  {
    std::lock_guard lock(deliveries_mu_);
    batch.swap(deliveries_);
    // With other instances, the e-mail to those this one did not reach waits until
    // theirs have recorded what they delivered (delivered_here), so nobody reached on
    // another instance's stream is e-mailed too.
    const auto grace = mail_grace_ ? mail_grace_() : 0;
    if (grace > 0 && mail_.enabled() && !all) {
      const auto due = std::chrono::steady_clock::now() - std::chrono::milliseconds(grace);
      for (auto it = batch.begin(); it != batch.end();) {
        if (it->mail_offline && it->seen > due) {
          deliveries_.push_back(std::move(*it));
          it = batch.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  for (const auto& d : batch) record_delivery(d);
  return static_cast<int>(batch.size());
}

void HotlineService::record_delivery(const PendingDelivery& d) {
  const auto id = d.row.id;
  const auto now = d.at;
  // Recipient people the stream did not reach are e-mailed (when a relay is configured).
  std::vector<ContactRow> offline;
  if (mail_.enabled() && d.mail_offline) {
    const std::set<std::int64_t> reached(d.users.begin(), d.users.end());
    for (const auto& k : db_.read([&](Connection& c) { return HotlineStore::contacts(c, id); }))
      if (!k.delivered_at && !k.emailed_at && !reached.count(k.user_id)) offline.push_back(k);
  }
  if (d.users.empty() && offline.empty()) return;   // nothing to record: no write at all
  // One statement per 500 people and one per state, however many were reached.
  const auto delivered = db_.write([&](Connection& c) {
    ReceiptStore::delivered_on_stream(c, id, d.users, now);
    std::vector<std::string> states;
    for (const auto& [state, username] : d.first_by_state) {
      if (ReceiptStore::delivered_to_state(c, id, state, now)) {
        HotlineStore::add_event(c, id, now, "delivered", state, "user:" + username, "on the stream");
        states.push_back(state);
      }
    }
    if (!states.empty())
      storage::Journal::append(c, "system", "communication.deliver", "communication:" + std::to_string(id),
                               {{"states", states}, {"via", "stream"}});
    if (!offline.empty()) mail_people(c, d.row, offline, "");
    return states;
  });
  if (!offline.empty() && on_mail_) on_mail_();
  // One event for all the states reached, to the sending side: the recipients know they
  // have it (a forum-wide notification would otherwise echo to a thousand streams).
  if (!delivered.empty())
    publish(d.access, "hotline.communication.updated", {{"id", id}, {"stage", "delivered"}, {"states", delivered}},
            Audience::kSendingSide);
}

int HotlineService::announce_pending() {
  const auto ids = db_.read([](Connection& c) { return CourseStore::unannounced(c, 100); });
  int n = 0;
  for (const auto id : ids) {
    const bool claimed = db_.write([&](Connection& c) {
      return CourseStore::claim_announcement(c, id, time_.now_ms());
    });
    if (claimed) {
      announce(id);
      ++n;
    }
  }
  return n;
}

int HotlineService::run_escalations() {
  const auto now = time_.now_ms();
  const auto due = db_.read([&](Connection& c) { return CourseStore::due_escalations(c, now, 200); });
  int n = 0;
  for (const auto& d : due) {
    struct Step {
      CommRow row;
      Access access;
      int level = 0;
      std::vector<std::int64_t> notified;
    };
    bool mailed = false;
    auto step = db_.write([&](Connection& c) -> std::optional<Step> {
      const auto rec = CourseStore::escalation(c, d.comm_id, d.state);
      if (!rec || rec->acked_at || !rec->next_at || *rec->next_at > now)
        return std::nullopt;   // acknowledged or handled meanwhile
      // The claim: this step is ours only if the row is still as read — not acknowledged,
      // at the same level and deadline. Another instance escalating the same recipient (or
      // an acknowledgement) changes it first, and then nothing is changed here (PostgreSQL
      // re-checks the WHERE against the committed row). The final UPDATE below sets the
      // next deadline.
      if (!CourseStore::claim_escalation(c, d.comm_id, d.state, rec->level, *rec->next_at)) return std::nullopt;
      const auto row = *HotlineStore::comm(c, d.comm_id);
      if (row.closed_at) return std::nullopt;
      std::set<std::int64_t> already;
      for (const auto& k : HotlineStore::contacts(c, d.comm_id)) already.insert(k.user_id);
      int level = rec->level;
      std::vector<Person> targets;
      static const char* kLevels[] = {"", "the state's other contacts available now", "the state's focal point",
                                      "the forum secretariat"};
      while (level < 3 && targets.empty()) {
        ++level;
        std::vector<Person> candidates;
        if (level == 1) {
          // The state's other valid contacts, of any kind, that are available at this moment.
          for (const auto& a : Addressing::contacts_with_accounts(c, d.state))
            if (a.valid_on(now) && a.when.open_at(now)) candidates.push_back(a.person);
        } else {
          candidates = level == 2 ? HotlineStore::people(c, d.state, "focal_point") : HotlineStore::secretariat(c, row.forum);
        }
        for (auto& p : candidates)
          if (!already.count(p.user_id)) targets.push_back(p);
        if (targets.empty())
          HotlineStore::add_event(c, d.comm_id, now, "escalated", d.state, "system",
                                  "level " + std::to_string(level) + ", " + kLevels[level] + ": nobody to notify");
      }
      std::string names;
      std::vector<std::int64_t> ids;
      HotlineStore::add_contacts(c, d.comm_id, targets, "escalation", level, now);
      for (const auto& p : targets) {
        names += (names.empty() ? "" : ", ") + p.username;
        ids.push_back(p.user_id);
      }
      if (!targets.empty())
        HotlineStore::add_event(c, d.comm_id, now, "escalated", d.state, "system",
                                "level " + std::to_string(level) + ", " + kLevels[level] + ": notified " + names);
      const auto policy = policy_of(c, row.forum);
      const std::int64_t step_ms =
          (policy.escalation_step_minutes > 0 ? policy.escalation_step_minutes
                                              : policy.ack_deadline_minutes(row.type, row.severity)) *
          60'000LL;
      CourseStore::set_escalation(c, d.comm_id, d.state, level,
                                  level < 3 ? std::optional<std::int64_t>(now + step_ms) : std::nullopt);
      json change = json::object();
      change["state"] = d.state;
      change["level"] = level;
      change["notified"] = json::array();
      for (const auto& p : targets) change["notified"].push_back(p.username);
      storage::Journal::append(c, "system", "communication.escalate", "communication:" + std::to_string(d.comm_id), change);
      std::vector<ContactRow> mail_to;
      for (const auto& k : HotlineStore::contacts(c, d.comm_id))
        if (std::find(ids.begin(), ids.end(), k.user_id) != ids.end()) mail_to.push_back(k);
      if (!mail_to.empty() && mail_.enabled()) {
        mail_people(c, row, mail_to, "Escalation: unacknowledged ");
        mailed = true;
      }
      return Step{row, HotlineStore::access(c, row), level, ids};
    });
    if (mailed && on_mail_) on_mail_();
    if (!step) continue;
    ++n;
    publish(step->access, "hotline.communication.updated",
            {{"id", d.comm_id}, {"stage", "escalated"}, {"state", d.state}, {"level", step->level}}, Audience::kEveryone,
            step->notified);
  }
  return n;
}

// --- system sends (checks) -------------------------------------------------------

std::int64_t HotlineService::send_system(Connection& c, const SystemSend& s) {
  CommRow row;
  row.forum = s.forum;
  row.type = s.type;
  row.sender_username = s.actor;
  row.sender_name = s.sender_name;
  row.subject = s.subject;
  row.description = s.description;
  row.severity = 0;
  row.tlp = "TLP:CLEAR";
  row.check_id = s.check_id;
  row.contact_kind = s.contact_kind;
  row.created_at = time_.now_ms();
  if (s.announce_now) row.announced_at = row.created_at;
  return insert(c, nullptr, row, s.to, {}, s.actor);
}

// --- attachments -------------------------------------------------------------

json HotlineService::upload(const Principal& who, const std::string& content, const std::string& media_type) {
  auth::require_role(who, {Role::kFocalPoint, Role::kPointOfContact, Role::kSecretariat}, "upload attachments");
  if (content.size() > config_.max_attachment_bytes)
    throw Problem(413, "payload-too-large", "Attachment too large",
                  "The attachment is " + std::to_string(content.size()) + " bytes; the limit is " +
                      std::to_string(config_.max_attachment_bytes) + " bytes.",
                  {{"attachment", "is larger than " + std::to_string(config_.max_attachment_bytes) + " bytes"}});
  if (content.empty()) throw Problem::invalid("attachment", "is empty");
  std::string type = to_lower(trim(media_type.substr(0, media_type.find(';'))));
  if (type.empty() || type.size() > 100 || type.find('/') == std::string::npos ||
      type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789/.+-") != std::string::npos)
    type = "application/octet-stream";
  const auto sha = crypto::sha256_hex(content);
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    AttachmentStore::put(c, sha, static_cast<std::int64_t>(content.size()), type, crypto::base64(content), who.user_id,
                         now);
    storage::Journal::append(c, who.actor(), "attachment.upload", "attachment:" + sha,
                             {{"size", content.size()}, {"media_type", type}});
  });
  return {{"sha256", sha}, {"size", content.size()}, {"media_type", type}};
}

HotlineService::Download HotlineService::attachment(const Principal& who, std::int64_t id, const std::string& sha256) {
  return db_.read([&](Connection& c) {
    load_visible(c, who, id);
    const auto a = AttachmentStore::of(c, id, to_lower(sha256));
    if (!a) throw Problem::not_found("Communication " + std::to_string(id) + " has no such attachment.");
    return Download{crypto::from_base64(a->content_base64), a->media_type, a->filename};
  });
}

// --- policy ------------------------------------------------------------------

Policy HotlineService::policy_of(Connection& c, const std::string& forum) {
  const auto stored = PolicyStore::get(c, forum);
  if (!stored) return Policy::defaults();
  JsonInput in(json::parse(*stored), "");
  return Policy::parse(in);
}

json HotlineService::policy(const Principal&, const std::string& forum) {
  return db_.read([&](Connection& c) {
    if (!HotlineStore::forum_exists(c, forum)) throw Problem::not_found("No forum " + forum + ".");
    auto j = policy_of(c, forum).to_json();
    j["forum"] = forum;
    return j;
  });
}

json HotlineService::set_policy(const Principal& who, const std::string& forum, const Policy& p) {
  if (!who.is(Role::kAdmin) && !(who.is(Role::kSecretariat) && who.forum == forum))
    throw Problem::forbidden("A forum's hotline policy is set by its secretariat or the platform admin.");
  db_.write([&](Connection& c) {
    if (!HotlineStore::forum_exists(c, forum)) throw Problem::not_found("No forum " + forum + ".");
    const auto body = p.to_json();
    PolicyStore::set(c, forum, body.dump(), time_.now_ms(), who.username);
    storage::Journal::append(c, who.actor(), "hotline.policy.set", "forum:" + forum, body);
  });
  return policy(who, forum);
}

}  // namespace parley::hotline
