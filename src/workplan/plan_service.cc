#include "workplan/plan_service.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "library/access.h"
#include "negotiation/note_verbale.h"
#include "negotiation/notes.h"
#include "storage/journal.h"
#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/measure_store.h"
#include "workplan/plan_store.h"

namespace parley::workplan {

using auth::Principal;
using library::Reader;
using nlohmann::json;
using storage::Connection;

namespace {

std::string plan_symbol(const std::string& forum, std::int64_t version) { return fmt::format("{}/WP/{}", forum, version); }

// A version for this reader: circulated ones to the forum's people, drafts to its secretariat.
PlanVersion load_plan(Connection& c, const Reader& r, std::int64_t id) {
  auto p = PlanStore::version(c, id);
  if (!p || !can_read_workplan(r, p->forum) || (p->status == "draft" && !library::forum_secretariat(r, p->forum)))
    throw Problem::not_found("There is no work plan version " + std::to_string(id) + " for you.");
  return *p;
}

bool overlaps(const std::string& from, const std::string& to, const std::string& a_from, const std::string& a_to) {
  if (a_from.empty()) return true;   // undated: part of the plan until it is dated
  const auto a_end = a_to.empty() ? a_from : a_to;
  return (to.empty() || a_from <= to) && (from.empty() || a_end >= from);
}

// The plan as it stands on `today`: the catalogue's items in its order, each with the
// activities serving it (proposals once submitted; not withdrawn) within the period.
PlanContent live_content(Connection& c, const PlanVersion& v, const std::string& today) {
  PlanContent p;
  const auto forum = negotiation::notes::forum_facts(c, v.forum);
  p.forum = v.forum;
  p.forum_name = forum.name;
  p.symbol = plan_symbol(v.forum, v.version);
  p.title = v.title;
  p.version = v.version;
  p.period_from = v.period_from;
  p.period_to = v.period_to;
  p.introduction = v.introduction;
  p.as_of = today;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& m : MeasureStore::measures(c, v.forum)) {
    if (!m.period_from.empty() && !overlaps(v.period_from, v.period_to, m.period_from, m.period_to)) continue;
    PlanItem i;
    i.measure_id = m.id;
    i.code = m.code;
    i.title = m.title;
    i.period_from = m.period_from;
    i.period_to = m.period_to;
    i.coordinators = m.coordinators;
    i.co_coordinators = m.co_coordinators;
    index[m.id] = p.items.size();
    p.items.push_back(std::move(i));
  }
  PlanItem other;
  for (const auto& a : ActivityStore::activities(c, v.forum, "")) {
    if (a.status == "draft" || a.status == "withdrawn") continue;
    if (!overlaps(v.period_from, v.period_to, a.starts_on, a.ends_on)) continue;
    PlanActivity x{a.id, a.kind, a.title, a.status, a.starts_on, a.ends_on, a.venue, a.online, a.co_leads};
    const auto it = a.measure_id ? index.find(*a.measure_id) : index.end();
    (it == index.end() ? other : p.items[it->second]).activities.push_back(std::move(x));
  }
  if (!other.activities.empty()) p.items.push_back(std::move(other));
  for (auto& i : p.items) {
    std::sort(i.activities.begin(), i.activities.end(), [](const PlanActivity& a, const PlanActivity& b) {
      if (a.starts_on.empty() != b.starts_on.empty()) return b.starts_on.empty();
      return a.starts_on != b.starts_on ? a.starts_on < b.starts_on : a.id < b.id;
    });
    i.status = item_status(i.activities);
  }
  return p;
}

PlanContent content_of(Connection& c, const PlanVersion& v, const std::string& today) {
  if (v.status == "circulated" && !v.content.empty()) return plan_from_json(json::parse(v.content));
  return live_content(c, v, today);
}

// What changed since the version circulated before this one (none for the first).
std::vector<std::string> changes_of(Connection& c, const PlanVersion& v, const PlanContent& now) {
  const auto before = PlanStore::previous_circulated(c, v.forum, v.version);
  if (!before || before->content.empty()) return {};
  return plan_changes(plan_from_json(json::parse(before->content)), now);
}

json version_json(const PlanVersion& v, bool with_introduction = true) {
  json j = {{"id", v.id},
          {"forum", v.forum},
          {"version", v.version},
          {"symbol", plan_symbol(v.forum, v.version)},
          {"title", v.title},
          {"period_from", v.period_from},
          {"period_to", v.period_to},
          {"introduction", v.introduction},
          {"status", v.status},
          {"note_number", v.note_number},
          {"content_sha256", v.content_sha256},
          {"communication_id", v.communication_id ? json(*v.communication_id) : json(nullptr)},
          {"circulated_at", v.circulated_at ? json(rfc3339_from_ms(*v.circulated_at)) : json(nullptr)}};
  if (!with_introduction) j.erase("introduction");
  return j;
}

void journal(Connection& c, const Principal& who, const std::string& action, const PlanVersion& v, json facts) {
  facts["forum"] = v.forum;
  facts["version"] = v.version;
  storage::Journal::append(c, who.actor(), action, "plan:" + std::to_string(v.id), facts);
}

}  // namespace

PlanService::PlanService(storage::Database& db, TimeSource& time, hotline::HotlineService* hotline)
    : db_(db), time_(time), hotline_(hotline) {}

json PlanService::list(const Principal& who, const std::string& forum_param) {
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    require_workplan_reader(r, forum, "plans");
    const bool secretariat = library::forum_secretariat(r, forum);
    json items = json::array();
    for (const auto& v : PlanStore::versions(c, forum))
      if (v.status != "draft" || secretariat) items.push_back(version_json(v, false));
    return json{{"forum", forum}, {"items", items}, {"can_manage", secretariat}};
  });
}

json PlanService::create(const Principal& who, const std::string& forum_param, const PlanInput& in) {
  const auto now = time_.now_ms();
  const auto id = db_.write([&](Connection& c) {
    c.lock("workplan.plan");
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    require_workplan_reader(r, forum, "plans");
    require_secretariat(r, forum, "keeps its work plan");
    if (const auto draft = PlanStore::draft_of(c, forum))
      throw Problem::conflict(fmt::format("{} has a draft version of its work plan already (id {}): change it, or discard it first.",
                                          forum, *draft));
    PlanVersion v;
    v.forum = forum;
    v.version = PlanStore::next_version(c, forum);
    // A new version starts from the last one's title, period and introduction.
    if (const auto last = PlanStore::previous_circulated(c, forum, 0)) {
      v.title = last->title;
      v.period_from = last->period_from;
      v.period_to = last->period_to;
      v.introduction = last->introduction;
    }
    if (in.title) v.title = *in.title;
    if (in.period_from) v.period_from = *in.period_from;
    if (in.period_to) v.period_to = *in.period_to;
    if (in.introduction) v.introduction = *in.introduction;
    if (v.title.empty()) throw Problem::invalid("title", "name the work plan");
    if (!v.period_from.empty() && !v.period_to.empty() && v.period_to < v.period_from)
      throw Problem::invalid("period_to", "is before period_from");
    v.id = PlanStore::insert(c, v, who.user_id, now);
    journal(c, who, "workplan.plan.draft", v, {{"title", v.title}, {"period_from", v.period_from}, {"period_to", v.period_to}});
    return v.id;
  });
  return get(who, id);
}

json PlanService::update(const Principal& who, std::int64_t id, const PlanInput& in) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    auto v = load_plan(c, r, id);
    require_secretariat(r, v.forum, "keeps its work plan");
    if (v.status != "draft")
      throw Problem::conflict(fmt::format("{} was circulated by note verbale {}; it no longer changes. Open a new version.",
                                          plan_symbol(v.forum, v.version), v.note_number));
    if (in.title) v.title = *in.title;
    if (in.period_from) v.period_from = *in.period_from;
    if (in.period_to) v.period_to = *in.period_to;
    if (in.introduction) v.introduction = *in.introduction;
    if (!v.period_from.empty() && !v.period_to.empty() && v.period_to < v.period_from)
      throw Problem::invalid("period_to", "is before period_from");
    PlanStore::update(c, v, now);
    journal(c, who, "workplan.plan.update", v, {{"title", v.title}, {"period_from", v.period_from}, {"period_to", v.period_to}});
  });
  return get(who, id);
}

void PlanService::discard(const Principal& who, std::int64_t id) {
  db_.write([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto v = load_plan(c, r, id);
    require_secretariat(r, v.forum, "keeps its work plan");
    if (v.status != "draft") throw Problem::conflict("A circulated version stays on record; only a draft may be discarded.");
    PlanStore::remove_draft(c, id);
    journal(c, who, "workplan.plan.discard", v, json::object());
  });
}

json PlanService::get(const Principal& who, std::int64_t id) {
  const auto today = rfc3339_from_ms(time_.now_ms()).substr(0, 10);
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto v = load_plan(c, r, id);
    const auto content = content_of(c, v, today);
    auto j = version_json(v);
    j["content"] = plan_json(content);
    j["changes"] = changes_of(c, v, content);
    j["can_manage"] = library::forum_secretariat(r, v.forum);
    return j;
  });
}

PlanService::Rendered PlanService::render(const Principal& who, std::int64_t id, const std::string& format,
                                          const std::string& link_prefix) {
  const auto today = rfc3339_from_ms(time_.now_ms()).substr(0, 10);
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto v = load_plan(c, r, id);
    const auto content = content_of(c, v, today);
    const auto name = fmt::format("{}-work-plan-v{}", to_lower(v.forum), v.version);
    if (format == "md")
      return Rendered{plan_markdown(content, changes_of(c, v, content)), "text/markdown; charset=utf-8", name + ".md"};
    if (format == "html") return Rendered{plan_html(content, changes_of(c, v, content)), "text/html; charset=utf-8", name + ".html"};
    return Rendered{plan_timeline_svg(content, link_prefix), "image/svg+xml; charset=utf-8", name + ".svg"};
  });
}

json PlanService::circulate(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  const auto today = rfc3339_from_ms(now).substr(0, 10);
  PlanVersion circulated;
  std::string subject, body;
  db_.write([&](Connection& c) {
    c.lock("workplan.plan");
    const auto r = library::reader_of(c, who);
    auto v = load_plan(c, r, id);
    require_secretariat(r, v.forum, "circulates its work plan");
    if (v.status != "draft")
      throw Problem::conflict(fmt::format("{} was circulated by note verbale {} already.", plan_symbol(v.forum, v.version),
                                          v.note_number));
    const auto content = live_content(c, v, today);
    const auto changes = changes_of(c, v, content);
    v.content = plan_json(content).dump();
    v.content_sha256 = crypto::sha256_hex(v.content);
    v.note_number = negotiation::notes::take_number(c, v.forum, now);
    const auto forum = negotiation::notes::forum_facts(c, v.forum);
    negotiation::NoteFacts f{v.note_number, forum.code, forum.name, forum.names, v.title, content.symbol, today, false};
    std::vector<std::string> missing;
    const auto notes = negotiation::compose_notes(f, forum.languages, missing);
    body = notes.at("en");
    for (const auto& [lang, text] : notes)
      if (lang != "en") body += "\n\n---\n\n" + text;
    if (!changes.empty()) {
      body += fmt::format("\n\nChanges since version {}:\n", v.version - 1);
      for (const auto& line : changes) body += "- " + line + "\n";
    }
    subject = fmt::format("Note verbale {}: {} ({})", v.note_number, v.title, content.symbol);
    PlanStore::circulate(c, v, who.user_id, now);
    v.status = "circulated";
    v.circulated_at = now;
    journal(c, who, "workplan.plan.circulated", v,
            {{"symbol", content.symbol},
             {"note_number", v.note_number},
             {"content_sha256", v.content_sha256},
             {"items", content.items.size()},
             {"changes", changes.size()},
             {"languages_without_template", missing}});
    circulated = v;
  });
  if (const auto comm = negotiation::notes::deliver(hotline_, who, circulated.forum, subject,
                                                     body + fmt::format("\n\nIn Parley: /#/workplan/plans/{}", id), "TLP:GREEN"))
    db_.write([&](Connection& c) { PlanStore::set_communication(c, id, *comm); });
  auto j = get(who, id);
  j["note"] = body;
  return j;
}

}  // namespace parley::workplan
