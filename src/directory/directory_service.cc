#include "directory/directory_service.h"

#include <set>
#include <algorithm>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "storage/journal.h"

namespace parley::directory {

using auth::Principal;
using auth::Role;
using storage::Connection;
using storage::Journal;

namespace {

std::string contact_ref(std::int64_t id) { return "contact:" + std::to_string(id); }

Visibility visibility_for(const Principal& who) {
  Visibility v;
  switch (who.role) {
    case Role::kAdmin:
      v.non_active = v.all_states = true;
      break;
    case Role::kSecretariat:
      v.non_active = true;
      v.forum = who.forum;
      break;
    case Role::kFocalPoint:
      v.non_active = true;
      v.state = who.state;
      break;
    default:
      break;
  }
  return v;
}

// What `who` may see, refusing a request for nominations the caller may never see.
Visibility visibility_checked(const Principal& who, const ContactQuery& q) {
  auto v = visibility_for(who);
  if (q.status && *q.status != "active" && !v.non_active)
    throw Problem::forbidden("Only those who manage a state's entries see its " + *q.status + " nominations.");
  return v;
}

// The contact `id` for a change by `who`: 404 if it does not exist or is a nomination
// outside the caller's scope (its existence is not revealed), 403 if the caller may
// see it but not manage its state (`forbidden` says what was refused).
Contact contact_to_manage(Connection& c, const Principal& who, std::int64_t id, const std::string& forbidden) {
  auto k = DirectoryStore::contact(c, id);
  const bool manages = k && DirectoryService::can_manage(c, who, k->state);
  if (!k || (k->status != "active" && !manages)) throw Problem::not_found("No point of contact " + std::to_string(id) + ".");
  if (!manages) throw Problem::forbidden(forbidden + " (" + k->state + ").");
  return *k;
}

void check_contact(Connection& c, const Contact& k) {
  std::vector<FieldError> errors;
  if (k.agency_id) {
    auto a = DirectoryStore::agency(c, *k.agency_id);
    if (!a) errors.push_back({"agency_id", "no such agency"});
    else if (a->state != k.state) errors.push_back({"agency_id", "belongs to another state (" + a->state + ")"});
  }
  if (!k.valid_from.empty() && !k.valid_until.empty() && k.valid_until < k.valid_from)
    errors.push_back({"valid_until", "must not be before valid_from"});
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  if (DirectoryStore::name_taken(c, k.state, k.name, k.id))
    throw Problem::conflict("A point of contact named '" + k.name + "' already exists for " + k.state + ".",
                            {{"name", "already exists for this state"}});
}

}  // namespace

bool DirectoryService::can_manage(Connection& c, const Principal& who, const std::string& alpha3) {
  switch (who.role) {
    case Role::kAdmin: return true;
    case Role::kSecretariat: return !who.forum.empty() && DirectoryStore::is_member(c, who.forum, alpha3);
    case Role::kFocalPoint: return who.state == alpha3;
    default: return false;
  }
}

void DirectoryService::require_state(Connection& c, const std::string& alpha3, const std::string& field) {
  if (!is_alpha3(alpha3) || !DirectoryStore::state_exists(c, alpha3))
    throw Problem::invalid(field, "'" + alpha3 + "' is not a state or participant known to this directory");
}

void DirectoryService::announce(const std::string& action, const Contact& k) {
  Event e;
  e.type = "directory.contact." + action;
  e.data = {{"id", k.id}, {"state", k.state}, {"status", k.status}};
  if (k.status != "active" || action == "rejected") {
    // Only those who manage the state hear about entries not (or no longer) public:
    // the admin, its focal point, and the secretariats of the forums it belongs to.
    const std::string state = k.state;
    const auto forums = db_.read([&](Connection& c) { return DirectoryStore::forums_of(c, state); });
    e.audience_kind = "directory.managers";
    e.audience_args = {{"states", nlohmann::json::array({state})}, {"forums", forums}};
    e.audience = managers_audience(e.audience_args);
  }
  events_.publish(e);
}

std::function<bool(const Subscriber&)> DirectoryService::managers_audience(const nlohmann::json& args) {
  const auto states = args.at("states").get<std::set<std::string>>();
  const auto forums = args.at("forums").get<std::set<std::string>>();
  return [states, forums](const Subscriber& s) {
    return s.role == "admin" || (s.role == "focal_point" && states.count(s.state)) ||
           (s.role == "secretariat" && forums.count(s.forum));
  };
}

std::string DirectoryService::state_language(const Languages& langs) {
  if (langs.empty()) return "en";
  const auto generation = db_.generation();
  auto available = languages_.get("", generation);
  if (!available) {
    available = db_.read([](Connection& c) { return state_languages(c); });
    languages_.put("", generation, *available);
  }
  return lookup_language(langs, *available, "en");
}

nlohmann::json DirectoryService::forums(const Principal&, const Languages& langs) {
  auto out = db_.read([](Connection& c) { return DirectoryStore::forums(c); });
  for (auto& f : out) {
    localize_forum(f, langs);
    f.erase("names");
  }
  return out;
}

nlohmann::json DirectoryService::forum(const Principal&, const std::string& code, const Languages& langs) {
  auto f = db_.read([&](Connection& c) { return DirectoryStore::forum(c, to_upper(code)); });
  if (!f) throw Problem::not_found("No forum " + code + ".");
  localize_forum(*f, langs);
  return *f;
}

nlohmann::json DirectoryService::forum_states(const Principal&, const std::string& code, const Languages& langs) {
  const auto lang = state_language(langs);
  return db_.read([&](Connection& c) {
    if (!DirectoryStore::forum(c, to_upper(code))) throw Problem::not_found("No forum " + code + ".");
    return DirectoryStore::forum_states(c, to_upper(code), lang);
  });
}

nlohmann::json DirectoryService::states(const Principal&, const Languages& langs) {
  const auto lang = state_language(langs);
  return db_.read([&](Connection& c) { return DirectoryStore::states(c, lang); });
}

nlohmann::json DirectoryService::state(const Principal& who, const std::string& code, const Languages& langs) {
  const auto alpha3 = to_upper(code);
  const auto lang = state_language(langs);
  return db_.read([&](Connection& c) {
    auto s = DirectoryStore::state(c, alpha3, lang);
    if (!s) throw Problem::not_found("No state or participant " + code + " in the directory.");
    auto agencies = nlohmann::json::array();
    for (const auto& a : DirectoryStore::agencies_of(c, alpha3)) agencies.push_back(a.to_json());
    ContactQuery q;
    q.state = alpha3;
    q.limit = 1000;
    q.name_language = lang;
    auto contacts = nlohmann::json::array();
    for (const auto& k : DirectoryStore::search(c, q, visibility_for(who)).items) contacts.push_back(k.to_json());
    (*s)["agencies"] = agencies;
    (*s)["contacts"] = contacts;
    (*s)["can_manage"] = can_manage(c, who, alpha3);
    return *s;
  });
}

nlohmann::json DirectoryService::agencies(const Principal&, const std::string& code) {
  const auto alpha3 = to_upper(code);
  return db_.read([&](Connection& c) {
    if (!DirectoryStore::state_exists(c, alpha3)) throw Problem::not_found("No state " + code + ".");
    auto out = nlohmann::json::array();
    for (const auto& a : DirectoryStore::agencies_of(c, alpha3)) out.push_back(a.to_json());
    return out;
  });
}

Agency DirectoryService::create_agency(const Principal& who, const std::string& code, const AgencyInput& in) {
  const auto alpha3 = to_upper(code);
  return db_.write([&](Connection& c) {
    if (!DirectoryStore::state_exists(c, alpha3)) throw Problem::not_found("No state " + code + ".");
    if (!can_manage(c, who, alpha3)) throw Problem::forbidden("You may not manage the agencies of " + alpha3 + ".");
    Agency a{0, alpha3, *in.name, *in.kind, in.website.value_or("")};
    try {
      a.id = DirectoryStore::insert_agency(c, a);
    } catch (const storage::ConstraintViolation& e) {
      if (e.kind() != storage::ConstraintViolation::Kind::kUnique) throw;
      throw Problem::conflict("An agency with this name already exists for " + alpha3 + ".", {{"name", "already exists"}});
    }
    Journal::append(c, who.actor(), "agency.create", "agency:" + std::to_string(a.id), a.to_json());
    return a;
  });
}

Agency DirectoryService::update_agency(const Principal& who, std::int64_t id, const AgencyInput& in) {
  return db_.write([&](Connection& c) {
    auto a = DirectoryStore::agency(c, id);
    if (!a) throw Problem::not_found("No agency " + std::to_string(id) + ".");
    if (!can_manage(c, who, a->state)) throw Problem::forbidden("You may not manage the agencies of " + a->state + ".");
    if (in.name) a->name = *in.name;
    if (in.kind) a->kind = *in.kind;
    if (in.website) a->website = *in.website;
    try {
      DirectoryStore::update_agency(c, *a);
    } catch (const storage::ConstraintViolation& e) {
      if (e.kind() != storage::ConstraintViolation::Kind::kUnique) throw;
      throw Problem::conflict("An agency with this name already exists.", {{"name", "already exists"}});
    }
    Journal::append(c, who.actor(), "agency.update", "agency:" + std::to_string(id), a->to_json());
    return *a;
  });
}

void DirectoryService::delete_agency(const Principal& who, std::int64_t id) {
  db_.write([&](Connection& c) {
    auto a = DirectoryStore::agency(c, id);
    if (!a) throw Problem::not_found("No agency " + std::to_string(id) + ".");
    if (!can_manage(c, who, a->state)) throw Problem::forbidden("You may not manage the agencies of " + a->state + ".");
    if (DirectoryStore::contacts_of_agency(c, id) > 0)
      throw Problem::conflict("The agency still has points of contact; move or remove them first.");
    DirectoryStore::delete_agency(c, id);
    Journal::append(c, who.actor(), "agency.delete", "agency:" + std::to_string(id), a->to_json());
  });
}

ContactPage DirectoryService::search(const Principal& who, ContactQuery q) {
  const auto v = visibility_checked(who, q);
  return db_.read([&](Connection& c) { return DirectoryStore::search(c, q, v); });
}

std::shared_ptr<const std::string> DirectoryService::search_json(const Principal& who, const ContactQuery& q) {
  const auto v = visibility_checked(who, q);
  // Everyone who sees only active entries shares one cache entry per query.
  const std::string key = (v.non_active ? (v.all_states ? std::string("all") : "s=" + v.state + ";f=" + v.forum)
                                        : std::string("active")) + "|" + q.key() +
                          "|" + today_date();   // `expired` turns at midnight, with no write
  const auto generation = db_.generation();
  if (auto hit = pages_.get(key, generation)) return *hit;
  auto body = db_.read([&](Connection& c) {
    return std::make_shared<const std::string>(
        DirectoryStore::search(c, q, v).to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
  pages_.put(key, generation, body);
  return body;
}

Contact DirectoryService::contact(const Principal& who, std::int64_t id, const std::string& name_language) {
  return db_.read([&](Connection& c) {
    auto k = DirectoryStore::contact(c, id, name_language);
    // A nomination outside the caller's scope is reported as absent, not as forbidden.
    if (!k || (k->status != "active" && !DirectoryService::can_manage(c, who, k->state)))
      throw Problem::not_found("No point of contact " + std::to_string(id) + ".");
    return *k;
  });
}

Contact DirectoryService::create(const Principal& who, const ContactInput& in) {
  auto k = db_.write([&](Connection& c) {
    require_state(c, *in.state, "state");
    if (!can_manage(c, who, *in.state))
      throw Problem::forbidden("You may not add points of contact for " + *in.state + ".");
    Contact k;
    k.state = *in.state;
    in.apply_to(k);
    const bool nomination = who.is(Role::kFocalPoint);
    k.status = nomination ? "pending" : "active";
    k.nominated_by = who.username;
    if (!nomination) {
      k.decided_by = who.username;
      k.decided_at = now_rfc3339();
    }
    check_contact(c, k);
    k.id = DirectoryStore::insert_contact(c, k);
    auto stored = *DirectoryStore::contact(c, k.id);
    Journal::append(c, who.actor(), nomination ? "contact.nominate" : "contact.create", contact_ref(k.id),
                    stored.to_json());
    return stored;
  });
  announce("created", k);
  return k;
}

Contact DirectoryService::update(const Principal& who, std::int64_t id, const ContactInput& in,
                                 std::optional<std::int64_t> if_version) {
  auto k = db_.write([&](Connection& c) {
    // The version is read, compared with If-Match, then incremented: the lock keeps another
    // instance's edit from landing between the read and the commit (a lost update).
    c.lock("directory.contacts");
    auto k = contact_to_manage(c, who, id, "You may not edit the points of contact of this state");
    if (if_version && *if_version != k.version)
      throw Problem::precondition_failed("The contact was changed by someone else (now version " +
                                         std::to_string(k.version) + "); reload it and apply your edit again.");
    const auto before = k.to_json();
    in.apply_to(k);
    check_contact(c, k);
    DirectoryStore::update_contact(c, k);
    auto stored = *DirectoryStore::contact(c, id);
    nlohmann::json change = nlohmann::json::object();
    const auto after = stored.to_json();
    for (const auto& [key, value] : after.items())
      if (key != "updated_at" && key != "version" && before.value(key, nlohmann::json()) != value)
        change[key] = {{"from", before.value(key, nlohmann::json())}, {"to", value}};
    change["version"] = stored.version;
    Journal::append(c, who.actor(), "contact.update", contact_ref(id), change);
    return stored;
  });
  announce("updated", k);
  return k;
}

void DirectoryService::remove(const Principal& who, std::int64_t id) {
  auto k = db_.write([&](Connection& c) {
    auto k = contact_to_manage(c, who, id, "You may not remove the points of contact of this state");
    DirectoryStore::delete_contact(c, id);
    Journal::append(c, who.actor(), "contact.delete", contact_ref(id), k.to_json());
    return k;
  });
  announce("deleted", k);
}

Contact DirectoryService::decide(const Principal& who, std::int64_t id, bool approve, const std::string& note) {
  auth::require_role(who, {Role::kAdmin, Role::kSecretariat}, "approve or reject nominations");
  auto k = db_.write([&](Connection& c) {
    auto k = contact_to_manage(c, who, id, "Only a secretariat of a forum the state belongs to may decide this nomination");
    if (k.status != "pending")
      throw Problem::conflict("The nomination was already decided (status " + k.status + ").");
    k.status = approve ? "active" : "rejected";
    k.status_note = note;
    k.decided_by = who.username;
    k.decided_at = now_rfc3339();
    DirectoryStore::update_contact(c, k);
    auto stored = *DirectoryStore::contact(c, id);
    Journal::append(c, who.actor(), approve ? "contact.approve" : "contact.reject", contact_ref(id),
                    {{"status", stored.status}, {"note", note}, {"version", stored.version}});
    if (approve && on_approved_) on_approved_(c, who, stored);
    return stored;
  });
  announce(approve ? "approved" : "rejected", k);
  return k;
}

}  // namespace parley::directory
