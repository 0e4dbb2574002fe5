#include "hotline/checks.h"
#include "common/json_values.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/problem.h"
#include "common/time.h"
#include "hotline/check_store.h"
#include "storage/journal.h"

namespace parley::hotline {

using auth::Principal;
using auth::Role;
using nlohmann::json;
using storage::Connection;

namespace {

json opt_num(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

CheckScope scope_from(const std::string& text) {
  CheckScope s;
  const auto j = json::parse(text);
  if (j.contains("states")) s.states = j["states"].get<std::vector<std::string>>();
  if (j.contains("contacts")) s.contacts = j["contacts"].get<std::vector<std::string>>();
  if (j.contains("kind")) s.kind = j["kind"].get<std::string>();
  return s;
}

json scope_json(const CheckScope& s) {
  json j = json::object();
  j["states"] = s.states;
  j["contacts"] = s.contacts;
  j["kind"] = s.kind;
  return j;
}

std::string seconds_text(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : ""; }

}  // namespace

CheckFigures CheckFigures::compute(const std::vector<std::optional<double>>& seconds) {
  CheckFigures f;
  std::vector<double> acked;
  for (const auto& s : seconds)
    if (s) acked.push_back(*s);
  std::sort(acked.begin(), acked.end());
  f.people = static_cast<std::int64_t>(seconds.size());
  f.acknowledged = static_cast<std::int64_t>(acked.size());
  f.response_rate = seconds.empty() ? 0.0 : static_cast<double>(acked.size()) / static_cast<double>(seconds.size());
  if (!acked.empty()) {
    const auto n = acked.size();
    f.median_seconds = n % 2 ? acked[n / 2] : (acked[n / 2 - 1] + acked[n / 2]) / 2.0;
    const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
    f.p90_seconds = acked[std::max<std::size_t>(rank, 1) - 1];
  }
  return f;
}

json CheckFigures::to_json() const {
  return {{"people", people},
          {"acknowledged", acknowledged},
          {"response_rate", response_rate},
          {"median_seconds", opt_num(median_seconds)},
          {"p90_seconds", opt_num(p90_seconds)}};
}

void CheckService::require_runner(Connection& c, const Principal* who, const std::string& forum) {
  if (!HotlineStore::forum_exists(c, forum)) throw Problem::not_found("No forum " + forum + ".");
  if (who && !who->is(Role::kAdmin) && !(who->is(Role::kSecretariat) && who->forum == forum))
    throw Problem::forbidden("Communication checks of " + forum + " are run by its secretariat.");
}

std::int64_t CheckService::start_in(Connection& c, const std::string& actor, const std::string& forum,
                                    const CheckScope& scope, std::optional<std::int64_t> schedule_id,
                                    bool announce_now) {
  const auto members = HotlineStore::members(c, forum);
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < scope.states.size(); ++i)
    if (std::find(members.begin(), members.end(), scope.states[i]) == members.end())
      errors.push_back({"states." + std::to_string(i), "is not a member state of " + forum});
  const auto now = hotline_.time().now_ms();
  if (std::find(kContactKinds.begin(), kContactKinds.end(), scope.kind) == kContactKinds.end())
    errors.push_back({"kind", "must be one of all, policy, technical, law_enforcement"});
  Addressed to;
  std::vector<Addressee> chosen;
  for (std::size_t i = 0; i < scope.contacts.size(); ++i) {
    const auto& ref = scope.contacts[i];
    const bool is_id = !ref.empty() && ref.size() < 16 && ref.find_first_not_of("0123456789") == std::string::npos;
    auto a = is_id ? Addressing::by_contact(c, std::stoll(ref)) : Addressing::by_username(c, ref);
    if (!a || std::find(members.begin(), members.end(), a->person.state) == members.end() || !a->valid_on(now)) {
      errors.push_back({"contacts." + std::to_string(i),
                        "is not a valid directory contact, with an account, of a member state"});
      continue;
    }
    chosen.push_back(*a);
    if (std::find(to.states.begin(), to.states.end(), a->person.state) == to.states.end())
      to.states.push_back(a->person.state);
  }
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
  if (scope.contacts.empty()) {
    to = Addressing::resolve(c, scope.states.empty() ? members : scope.states, scope.kind, now);
  } else {
    for (const auto& s : to.states) {
      std::vector<Addressee> of_state;
      for (const auto& a : chosen)
        if (a.person.state == s) of_state.push_back(a);
      to.opens_at[s] = Addressing::first_available(of_state, now);
    }
    for (const auto& a : chosen) to.people.push_back(a.person);
  }
  const auto& states = to.states;
  const auto& people = to.people;
  if (states.empty()) throw Problem::invalid("states", "no member state is in scope");
  const auto check_id = CheckStore::insert_check(c, forum, schedule_id, scope_json(scope).dump(), now, actor);
  HotlineService::SystemSend s;
  s.actor = actor;
  s.sender_name = forum + " secretariat";
  s.forum = forum;
  s.subject = "Communication check " + std::to_string(check_id) + " of " + forum;
  s.description = "This is a communication check (\"ping test\") of the " + forum + " " +
                  (scope.kind == "all" ? "" : scope.kind + " ") +
                  "points of contact. Please acknowledge it: one click on Acknowledge is all that is asked.";
  s.contact_kind = scope.kind;
  s.to = to;
  s.check_id = check_id;
  s.announce_now = announce_now;
  const auto comm_id = hotline_.send_system(c, s);
  CheckStore::set_communication(c, check_id, comm_id);
  storage::Journal::append(c, actor, "check.start", "check:" + std::to_string(check_id),
                           {{"forum", forum}, {"communication", comm_id}, {"people", people.size()},
                            {"states", states.size()}});
  return check_id;
}

json CheckService::start(const Principal& who, const std::string& forum, const CheckScope& scope,
                         std::optional<int> every_days) {
  const auto id = db_.write([&](Connection& c) {
    require_runner(c, &who, forum);
    std::optional<std::int64_t> schedule_id;
    if (every_days) {
      const auto now = hotline_.time().now_ms();
      ScheduleRow s;
      s.forum = forum;
      s.every_days = *every_days;
      s.next_at = now + *every_days * 86'400'000LL;
      s.scope = scope_json(scope).dump();
      s.created_by = who.actor();
      s.created_at = now;
      schedule_id = CheckStore::insert_schedule(c, s);
      storage::Journal::append(c, who.actor(), "check.schedule", "check_schedule:" + std::to_string(*schedule_id),
                               {{"forum", forum}, {"every_days", *every_days}});
    }
    return start_in(c, who.actor(), forum, scope, schedule_id, true);
  });
  const auto comm = db_.read([&](Connection& c) { return CheckStore::communication_of(c, id); });
  hotline_.announce(comm);
  return report(&who, id);
}

std::int64_t CheckService::start_as_operator(const std::string& forum, const CheckScope& scope) {
  return db_.write([&](Connection& c) {
    require_runner(c, nullptr, forum);
    return start_in(c, "cli", forum, scope, std::nullopt, false);
  });
}

json CheckService::report(const Principal* who, std::int64_t id) {
  return db_.read([&](Connection& c) {
    const auto r = CheckStore::check(c, id);
    if (!r) throw Problem::not_found("No check " + std::to_string(id) + ".");
    const auto forum = r->forum;
    if (who && !who->is(Role::kAdmin) && !(who->is(Role::kSecretariat) && who->forum == forum))
      throw Problem::not_found("No check " + std::to_string(id) + ".");
    const auto comm_id = r->comm_id;
    const auto started = r->started_at;
    const auto comm = HotlineStore::comm(c, comm_id);
    std::map<std::string, json> states;
    std::map<std::string, std::vector<std::optional<double>>> state_seconds;
    std::vector<std::optional<double>> all;
    for (const auto& rec : HotlineStore::recipients(c, comm_id)) {
      states[rec.state] = {{"state", rec.state}, {"name", rec.state_name}, {"people", json::array()}};
      state_seconds[rec.state];
    }
    for (const auto& k : HotlineStore::contacts(c, comm_id)) {
      if (k.reason == "escalation" || k.reason == "other") continue;
      std::optional<double> secs;
      if (k.acked_at) secs = static_cast<double>(*k.acked_at - started) / 1000.0;
      const bool reached = k.delivered_at.has_value() || k.acked_at.has_value();
      states[k.state]["people"].push_back({{"username", k.username},
                                           {"name", k.display_name},
                                           {"reached", reached},
                                           {"reached_at", json_time(k.delivered_at ? k.delivered_at : k.acked_at)},
                                           {"reached_via", k.delivered_via.empty() ? json(nullptr) : json(k.delivered_via)},
                                           {"emailed_at", json_time(k.emailed_at)},
                                           {"acknowledged", k.acked_at.has_value()},
                                           {"acknowledged_at", json_time(k.acked_at)},
                                           {"seconds_to_acknowledge", opt_num(secs)}});
      state_seconds[k.state].push_back(secs);
      all.push_back(secs);
    }
    json list = json::array();
    std::int64_t states_acked = 0;
    for (auto& [code, j] : states) {
      auto f = CheckFigures::compute(state_seconds[code]);
      std::int64_t reached = 0;
      for (const auto& p : j["people"]) reached += p["reached"].get<bool>() ? 1 : 0;
      j["reached"] = reached;
      j["acknowledged"] = f.acknowledged;
      j["median_seconds"] = opt_num(f.median_seconds);
      j["no_point_of_contact"] = j["people"].empty();
      if (f.acknowledged > 0) ++states_acked;
      list.push_back(std::move(j));
    }
    auto figures = CheckFigures::compute(all);
    std::int64_t reached = 0;
    for (const auto& s : list) reached += s["reached"].get<std::int64_t>();
    json summary = figures.to_json();
    summary["reached"] = reached;
    summary["states"] = static_cast<std::int64_t>(list.size());
    summary["states_acknowledged"] = states_acked;
    json out = json::object();
    out["id"] = id;
    out["forum"] = forum;
    out["communication_id"] = comm_id;
    out["schedule_id"] = r->schedule_id ? json(*r->schedule_id) : json(nullptr);
    out["scope"] = scope_json(scope_from(r->scope));
    out["started_at"] = rfc3339_from_ms(started);
    out["started_by"] = r->started_by;
    out["ack_deadline_at"] = comm ? json_time(comm->ack_deadline_at) : json(nullptr);
    out["summary"] = std::move(summary);
    out["states"] = std::move(list);
    return out;
  });
}

std::string CheckService::report_csv(const Principal* who, std::int64_t id) {
  const auto r = report(who, id);
  std::string out = "check,forum,started_at,state,state_name,contact,contact_name,reached,reached_at,reached_via,"
                    "acknowledged_at,seconds_to_acknowledge\r\n";
  auto text = [](const json& v) { return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump(); };
  for (const auto& s : r["states"]) {
    if (s["people"].empty()) {
      out += fmt::format("{},{},{},{},{},,,no,,,,\r\n", id, csv_field(r["forum"].get<std::string>()), text(r["started_at"]),
                         csv_field(s["state"].get<std::string>()), csv_field(s["name"].get<std::string>()));
      continue;
    }
    for (const auto& p : s["people"]) {
      std::optional<double> secs;
      if (!p["seconds_to_acknowledge"].is_null()) secs = p["seconds_to_acknowledge"].get<double>();
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\r\n", id, csv_field(r["forum"].get<std::string>()), text(r["started_at"]),
                         csv_field(s["state"].get<std::string>()), csv_field(s["name"].get<std::string>()), csv_field(p["username"].get<std::string>()), csv_field(p["name"].get<std::string>()),
                         p["reached"].get<bool>() ? "yes" : "no", text(p["reached_at"]), text(p["reached_via"]),
                         text(p["acknowledged_at"]), seconds_text(secs));
    }
  }
  return out;
}

json CheckService::history(const Principal& who, const std::string& forum) {
  const auto ids = db_.read([&](Connection& c) {
    require_runner(c, &who, forum);
    return CheckStore::latest(c, forum, 100);
  });
  json items = json::array();
  for (const auto id : ids) {
    auto r = report(&who, id);
    json per_state = json::object();
    for (const auto& s : r["states"]) per_state[s["state"].get<std::string>()] = s["median_seconds"];
    items.push_back({{"id", id},
                     {"started_at", r["started_at"]},
                     {"started_by", r["started_by"]},
                     {"schedule_id", r["schedule_id"]},
                     {"summary", r["summary"]},
                     {"median_seconds_by_state", per_state}});
  }
  return {{"forum", forum}, {"items", items}};
}

json CheckService::schedules(const Principal& who, const std::string& forum) {
  return db_.read([&](Connection& c) {
    require_runner(c, &who, forum);
    json items = json::array();
    for (const auto& s : CheckStore::active_schedules(c, forum))
      items.push_back({{"id", s.id},
                       {"forum", forum},
                       {"every_days", s.every_days},
                       {"next_at", rfc3339_from_ms(s.next_at)},
                       {"scope", scope_json(scope_from(s.scope))},
                       {"created_by", s.created_by},
                       {"created_at", rfc3339_from_ms(s.created_at)}});
    return json{{"items", items}};
  });
}

void CheckService::cancel_schedule(const Principal& who, std::int64_t id) {
  db_.write([&](Connection& c) {
    const auto s = CheckStore::active_schedule(c, id);
    if (!s) throw Problem::not_found("No active check schedule " + std::to_string(id) + ".");
    require_runner(c, &who, s->forum);
    CheckStore::deactivate_schedule(c, id);
    storage::Journal::append(c, who.actor(), "check.unschedule", "check_schedule:" + std::to_string(id),
                             json::object());
  });
}

int CheckService::run_schedules() {
  const auto now = hotline_.time().now_ms();
  const auto due = db_.read([&](Connection& c) { return CheckStore::due_schedules(c, now); });
  int n = 0;
  for (const auto id : due) {
    const auto comm = db_.write([&](Connection& c) -> std::optional<std::int64_t> {
      const auto r = CheckStore::active_schedule(c, id);
      if (!r || r->next_at > now) return std::nullopt;
      // The next run keeps the rhythm; runs missed while stopped are not made up one by one.
      std::int64_t next = r->next_at;
      const std::int64_t every = r->every_days * 86'400'000LL;
      while (next <= now) next += every;
      // The claim: the run is ours only if next_at is still what we read; another
      // instance starting the same run moved it first.
      if (!CheckStore::claim_run(c, id, r->next_at, next)) return std::nullopt;
      const auto check = start_in(c, "system:schedule", r->forum, scope_from(r->scope), id, true);
      return CheckStore::communication_of(c, check);
    });
    if (comm) {
      hotline_.announce(*comm);
      ++n;
    }
  }
  return n;
}

}  // namespace parley::hotline
