#include "workplan/meeting_service.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/membership.h"
#include "library/access.h"
#include "library/library_store.h"
#include "auth/people.h"
#include "mail/outbox.h"
#include "negotiation/notes.h"
#include "workplan/calendar_service.h"
#include "storage/journal.h"
#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/measure_store.h"
#include "workplan/meeting_store.h"

namespace parley::workplan {

using auth::Principal;
using auth::Role;
using library::Reader;
using nlohmann::json;
using storage::Connection;

namespace {

std::string today(std::int64_t now_ms) { return rfc3339_from_ms(now_ms).substr(0, 10); }

using library::forum_or_default;

void require_meetings_reader(const Reader& r, const std::string& forum) { require_workplan_reader(r, forum, "bodies or meetings"); }

Body load_body(Connection& c, const Reader& r, std::int64_t id) {
  auto b = MeetingStore::body(c, id);
  if (!b || !can_read_workplan(r, b->forum)) throw Problem::not_found("There is no body " + std::to_string(id) + " for you.");
  return *b;
}

Meeting load_meeting(Connection& c, const Reader& r, std::int64_t id) {
  auto m = MeetingStore::meeting(c, id);
  if (!m || !can_read_workplan(r, m->forum)) throw Problem::not_found("There is no meeting " + std::to_string(id) + " for you.");
  return *m;
}

void check_chairs(Connection& c, const Body& b) {
  for (const auto& s : b.chairs)
    if (!directory::membership::is_member(c, b.forum, s)) throw Problem::invalid("chairs", s + " is not a member of " + b.forum);
}

// What a cited row is to this reader: its title (and code or symbol), or nothing when it
// may not read it.
std::optional<json> cited_for(Connection& c, const Reader& r, const std::string& forum, const Cited& x) {
  if (x.kind == "negotiation") {
    const auto d = negotiation::notes::readable_document(c, r.who, x.id);
    if (!d || d->forum != forum) return std::nullopt;
    return json{{"kind", x.kind}, {"id", x.id}, {"title", d->title}, {"symbol", d->symbol}, {"status", d->status}};
  }
  if (x.kind == "measure") {
    const auto m = MeasureStore::measure(c, x.id);
    if (!m || m->forum != forum) return std::nullopt;
    return json{{"kind", x.kind}, {"id", x.id}, {"title", m->title}, {"code", m->code}};
  }
  if (x.kind == "activity") {
    const auto a = ActivityStore::activity(c, x.id);
    if (!a || a->forum != forum) return std::nullopt;
    return json{{"kind", x.kind}, {"id", x.id}, {"title", a->title}, {"status", a->status}};
  }
  if (x.kind == "contribution") {
    const auto s = library::LibraryStore::contribution(c, x.id);
    if (!s || !library::can_read(r, library::facts_of(*s))) return std::nullopt;
    return json{{"kind", x.kind}, {"id", x.id}, {"title", s->row.title}, {"state", s->row.state}};
  }
  return std::nullopt;
}

json cited_json(Connection& c, const Reader& r, const std::string& forum, const Cited& x) {
  if (x.kind.empty()) return nullptr;
  if (auto j = cited_for(c, r, forum, x)) return *j;
  return {{"kind", x.kind}, {"withheld", true}};
}

// The writer must be able to read what it cites, in the meeting's forum.
void check_cited(Connection& c, const Reader& r, const std::string& forum, const Cited& x, const std::string& field) {
  if (x.kind.empty()) return;
  if (!cited_for(c, r, forum, x))
    throw Problem::invalid(field, fmt::format("is not a {} of {} you may read",
                                              x.kind == "negotiation"    ? "draft under negotiation"
                                              : x.kind == "measure"    ? "measure"
                                              : x.kind == "activity"   ? "activity"
                                                                       : "document of the library",
                                              forum));
}

json body_json(const Body& b) {
  return {{"id", b.id}, {"forum", b.forum}, {"code", b.code}, {"name", b.name}, {"position", b.position}, {"chairs", b.chairs}};
}

json summary_json(const Meeting& m, const std::map<std::int64_t, Body>& bodies) {
  json j = {{"id", m.id},
            {"forum", m.forum},
            {"body", m.body_id},
            {"title", m.title},
            {"starts_on", m.starts_on},
            {"ends_on", m.ends_on},
            {"start_time", m.start_time},
            {"time_zone", m.time_zone},
            {"place", m.place},
            {"online_url", m.online_url},
            {"registration_deadline", m.registration_deadline},
            {"status", m.status},
            {"note_number", m.note_number},
            {"communication_id", m.communication_id ? json(*m.communication_id) : json(nullptr)},
            {"convened_at", m.convened_at ? json(rfc3339_from_ms(*m.convened_at)) : json(nullptr)}};
  if (auto it = bodies.find(m.body_id); it != bodies.end()) {
    j["body_code"] = it->second.code;
    j["body_name"] = it->second.name;
  }
  return j;
}

json meeting_facts(const Meeting& m) {
  json agenda = json::array();
  for (const auto& a : m.agenda) {
    json item = {{"title", a.title}};
    if (!a.cites.kind.empty()) item["cites"] = {{"kind", a.cites.kind}, {"id", a.cites.id}};
    agenda.push_back(std::move(item));
  }
  return {{"body", m.body_id},         {"title", m.title},   {"starts_on", m.starts_on}, {"ends_on", m.ends_on},
          {"time_zone", m.time_zone},  {"place", m.place},   {"online_url", m.online_url},
          {"registration_deadline", m.registration_deadline}, {"agenda", agenda}};
}

void journal(Connection& c, const Principal& who, const std::string& action, const Meeting& m, json facts) {
  storage::Journal::append(c, who.actor(), action, "meeting:" + std::to_string(m.id), facts);
}

// A meeting's time zone when the secretariat names none: the forum's, else UTC.
std::string default_time_zone(Connection& c, const std::string& forum) {
  const auto f = directory::membership::forum(c, forum);
  return f && !f->time_zone.empty() ? f->time_zone : "UTC";
}

}  // namespace

MeetingService::MeetingService(storage::Database& db, TimeSource& time, hotline::HotlineService* hotline, std::string organizer)
    : db_(db), time_(time), hotline_(hotline), organizer_(std::move(organizer)) {}

json MeetingService::bodies(const Principal& who, const std::string& forum_param) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    require_meetings_reader(r, forum);
    json items = json::array();
    for (const auto& b : MeetingStore::bodies(c, forum)) items.push_back(body_json(b));
    return json{{"forum", forum}, {"items", items}, {"can_manage", library::forum_secretariat(r, forum)}};
  });
}

json MeetingService::create_body(const Principal& who, const BodyInput& in) {
  auth::require_role(who, {Role::kSecretariat}, "define a forum's bodies");
  const auto now = time_.now_ms();
  return db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    require_meetings_reader(r, *in.forum);
    require_secretariat(r, *in.forum, "defines its bodies");
    Body b{0, *in.forum, *in.code, *in.name, 0, in.chairs.value_or(std::vector<std::string>{})};
    b.position = in.position.value_or(static_cast<std::int64_t>(MeetingStore::bodies(c, b.forum).size() + 1) * 10);
    check_chairs(c, b);
    if (MeetingStore::find_body(c, b.forum, b.code))
      throw Problem::conflict(b.forum + " has a body " + b.code + " already.", {{"code", "is taken by another body of the forum"}});
    b.id = MeetingStore::insert_body(c, b, now);
    storage::Journal::append(c, who.actor(), "workplan.body.create", "body:" + std::to_string(b.id),
                             {{"forum", b.forum}, {"code", b.code}, {"name", b.name}, {"chairs", b.chairs}});
    return body_json(b);
  });
}

json MeetingService::update_body(const Principal& who, std::int64_t id, const BodyInput& in) {
  const auto now = time_.now_ms();
  return db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto b = load_body(c, r, id);
    require_secretariat(r, b.forum, "defines its bodies");
    if (in.code) b.code = *in.code;
    if (in.name) b.name = *in.name;
    if (in.chairs) b.chairs = *in.chairs;
    if (in.position) b.position = *in.position;
    check_chairs(c, b);
    if (auto other = MeetingStore::find_body(c, b.forum, b.code); other && *other != id)
      throw Problem::conflict(b.forum + " has a body " + b.code + " already.", {{"code", "is taken by another body of the forum"}});
    MeetingStore::update_body(c, b, now);
    storage::Journal::append(c, who.actor(), "workplan.body.update", "body:" + std::to_string(b.id),
                             {{"forum", b.forum}, {"code", b.code}, {"name", b.name}, {"chairs", b.chairs}});
    return body_json(b);
  });
}

json MeetingService::meetings(const Principal& who, const std::string& forum_param, std::int64_t body, const std::string& from,
                              const std::string& to) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = forum_or_default(r, forum_param);
    require_meetings_reader(r, forum);
    std::map<std::int64_t, Body> bodies;
    for (auto& b : MeetingStore::bodies(c, forum)) bodies.emplace(b.id, b);
    if (body && !bodies.contains(body)) throw Problem::invalid("body", "is not a body of " + forum);
    json items = json::array();
    for (const auto& m : MeetingStore::meetings(c, forum, body, from, to)) items.push_back(summary_json(m, bodies));
    return json{{"forum", forum}, {"items", items}, {"can_manage", library::forum_secretariat(r, forum)}};
  });
}

json MeetingService::create(const Principal& who, const MeetingInput& in) {
  auth::require_role(who, {Role::kSecretariat}, "plan meetings");
  const auto now = time_.now_ms();
  const auto id = db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto b = load_body(c, r, *in.body_id);
    require_secretariat(r, b.forum, "plans its meetings");
    Meeting m;
    m.body_id = b.id;
    m.forum = b.forum;
    m.title = *in.title;
    m.starts_on = *in.starts_on;
    m.ends_on = in.ends_on && !in.ends_on->empty() ? *in.ends_on : m.starts_on;
    m.start_time = in.start_time.value_or("");
    m.time_zone = in.time_zone.value_or(default_time_zone(c, b.forum));
    m.place = in.place.value_or("");
    m.online_url = in.online_url.value_or("");
    m.registration_deadline = in.registration_deadline.value_or("");
    if (m.place.empty() && m.online_url.empty()) throw Problem::invalid("place", "name the place, or give the online link");
    if (!m.registration_deadline.empty() && m.registration_deadline > m.starts_on)
      throw Problem::invalid("registration_deadline", "is after the meeting starts");
    m.agenda = in.agenda.value_or(std::vector<AgendaItem>{});
    for (std::size_t i = 0; i < m.agenda.size(); ++i)
      check_cited(c, r, m.forum, m.agenda[i].cites, "agenda." + std::to_string(i) + ".cites");
    m.id = MeetingStore::insert_meeting(c, m, who.user_id, now);
    journal(c, who, "workplan.meeting.create", m, meeting_facts(m));
    return m.id;
  });
  return get(who, id);
}

json MeetingService::get(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_meeting(c, r, id);
    std::map<std::int64_t, Body> bodies;
    if (auto b = MeetingStore::body(c, m.body_id)) bodies.emplace(b->id, *b);
    auto j = summary_json(m, bodies);
    json agenda = json::array();
    for (const auto& a : m.agenda) agenda.push_back({{"id", a.id}, {"title", a.title}, {"cites", cited_json(c, r, m.forum, a.cites)}});
    j["agenda"] = agenda;
    // Delegations by state, and the list of participants once the meeting is held.
    const auto delegates = MeetingStore::delegates(c, id);
    std::vector<std::string> states;
    for (const auto& d : delegates) states.push_back(d.state);
    const auto names = directory::membership::state_names(c, states);
    json delegations = json::object();
    json participants = json::array();
    for (const auto& d : delegates) {
      json one = {{"id", d.id}, {"name", d.name}, {"function", d.function}, {"head", d.head}};
      if (d.attended) one["attended"] = *d.attended;
      if (!delegations.contains(d.state))
        delegations[d.state] = {{"state", d.state}, {"name", names.contains(d.state) ? names.at(d.state) : d.state},
                                {"members", json::array()}};
      delegations[d.state]["members"].push_back(one);
      if (d.attended.value_or(false)) participants.push_back({{"state", d.state}, {"name", d.name}, {"function", d.function}});
    }
    json delegation_list = json::array();
    for (auto& [_, v] : delegations.items()) delegation_list.push_back(v);
    j["delegations"] = delegation_list;
    j["participants"] = participants;
    json documents = json::array();
    for (const auto& d : MeetingStore::documents(c, id))
      if (auto cited = cited_for(c, r, m.forum, {"contribution", d.contribution_id})) {
        (*cited)["label"] = d.label;
        documents.push_back(*cited);
      }
    j["documents"] = documents;
    json decisions = json::array();
    for (const auto& d : MeetingStore::decisions(c, id))
      decisions.push_back({{"id", d.id},
                           {"agenda_item", d.agenda_item ? json(*d.agenda_item) : json(nullptr)},
                           {"wording", d.wording},
                           {"acts_on", cited_json(c, r, m.forum, d.acts_on)},
                           {"outcome", d.outcome},
                           {"recorded_at", rfc3339_from_ms(d.recorded_at)}});
    j["decisions"] = decisions;
    const bool secretariat = library::forum_secretariat(r, m.forum);
    const bool open = m.status == "planned" || m.status == "convened";
    const bool registration_open = m.registration_deadline.empty() || today(now) <= m.registration_deadline;
    j["can_manage"] = secretariat;
    j["can_register"] = open && (secretariat || (library::member_focal_point(r, m.forum) && registration_open));
    return j;
  });
}

json MeetingService::update(const Principal& who, std::int64_t id, const MeetingInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto m = load_meeting(c, r, id);
    require_secretariat(r, m.forum, "plans its meetings");
    if (m.status == "held" || m.status == "cancelled")
      throw Problem::conflict("The meeting is " + m.status + "; its plan no longer changes.");
    if (in.title) m.title = *in.title;
    if (in.starts_on) m.starts_on = *in.starts_on;
    if (in.ends_on) m.ends_on = in.ends_on->empty() ? m.starts_on : *in.ends_on;
    if (in.start_time) m.start_time = *in.start_time;
    if (in.time_zone) m.time_zone = *in.time_zone;
    if (in.place) m.place = *in.place;
    if (in.online_url) m.online_url = *in.online_url;
    if (in.registration_deadline) m.registration_deadline = *in.registration_deadline;
    if (m.ends_on < m.starts_on) throw Problem::invalid("ends_on", "is before starts_on");
    if (m.place.empty() && m.online_url.empty()) throw Problem::invalid("place", "name the place, or give the online link");
    if (!m.registration_deadline.empty() && m.registration_deadline > m.starts_on)
      throw Problem::invalid("registration_deadline", "is after the meeting starts");
    if (in.agenda) {
      for (std::size_t i = 0; i < in.agenda->size(); ++i) {
        const auto& item = (*in.agenda)[i];
        check_cited(c, r, m.forum, item.cites, "agenda." + std::to_string(i) + ".cites");
        if (item.id && std::none_of(m.agenda.begin(), m.agenda.end(), [&](const AgendaItem& a) { return a.id == item.id; }))
          throw Problem::invalid("agenda." + std::to_string(i) + ".id", "is not an item of this meeting's agenda");
      }
      MeetingStore::set_agenda(c, id, *in.agenda);
      m.agenda = MeetingStore::meeting(c, id)->agenda;
    }
    MeetingStore::update_meeting(c, m, now);
    journal(c, who, "workplan.meeting.update", m, meeting_facts(m));
  });
  return get(who, id);
}

json MeetingService::convene(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  Meeting convened;
  std::string subject, body;
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto m = load_meeting(c, r, id);
    require_secretariat(r, m.forum, "convenes its meetings");
    if (m.status != "planned")
      throw Problem::conflict(m.status == "convened" ? "The meeting was convened by note verbale " + m.note_number + " already."
                                                     : "The meeting is " + m.status + ".");
    if (m.starts_on < today(now)) throw Problem::conflict("The meeting's first day has passed; change its dates first.");
    const auto b = MeetingStore::body(c, m.body_id);
    const auto forum = negotiation::notes::forum_facts(c, m.forum);
    m.note_number = negotiation::notes::take_number(c, m.forum, now);
    negotiation::ConvocationFacts f;
    f.number = m.note_number;
    f.forum_code = forum.code;
    f.forum_name = forum.name;
    f.forum_names = forum.names;
    f.body = b ? b->name : "";
    f.meeting = m.title;
    f.starts_on = m.starts_on;
    f.ends_on = m.ends_on;
    f.place = m.place;
    f.online_url = m.online_url;
    f.registration_deadline = m.registration_deadline;
    for (const auto& a : m.agenda) f.agenda.push_back(a.title);
    f.date = today(now);
    std::vector<std::string> missing;
    const auto notes = negotiation::compose_convocations(f, forum.languages, missing);
    // One communication carries the note in each of the forum's languages, English first.
    body = notes.at("en");
    for (const auto& [lang, text] : notes)
      if (lang != "en") body += "\n\n---\n\n" + text;
    subject = fmt::format("Note verbale {}: {} ({})", m.note_number, m.title, f.body);
    m.status = "convened";
    m.convened_at = now;
    MeetingStore::update_meeting(c, m, now);
    // Each member state's focal points get the invitation by e-mail, in this transaction.
    const auto invitation = meeting_invitation(c, m.id, now, organizer_);
    for (const auto& state : directory::membership::member_states(c, m.forum))
      for (const auto& p : auth::people::active_in_state(c, state, "focal_point")) {
        if (p.email.empty()) continue;
        mail::Mail mail;
        mail.to = p.email;
        mail.subject = subject;
        mail.body = notes.at("en") + "\n\nThe invitation is attached: open it to add the meeting to your calendar.\n"
                    "In Parley: /#/workplan/meetings/" + std::to_string(m.id) + "\n";
        mail.attachment_name = "invitation.ics";
        mail.attachment_type = "text/calendar; charset=UTF-8; method=REQUEST";
        mail.attachment = invitation;
        mail::Outbox::enqueue(c, mail, now);
      }
    journal(c, who, "workplan.meeting.convened", m,
            {{"note_number", m.note_number}, {"languages", forum.languages}, {"languages_without_template", missing}});
    convened = m;
  });
  if (const auto comm = negotiation::notes::deliver(hotline_, who, convened.forum, subject,
                                                     body + fmt::format("\n\nIn Parley: /#/workplan/meetings/{}", id), "TLP:GREEN"))
    db_.write([&](Connection& c) {
      auto m = MeetingStore::meeting(c, id);
      if (!m) return;
      m->communication_id = *comm;
      MeetingStore::update_meeting(c, *m, time_.now_ms());
    });
  auto j = get(who, id);
  j["note"] = body;
  return j;
}

json MeetingService::cancel(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto m = load_meeting(c, r, id);
    require_secretariat(r, m.forum, "cancels its meetings");
    if (m.status == "held" || m.status == "cancelled") throw Problem::conflict("The meeting is " + m.status + " already.");
    m.status = "cancelled";
    MeetingStore::update_meeting(c, m, now);
    journal(c, who, "workplan.meeting.cancelled", m, json::object());
  });
  return get(who, id);
}

json MeetingService::set_delegation(const Principal& who, std::int64_t id, const std::string& state_param,
                                    const std::vector<Delegate>& members) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "register delegations");
  const auto now = time_.now_ms();
  const auto state = to_upper(state_param);
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_meeting(c, r, id);
    const bool secretariat = library::forum_secretariat(r, m.forum);
    if (!secretariat && !(library::member_focal_point(r, m.forum) && who.state == state))
      throw Problem::forbidden("A state's focal point registers its own state's delegation (or the forum's secretariat on its behalf).");
    if (!is_alpha3(state) || !directory::membership::is_member(c, m.forum, state))
      throw Problem::invalid("state", state + " is not a member of " + m.forum);
    if (m.status == "held" || m.status == "cancelled") throw Problem::conflict("The meeting is " + m.status + ".");
    if (!secretariat && !m.registration_deadline.empty() && today(now) > m.registration_deadline)
      throw Problem::conflict("Registration closed on " + m.registration_deadline + "; ask the secretariat.");
    MeetingStore::set_delegation(c, id, state, members, who.user_id, now);
    json list = json::array();
    for (const auto& d : members) list.push_back({{"name", d.name}, {"function", d.function}, {"head", d.head}});
    journal(c, who, "workplan.meeting.delegation", m, {{"state", state}, {"members", list}});
  });
  return get(who, id);
}

json MeetingService::add_document(const Principal& who, std::int64_t id, const MeetingDocument& d) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_meeting(c, r, id);
    require_secretariat(r, m.forum, "keeps its meetings' documents");
    check_cited(c, r, m.forum, {"contribution", d.contribution_id}, "contribution");
    MeetingStore::put_document(c, id, d, now);
    // That a document was added, not which nor its label: the ledger's readers are the
    // forum's, the document's only its own readers.
    journal(c, who, "workplan.meeting.document", m, json::object());
  });
  return get(who, id);
}

json MeetingService::record_decision(const Principal& who, std::int64_t id, const Decision& d) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto m = load_meeting(c, r, id);
    require_secretariat(r, m.forum, "records its meetings' decisions");
    if (m.status == "cancelled") throw Problem::conflict("The meeting was cancelled.");
    if (today(now) < m.starts_on) throw Problem::conflict("The meeting has not begun: decisions are recorded from " + m.starts_on + ".");
    if (d.agenda_item && std::none_of(m.agenda.begin(), m.agenda.end(), [&](const AgendaItem& a) { return a.id == *d.agenda_item; }))
      throw Problem::invalid("agenda_item", "is not an item of this meeting's agenda");
    check_cited(c, r, m.forum, d.acts_on, "acts_on");
    const auto decision = MeetingStore::insert_decision(c, id, d, who.user_id, now);
    json facts = {{"decision", decision}, {"wording", d.wording}};
    if (!d.acts_on.kind.empty()) facts["acts_on"] = {{"kind", d.acts_on.kind}, {"id", d.acts_on.id}};
    if (!d.outcome.empty()) facts["outcome"] = d.outcome;
    journal(c, who, "workplan.meeting.decision", m, facts);
  });
  return get(who, id);
}

json MeetingService::held(const Principal& who, std::int64_t id, const std::optional<std::vector<std::int64_t>>& participants) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto m = load_meeting(c, r, id);
    require_secretariat(r, m.forum, "records that its meetings were held");
    if (m.status == "held" || m.status == "cancelled") throw Problem::conflict("The meeting is " + m.status + " already.");
    if (today(now) < m.starts_on) throw Problem::conflict("The meeting has not begun.");
    const auto delegates = MeetingStore::delegates(c, id);
    std::vector<std::int64_t> ids;
    if (participants) {
      for (const auto p : *participants) {
        if (std::none_of(delegates.begin(), delegates.end(), [&](const Delegate& d) { return d.id == p; }))
          throw Problem::invalid("participants", std::to_string(p) + " is not a registered delegate of this meeting");
        ids.push_back(p);
      }
    } else {
      for (const auto& d : delegates) ids.push_back(d.id);
    }
    MeetingStore::set_attendance(c, id, ids);
    m.status = "held";
    MeetingStore::update_meeting(c, m, now);
    journal(c, who, "workplan.meeting.held", m, {{"participants", ids.size()}});
  });
  return get(who, id);
}

}  // namespace parley::workplan
