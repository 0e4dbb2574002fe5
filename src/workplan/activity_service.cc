#include "workplan/activity_service.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/membership.h"
#include "library/access.h"
#include "library/library_store.h"
#include "negotiation/notes.h"
#include "storage/journal.h"
#include "workplan/access.h"
#include "workplan/input.h"
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

std::string day_of(std::int64_t ms) { return rfc3339_from_ms(ms).substr(0, 10); }

Activity load_activity(Connection& c, const Reader& r, std::int64_t id) {
  auto a = ActivityStore::activity(c, id);
  if (!a || !can_read_workplan(r, a->forum)) throw Problem::not_found("There is no activity " + std::to_string(id) + " for you.");
  return *a;
}

// As in the negotiation: a member state's focal point or point of contact, not an observer.
bool may_break_silence(const Reader& r, const std::string& forum) {
  return library::member_person(r, forum) && (r.who.is(Role::kFocalPoint) || r.who.is(Role::kPointOfContact));
}

// A focal point of one of the activity's co-leading states.
bool co_lead(const Reader& r, const Activity& a) {
  return library::member_focal_point(r, a.forum) && input::one_of(a.co_leads, r.who.state);
}

void require_co_lead(const Reader& r, const Activity& a, const std::string& does) {
  if (!co_lead(r, a) && !library::forum_secretariat(r, a.forum))
    throw Problem::forbidden("The co-leading states' focal points (or the forum's secretariat) " + does + ".");
}

void require_status(const Activity& a, std::initializer_list<const char*> statuses, const std::string& doing) {
  for (const auto* s : statuses)
    if (a.status == s) return;
  throw Problem::conflict("The activity is " + a.status + ": it cannot " + doing + " now.");
}

// The rules' group: its members and its name (English), for the co-lead check.
std::pair<std::vector<std::string>, std::string> group_of(Connection& c, const ForumRules& rules) {
  if (rules.co_lead_group.empty()) return {};
  const auto groups = directory::membership::groups(c, rules.forum);
  const auto it = groups.find(rules.co_lead_group);
  return {it == groups.end() ? std::vector<std::string>{} : it->second, rules.co_lead_group + " member states"};
}

std::vector<std::string> problems_of(Connection& c, const ForumRules& rules, const Activity& a) {
  const auto [members, name] = group_of(c, rules);
  return co_lead_problems(rules, a.co_leads, members, name);
}

// What the proposal names must exist in its forum; a concept paper newly named must be
// one the editor may read (a co-lead editing later need not read the other's draft).
void check_facts(Connection& c, const Reader& r, const Activity& a, const std::optional<std::int64_t>& previous_paper = std::nullopt) {
  std::vector<FieldError> errors;
  for (const auto& s : a.co_leads)
    if (!directory::membership::is_member(c, a.forum, s)) errors.push_back({"co_leads", s + " is not a member of " + a.forum});
  if (a.concept_paper && a.concept_paper != previous_paper) {
    const auto s = library::LibraryStore::contribution(c, *a.concept_paper);
    if (!s || !library::can_read(r, library::facts_of(*s)))
      errors.push_back({"concept_paper", "is not a contribution to the library you may read"});
  }
  if (a.measure_id) {
    const auto m = MeasureStore::measure(c, *a.measure_id);
    if (!m || m->forum != a.forum) errors.push_back({"measure", "is not a measure of " + a.forum});
  }
  if (!errors.empty()) throw Problem::invalid(std::move(errors));
}

void apply_input(Activity& a, const ActivityInput& in) {
  if (in.kind) a.kind = *in.kind;
  if (in.title) a.title = *in.title;
  if (in.objectives) a.objectives = *in.objectives;
  if (in.starts_on) a.starts_on = *in.starts_on;
  if (in.ends_on) a.ends_on = *in.ends_on;
  if (in.venue) a.venue = *in.venue;
  if (in.online) a.online = *in.online;
  if (in.expected_participants) a.expected_participants = *in.expected_participants;
  if (in.budget_note) a.budget_note = *in.budget_note;
  if (in.clear_concept_paper) a.concept_paper.reset();
  if (in.concept_paper) a.concept_paper = *in.concept_paper;
  if (in.clear_measure) a.measure_id.reset();
  if (in.measure_id) a.measure_id = *in.measure_id;
  if (in.co_leads) a.co_leads = *in.co_leads;
  std::sort(a.co_leads.begin(), a.co_leads.end());
  if (!a.starts_on.empty() && !a.ends_on.empty() && a.ends_on < a.starts_on) throw Problem::invalid("ends_on", "is before starts_on");
}

json activity_facts(const Activity& a) {
  return {{"forum", a.forum}, {"kind", a.kind},           {"title", a.title},       {"co_leads", a.co_leads},
          {"starts_on", a.starts_on}, {"ends_on", a.ends_on}, {"venue", a.venue}, {"online", a.online},
          {"status", a.status}, {"stage", a.stage}};
}

void journal(Connection& c, const Principal& who, const std::string& action, std::int64_t id, const json& facts) {
  storage::Journal::append(c, who.actor(), action, "activity:" + std::to_string(id), facts);
}

// A silence procedure that ran out unbroken decides the current stage: applied to the
// values (reads show it so) and, in a write, stored with what follows from it.
bool settle(Activity& a, std::vector<Stage>& stages, const ForumRules& rules, std::int64_t now) {
  if (a.status != "in_approval" || stages.empty()) return false;
  auto& s = stages.back();
  if (!settle_silence(s, now)) return false;
  apply_outcome(a, s.outcome, rules.path.size());
  if (a.status == "in_approval" && static_cast<std::size_t>(a.stage) < rules.path.size())
    stages.push_back(Stage{0, a.stage, rules.path[static_cast<std::size_t>(a.stage)], "", "", {}, {}, {}, {}});
  return true;
}

// Stores what settle() changed: the decided stage, the next one, the activity.
void store_settled(Connection& c, const Principal& who, Activity& a, std::vector<Stage>& stages, std::int64_t now) {
  for (auto& s : stages) {
    if (s.id == 0) s.id = ActivityStore::insert_stage(c, a.id, s);
    else if (s.outcome == "approved" && s.silence && s.decided_at && *s.decided_at == s.silence->deadline) ActivityStore::update_stage(c, s);
  }
  ActivityStore::update_activity(c, a, now);
  // The deadline decided, not whoever's write happened to store it.
  (void)who;
  storage::Journal::append(c, "system", "workplan.activity.silence_held", "activity:" + std::to_string(a.id),
                           {{"status", a.status}, {"stage", a.stage}});
}

// Loads the activity and its stages, settled; in a write, stores the settling.
struct Loaded {
  Activity a;
  std::vector<Stage> stages;
  ForumRules rules;
};

Loaded load_settled(Connection& c, const Reader& r, std::int64_t id, std::int64_t now, bool write) {
  Loaded l{load_activity(c, r, id), ActivityStore::stages(c, id), {}};
  l.rules = ActivityStore::rules(c, l.a.forum);
  if (settle(l.a, l.stages, l.rules, now) && write) store_settled(c, r.who, l.a, l.stages, now);
  return l;
}

json readable_contribution(Connection& c, const Reader& r, std::int64_t id) {
  const auto s = library::LibraryStore::contribution(c, id);
  if (!s || !library::can_read(r, library::facts_of(*s))) return {{"id", nullptr}, {"withheld", true}};
  return {{"id", id}, {"title", s->row.title}, {"state", s->row.state}};
}

json render(Connection& c, const Reader& r, const Loaded& l, std::int64_t now) {
  const auto& a = l.a;
  std::map<std::int64_t, Body> bodies;
  for (auto& b : MeetingStore::bodies(c, a.forum)) bodies.emplace(b.id, b);
  auto body_json = [&](std::int64_t id) -> json {
    const auto it = bodies.find(id);
    if (it == bodies.end()) return {{"id", id}};
    return {{"id", id}, {"code", it->second.code}, {"name", it->second.name}};
  };
  json path = json::array();
  for (const auto id : l.rules.path) path.push_back(body_json(id));
  json stages = json::array();
  for (const auto& s : l.stages) {
    json j = {{"position", s.position}, {"body", body_json(s.body_id)}, {"outcome", s.outcome}, {"comments", s.comments},
              {"decided_at", s.decided_at ? json(rfc3339_from_ms(*s.decided_at)) : json(nullptr)}, {"meeting", nullptr},
              {"silence", s.silence ? s.silence->to_json(now) : json(nullptr)}};
    if (s.meeting_id)
      if (const auto m = MeetingStore::meeting(c, *s.meeting_id))
        j["meeting"] = {{"id", m->id}, {"title", m->title}, {"starts_on", m->starts_on}};
    stages.push_back(std::move(j));
  }
  json participants = json::array();
  for (const auto& [state, n] : a.participants) participants.push_back({{"state", state}, {"participants", n}});
  json documents = json::array();
  for (const auto d : a.documents) documents.push_back(readable_contribution(c, r, d));
  json origin = json::array();
  for (const auto& e : ActivityStore::capacity_of_activity(c, a.id))
    origin.push_back({{"id", e.id}, {"kind", e.kind}, {"state", e.state}, {"title", e.title}});
  const bool secretariat = library::forum_secretariat(r, a.forum);
  const bool lead = co_lead(r, a);
  const bool editable = a.status == "draft" || a.status == "returned";
  const auto problems = problems_of(c, l.rules, a);
  const auto* current = !l.stages.empty() && a.status == "in_approval" ? &l.stages.back() : nullptr;
  const bool silence_running = current && current->silence && current->silence->status(now) == "running";
  json j = {{"id", a.id},
            {"forum", a.forum},
            {"kind", a.kind},
            {"title", a.title},
            {"objectives", a.objectives},
            {"starts_on", a.starts_on},
            {"ends_on", a.ends_on},
            {"venue", a.venue},
            {"online", a.online},
            {"expected_participants", a.expected_participants},
            {"budget_note", a.budget_note},
            {"concept_paper", a.concept_paper ? readable_contribution(c, r, *a.concept_paper) : json(nullptr)},
            {"measure", nullptr},
            {"status", a.status},
            {"stage", a.stage},
            {"proposed_by", a.proposed_by},
            {"co_leads", a.co_leads},
            {"rules", {{"ok", problems.empty()}, {"problems", problems}}},
            {"path", path},
            {"stages", stages},
            {"report", a.reported_at ? json{{"summary", a.report_summary}, {"outcomes", a.report_outcomes},
                                            {"participants", participants}, {"documents", documents},
                                            {"reported_at", rfc3339_from_ms(*a.reported_at)}}
                                     : json(nullptr)},
            {"from_capacity", origin},
            {"created_at", rfc3339_from_ms(a.created_at)},
            {"updated_at", rfc3339_from_ms(a.updated_at)},
            {"can_edit", editable && (lead || secretariat)},
            {"can_submit", editable && (lead || secretariat)},
            {"can_decide", secretariat && current != nullptr && !silence_running},
            {"can_break_silence", silence_running && may_break_silence(r, a.forum)},
            {"can_schedule", (a.status == "approved" || a.status == "scheduled") && (lead || secretariat)},
            {"can_report", (a.status == "scheduled" || a.status == "held") && (lead || secretariat)}};
  if (a.measure_id)
    if (const auto m = MeasureStore::measure(c, *a.measure_id))
      j["measure"] = {{"id", m->id}, {"code", m->code}, {"title", m->title}};
  return j;
}

json summary(const Activity& a) {
  return {{"id", a.id},           {"forum", a.forum},         {"kind", a.kind},   {"title", a.title},
          {"status", a.status},   {"stage", a.stage},         {"co_leads", a.co_leads},
          {"starts_on", a.starts_on}, {"ends_on", a.ends_on}, {"venue", a.venue}, {"online", a.online},
          {"measure_id", a.measure_id ? json(*a.measure_id) : json(nullptr)}};
}

json capacity_json(const CapacityEntry& e) {
  return {{"id", e.id},
          {"forum", e.forum},
          {"state", e.state},
          {"kind", e.kind},
          {"title", e.title},
          {"description", e.description},
          {"language", e.language},
          {"status", e.status},
          {"matched_with", e.matched_with ? json(*e.matched_with) : json(nullptr)},
          {"activity", e.activity_id ? json(*e.activity_id) : json(nullptr)},
          {"created_at", rfc3339_from_ms(e.created_at)},
          {"updated_at", rfc3339_from_ms(e.updated_at)}};
}

}  // namespace

ActivityService::ActivityService(storage::Database& db, TimeSource& time, hotline::HotlineService* hotline)
    : db_(db), time_(time), hotline_(hotline) {}

json ActivityService::rules(const Principal& who, const std::string& forum_param) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    require_workplan_reader(r, forum, "rules");
    const auto rules = ActivityStore::rules(c, forum);
    json path = json::array();
    for (const auto id : rules.path)
      if (const auto b = MeetingStore::body(c, id)) path.push_back({{"id", b->id}, {"code", b->code}, {"name", b->name}});
    return json{{"forum", forum},
                {"min_co_leads", rules.min_co_leads},
                {"co_lead_group", rules.co_lead_group},
                {"approval_path", path},
                {"can_manage", library::forum_secretariat(r, forum)}};
  });
}

json ActivityService::set_rules(const Principal& who, const std::string& forum_param, const RulesInput& in) {
  auth::require_role(who, {Role::kSecretariat}, "set a forum's rules for activities");
  const auto now = time_.now_ms();
  const auto forum = to_upper(forum_param);
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    require_workplan_reader(r, forum, "rules");
    require_secretariat(r, forum, "sets its rules for activities");
    auto rules = ActivityStore::rules(c, forum);
    if (in.min_co_leads) rules.min_co_leads = *in.min_co_leads;
    if (in.co_lead_group) {
      if (!in.co_lead_group->empty() && !directory::membership::groups(c, forum).contains(*in.co_lead_group))
        throw Problem::invalid("co_lead_group", *in.co_lead_group + " is not a group of " + forum);
      rules.co_lead_group = *in.co_lead_group;
    }
    if (in.approval_path) {
      rules.path.clear();
      for (const auto& code : *in.approval_path) {
        const auto id = MeetingStore::find_body(c, forum, code);
        if (!id) throw Problem::invalid("approval_path", code + " is not a body of " + forum);
        rules.path.push_back(*id);
      }
    }
    ActivityStore::put_rules(c, rules, now);
    storage::Journal::append(c, who.actor(), "workplan.rules.set", "rules:" + forum,
                             {{"min_co_leads", rules.min_co_leads},
                              {"co_lead_group", rules.co_lead_group},
                              {"approval_path", in.approval_path.value_or(std::vector<std::string>{})}});
  });
  return rules(who, forum);
}

json ActivityService::list(const Principal& who, const std::string& forum_param, const std::string& status) {
  if (!status.empty() && !input::one_of(kActivityStatuses, status))
    throw Problem::bad_request("No activity has that status.", {{"status", "is not a status of an activity"}});
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    require_workplan_reader(r, forum, "activities");
    const auto rules = ActivityStore::rules(c, forum);
    json items = json::array();
    for (auto& a : ActivityStore::activities(c, forum, "")) {
      if (a.status == "in_approval") {   // a silence may have decided its stage since
        auto stages = ActivityStore::stages(c, a.id);
        settle(a, stages, rules, now);
      }
      if (status.empty() || a.status == status) items.push_back(summary(a));
    }
    return json{{"forum", forum},
                {"items", items},
                {"can_propose", library::member_focal_point(r, forum) || library::forum_secretariat(r, forum)}};
  });
}

json ActivityService::propose(const Principal& who, const ActivityInput& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "propose activities");
  const auto now = time_.now_ms();
  const auto id = db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = *in.forum;
    require_workplan_reader(r, forum, "activities");
    const bool secretariat = library::forum_secretariat(r, forum);
    if (!secretariat && !library::member_focal_point(r, forum))
      throw Problem::forbidden("Member states' focal points (and the forum's secretariat) propose activities.");
    Activity a;
    a.forum = forum;
    a.kind = *in.kind;
    a.title = *in.title;
    apply_input(a, in);
    if (!secretariat && !input::one_of(a.co_leads, who.state))
      throw Problem::invalid("co_leads", "include your own state: a state proposes the activities it co-leads");
    a.proposed_by = secretariat ? a.co_leads.front() : who.state;
    check_facts(c, r, a);
    a.id = ActivityStore::insert_activity(c, a, who.user_id, now);
    journal(c, who, "workplan.activity.proposed", a.id, activity_facts(a));
    return a.id;
  });
  return get(who, id);
}

json ActivityService::get(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    return render(c, r, load_settled(c, r, id, now, false), now);
  });
}

json ActivityService::update(const Principal& who, std::int64_t id, const ActivityInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto a = load_activity(c, r, id);
    require_co_lead(r, a, "edit a proposal");
    require_status(a, {"draft", "returned"}, "be edited (it is under approval or decided)");
    const auto previous_paper = a.concept_paper;
    apply_input(a, in);
    if (a.co_leads.empty()) throw Problem::invalid("co_leads", "name at least one co-lead");
    check_facts(c, r, a, previous_paper);
    ActivityStore::update_activity(c, a, now);
    journal(c, who, "workplan.activity.updated", a.id, activity_facts(a));
  });
  return get(who, id);
}

json ActivityService::submit(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto a = load_activity(c, r, id);
    require_co_lead(r, a, "submit a proposal");
    require_status(a, {"draft", "returned"}, "be submitted");
    const auto rules = ActivityStore::rules(c, a.forum);
    std::vector<FieldError> errors;
    for (const auto& p : problems_of(c, rules, a)) errors.push_back({"co_leads", p});
    if (!a.concept_paper) errors.push_back({"concept_paper", "is required to submit: the concept paper, in the library"});
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    if (rules.path.empty())
      throw Problem::conflict(a.forum + " has no approval path for activities yet; its secretariat sets one.");
    if (a.status == "draft") a.stage = 0;
    a.stage = std::min<std::int64_t>(a.stage, static_cast<std::int64_t>(rules.path.size()) - 1);
    a.status = "in_approval";
    ActivityStore::insert_stage(c, a.id, Stage{0, a.stage, rules.path[static_cast<std::size_t>(a.stage)], "", "", {}, {}, {}, {}});
    ActivityStore::update_activity(c, a, now);
    journal(c, who, "workplan.activity.submitted", a.id, {{"stage", a.stage}});
  });
  return get(who, id);
}

json ActivityService::withdraw(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto l = load_settled(c, r, id, now, true);
    require_co_lead(r, l.a, "withdraw a proposal");
    require_status(l.a, {"draft", "returned", "in_approval", "approved", "scheduled"}, "be withdrawn");
    l.a.status = "withdrawn";
    ActivityStore::update_activity(c, l.a, now);
    journal(c, who, "workplan.activity.withdrawn", id, json::object());
  });
  return get(who, id);
}

json ActivityService::decide(const Principal& who, std::int64_t id, const StageDecisionInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto l = load_settled(c, r, id, now, true);
    auto& a = l.a;
    require_secretariat(r, a.forum, "records the approval stages' decisions");
    require_status(a, {"in_approval"}, "take a stage's decision");
    auto& stage = l.stages.back();
    if (stage.silence && stage.silence->status(now) == "running")
      throw Problem::conflict("A silence procedure decides this stage until " + rfc3339_from_ms(stage.silence->deadline) + ".");
    const auto m = MeetingStore::meeting(c, in.meeting_id);
    const auto body = MeetingStore::body(c, stage.body_id);
    if (!m || m->forum != a.forum) throw Problem::invalid("meeting", "is not a meeting of " + a.forum);
    if (m->body_id != stage.body_id)
      throw Problem::invalid("meeting", "is a meeting of another body: this stage is decided by " + (body ? body->name : "its body"));
    if (m->status == "cancelled") throw Problem::invalid("meeting", "was cancelled");
    if (day_of(now) < m->starts_on) throw Problem::invalid("meeting", "has not begun: it decides from " + m->starts_on);
    Decision d;
    d.wording = in.wording.empty()
        ? fmt::format("The {} {} the proposal \"{}\".", body ? body->name : "meeting",
                      in.outcome == "approved"       ? "approved"
                      : in.outcome == "returned"     ? "returned with comments"
                      : in.outcome == "not_approved" ? "did not approve"
                                                     : "took note of",
                      a.title)
        : in.wording;
    d.acts_on = {"activity", a.id};
    d.outcome = in.outcome;
    for (const auto& item : m->agenda)
      if (item.cites.kind == "activity" && item.cites.id == a.id) d.agenda_item = item.id;
    const auto decision = MeetingStore::insert_decision(c, m->id, d, who.user_id, now);
    storage::Journal::append(c, who.actor(), "workplan.meeting.decision", "meeting:" + std::to_string(m->id),
                             {{"decision", decision}, {"wording", d.wording}, {"acts_on", {{"kind", "activity"}, {"id", a.id}}},
                              {"outcome", d.outcome}});
    stage.outcome = in.outcome;
    stage.comments = in.comments;
    stage.meeting_id = m->id;
    stage.decision_id = decision;
    stage.decided_at = now;
    ActivityStore::update_stage(c, stage);
    apply_outcome(a, in.outcome, l.rules.path.size());
    if (a.status == "in_approval")
      ActivityStore::insert_stage(c, a.id, Stage{0, a.stage, l.rules.path[static_cast<std::size_t>(a.stage)], "", "", {}, {}, {}, {}});
    ActivityStore::update_activity(c, a, now);
    journal(c, who, "workplan.activity.stage_decided", a.id,
            {{"stage", stage.position}, {"body", body ? body->code : ""}, {"meeting", m->id}, {"outcome", in.outcome},
             {"comments", in.comments}, {"status", a.status}});
  });
  return get(who, id);
}

json ActivityService::start_silence(const Principal& who, std::int64_t id, std::int64_t deadline) {
  const auto now = time_.now_ms();
  std::string forum, subject, body;
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto l = load_settled(c, r, id, now, true);
    auto& a = l.a;
    require_secretariat(r, a.forum, "runs silence procedures");
    require_status(a, {"in_approval"}, "go under a silence procedure");
    if (const auto problem = negotiation::silence_deadline_problem(deadline, now)) throw Problem::invalid("deadline", *problem);
    if (l.stages.back().silence && l.stages.back().silence->status(now) == "running")
      throw Problem::conflict("A silence procedure is already running until " + rfc3339_from_ms(l.stages.back().silence->deadline) + ".");
    if (l.stages.back().silence) {
      // Silence was broken: a new attempt is a new row of the same stage, so that who
      // broke the last one, and why, stays in the activity's history.
      Stage again{0, l.stages.back().position, l.stages.back().body_id, "", "", {}, {}, {}, {}};
      again.id = ActivityStore::insert_stage(c, a.id, again);
      l.stages.push_back(again);
    }
    auto& stage = l.stages.back();
    negotiation::SilenceRow s;
    s.id = stage.id;
    s.started_by = who.username;
    s.started_at = now;
    s.deadline = deadline;
    stage.silence = s;
    ActivityStore::update_stage(c, stage);
    const auto b = MeetingStore::body(c, stage.body_id);
    journal(c, who, "workplan.activity.silence_started", a.id,
            {{"stage", stage.position}, {"body", b ? b->code : ""}, {"deadline", rfc3339_from_ms(deadline)}});
    forum = a.forum;
    subject = fmt::format("Silence procedure: {} ({})", a.title, b ? b->name : "approval");
    body = fmt::format(
        "The Secretariat places the proposed {} \"{}\", co-led by {}, under a silence procedure for its approval by the {}. "
        "Unless a Member State breaks silence through Parley before {} (UTC), the proposal will be considered approved at "
        "this stage.\n\nIn Parley: /#/workplan/activities/{}",
        a.kind, a.title, fmt::join(a.co_leads, ", "), b ? b->name : "forum", rfc3339_from_ms(deadline), a.id);
  });
  negotiation::notes::deliver(hotline_, who, forum, subject, body, "TLP:GREEN");
  return get(who, id);
}

json ActivityService::break_silence(const Principal& who, std::int64_t id, const std::string& reason) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto l = load_settled(c, r, id, now, true);
    if (!may_break_silence(r, l.a.forum))
      throw Problem::forbidden("Only a member state's focal point or point of contact may break silence.");
    if (l.a.status != "in_approval" || !l.stages.back().silence)
      throw Problem::conflict("No silence procedure is running on this activity.");
    auto& stage = l.stages.back();
    auto& s = *stage.silence;
    const auto st = s.status(now);
    if (st == "broken") throw Problem::conflict("Silence was already broken by " + s.broken_state + ".");
    s.broken_state = who.state;
    s.broken_by = who.username;
    s.broken_at = now;
    s.reason = reason;
    ActivityStore::update_stage(c, stage);
    journal(c, who, "workplan.activity.silence_broken", l.a.id, {{"stage", stage.position}, {"state", who.state}, {"reason", reason}});
  });
  return get(who, id);
}

json ActivityService::schedule(const Principal& who, std::int64_t id, const ActivityInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto l = load_settled(c, r, id, now, true);
    auto& a = l.a;
    require_co_lead(r, a, "schedule an activity");
    require_status(a, {"approved", "scheduled"}, "be scheduled (it must be approved first)");
    ActivityInput dates;
    dates.starts_on = in.starts_on;
    dates.ends_on = in.ends_on;
    dates.venue = in.venue;
    dates.online = in.online;
    apply_input(a, dates);
    if (a.starts_on.empty()) throw Problem::invalid("starts_on", "is required to schedule the activity");
    if (a.ends_on.empty()) a.ends_on = a.starts_on;
    if (a.venue.empty() && !a.online) throw Problem::invalid("venue", "name the venue, or say it is online");
    a.status = "scheduled";
    ActivityStore::update_activity(c, a, now);
    journal(c, who, "workplan.activity.scheduled", a.id, {{"starts_on", a.starts_on}, {"ends_on", a.ends_on}, {"venue", a.venue}, {"online", a.online}});
  });
  return get(who, id);
}

json ActivityService::held(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto a = load_activity(c, r, id);
    require_co_lead(r, a, "record that an activity was held");
    require_status(a, {"scheduled"}, "be recorded as held (it must be scheduled)");
    if (day_of(now) < a.starts_on) throw Problem::conflict("The activity starts on " + a.starts_on + ".");
    a.status = "held";
    ActivityStore::update_activity(c, a, now);
    journal(c, who, "workplan.activity.held", a.id, json::object());
  });
  return get(who, id);
}

json ActivityService::report(const Principal& who, std::int64_t id, const ActivityReport& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto a = load_activity(c, r, id);
    require_co_lead(r, a, "report an activity");
    require_status(a, {"held", "reported"}, "be reported (it must be held)");
    std::vector<FieldError> errors;
    for (const auto& [state, _] : in.participants)
      if (!directory::membership::state_exists(c, state)) errors.push_back({"participants", state + " is not a known state"});
    for (std::size_t i = 0; i < in.documents.size(); ++i) {
      const auto s = library::LibraryStore::contribution(c, in.documents[i]);
      if (!s || !library::can_read(r, library::facts_of(*s)))
        errors.push_back({"documents." + std::to_string(i), "is not a contribution to the library you may read"});
    }
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    a.report_summary = in.summary;
    a.report_outcomes = in.outcomes;
    a.participants = in.participants;
    a.documents = in.documents;
    a.reported_at = now;
    a.status = "reported";
    ActivityStore::set_report(c, a);
    ActivityStore::update_activity(c, a, now);
    std::int64_t total = 0;
    for (const auto& [_, n] : in.participants) total += n;
    journal(c, who, "workplan.activity.reported", a.id,
            {{"summary", in.summary}, {"outcomes", in.outcomes}, {"states", in.participants.size()}, {"participants", total},
             {"documents", in.documents.size()}});
  });
  return get(who, id);
}

json ActivityService::capacity(const Principal& who, const std::string& forum_param, const std::string& kind,
                               const std::string& state_param) {
  if (!kind.empty() && kind != "need" && kind != "offer")
    throw Problem::bad_request("Capacity building has needs and offers.", {{"kind", "must be need or offer"}});
  const auto state = to_upper(state_param);
  if (!state.empty() && !is_alpha3(state)) throw Problem::bad_request("Name a state by its code.", {{"state", "is not an alpha-3 code"}});
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    require_workplan_reader(r, forum, "capacity-building needs and offers");
    json items = json::array();
    for (const auto& e : ActivityStore::capacity(c, forum, kind, state)) items.push_back(capacity_json(e));
    return json{{"forum", forum},
                {"items", items},
                {"can_post", library::member_focal_point(r, forum) || library::forum_secretariat(r, forum)},
                {"can_match", library::forum_secretariat(r, forum)}};
  });
}

json ActivityService::post_capacity(const Principal& who, const CapacityInput& in) {
  auth::require_role(who, {Role::kFocalPoint, Role::kSecretariat}, "post capacity-building needs and offers");
  const auto now = time_.now_ms();
  return db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    require_workplan_reader(r, in.forum, "capacity-building needs and offers");
    CapacityEntry e;
    e.forum = in.forum;
    e.state = in.state.value_or(who.state);
    if (e.state.empty()) throw Problem::invalid("state", "is required: name the state that has the need or makes the offer");
    if (!library::forum_secretariat(r, in.forum) && !(library::member_focal_point(r, in.forum) && e.state == who.state))
      throw Problem::forbidden("A state's focal point posts its own state's needs and offers (or the forum's secretariat on its behalf).");
    if (!directory::membership::is_member(c, e.forum, e.state)) throw Problem::invalid("state", e.state + " is not a member of " + e.forum);
    e.kind = in.kind;
    e.title = in.title;
    e.description = in.description;
    e.language = in.language;
    e.id = ActivityStore::insert_capacity(c, e, who.user_id, now);
    e.created_at = e.updated_at = now;
    storage::Journal::append(c, who.actor(), "workplan.capacity.posted", "capacity:" + std::to_string(e.id),
                             {{"forum", e.forum}, {"state", e.state}, {"kind", e.kind}, {"title", e.title}, {"language", e.language}});
    return capacity_json(e);
  });
}

json ActivityService::capacity_entry(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto e = ActivityStore::capacity_entry(c, id);
    if (!e || !can_read_workplan(r, e->forum)) throw Problem::not_found("There is no capacity-building entry " + std::to_string(id) + " for you.");
    auto j = capacity_json(*e);
    // Its history: posted, then matched (with what, into which activity) or withdrawn;
    // the activity's own stages follow in "activity".
    json history = json::array({{{"event", "posted"}, {"at", rfc3339_from_ms(e->created_at)}}});
    if (e->status == "matched")
      history.push_back({{"event", "matched"}, {"at", rfc3339_from_ms(e->updated_at)}, {"with", *e->matched_with}, {"activity", *e->activity_id}});
    if (e->status == "withdrawn") history.push_back({{"event", "withdrawn"}, {"at", rfc3339_from_ms(e->updated_at)}});
    j["history"] = history;
    if (e->matched_with)
      if (const auto other = ActivityStore::capacity_entry(c, *e->matched_with)) j["matched"] = capacity_json(*other);
    if (e->activity_id) j["activity"] = render(c, r, load_settled(c, r, *e->activity_id, now, false), now);
    return j;
  });
}

json ActivityService::withdraw_capacity(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto e = ActivityStore::capacity_entry(c, id);
    if (!e || !can_read_workplan(r, e->forum)) throw Problem::not_found("There is no capacity-building entry " + std::to_string(id) + " for you.");
    if (!library::forum_secretariat(r, e->forum) && !(library::member_focal_point(r, e->forum) && e->state == who.state))
      throw Problem::forbidden("A state's focal point withdraws its own state's entries (or the forum's secretariat).");
    if (e->status != "open") throw Problem::conflict("The entry is " + e->status + ".");
    e->status = "withdrawn";
    ActivityStore::update_capacity(c, *e, now);
    storage::Journal::append(c, who.actor(), "workplan.capacity.withdrawn", "capacity:" + std::to_string(id), json::object());
  });
  return capacity_entry(who, id);
}

json ActivityService::match(const Principal& who, std::int64_t need_id, std::int64_t offer_id, const std::string& kind) {
  auth::require_role(who, {Role::kSecretariat}, "match capacity-building needs and offers");
  const auto now = time_.now_ms();
  const auto activity = db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto need = ActivityStore::capacity_entry(c, need_id);
    auto offer = ActivityStore::capacity_entry(c, offer_id);
    if (!need || !can_read_workplan(r, need->forum) || need->kind != "need") throw Problem::invalid("need", "is not a need you may read");
    if (!offer || offer->forum != need->forum || offer->kind != "offer")
      throw Problem::invalid("offer", "is not an offer of the same forum");
    require_secretariat(r, need->forum, "matches needs and offers");
    if (need->status != "open") throw Problem::conflict("The need is " + need->status + ".");
    if (offer->status != "open") throw Problem::conflict("The offer is " + offer->status + ".");
    Activity a;
    a.forum = need->forum;
    a.kind = kind;
    a.title = need->title;
    a.objectives = need->description + (offer->description.empty() ? "" : "\n\n" + offer->description);
    a.co_leads = {offer->state};
    if (need->state != offer->state) a.co_leads.push_back(need->state);
    std::sort(a.co_leads.begin(), a.co_leads.end());
    a.proposed_by = offer->state;
    a.id = ActivityStore::insert_activity(c, a, who.user_id, now);
    for (auto* e : {&*need, &*offer}) {
      e->status = "matched";
      e->matched_with = e == &*need ? offer->id : need->id;
      e->activity_id = a.id;
      ActivityStore::update_capacity(c, *e, now);
      storage::Journal::append(c, who.actor(), "workplan.capacity.matched", "capacity:" + std::to_string(e->id),
                               {{"matched_with", *e->matched_with}, {"activity", a.id}});
    }
    journal(c, who, "workplan.activity.proposed", a.id, activity_facts(a));
    return a.id;
  });
  return get(who, activity);
}

}  // namespace parley::workplan
