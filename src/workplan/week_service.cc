#include "workplan/week_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/text.h"
#include "common/time.h"
#include "directory/membership.h"
#include "library/access.h"
#include "negotiation/notes.h"
#include "workplan/access.h"
#include "workplan/activity_store.h"
#include "workplan/matrix.h"
#include "workplan/measure_store.h"
#include "workplan/meeting_store.h"

namespace parley::workplan {

using auth::Principal;
using nlohmann::json;
using storage::Connection;

WeekService::WeekService(storage::Database& db, TimeSource& time) : db_(db), time_(time) {}

json WeekService::week(const Principal& who, const std::string& forum_param, std::int64_t days) {
  const auto now = time_.now_ms();
  const auto today = rfc3339_from_ms(now).substr(0, 10);
  const auto until_ms = now + days * 86400000LL;
  const auto until = rfc3339_from_ms(until_ms).substr(0, 10);
  return db_.read([&](Connection& c) {
    const auto r = library::reader_of(c, who);
    const auto forum = library::forum_or_default(r, forum_param);
    require_workplan_reader(r, forum, "plans");
    const bool secretariat = library::forum_secretariat(r, forum);
    const auto members = directory::membership::member_states(c, forum);
    const auto names = directory::membership::state_names(c, members);
    std::map<std::int64_t, Body> bodies;
    for (auto& b : MeetingStore::bodies(c, forum)) bodies.emplace(b.id, b);
    auto body_code = [&](std::int64_t id) { return bodies.contains(id) ? bodies.at(id).code : std::string(); };

    json meetings = json::array(), registrations = json::array();
    for (const auto& m : MeetingStore::meetings(c, forum, 0, today, until)) {
      if (m.status == "cancelled") continue;
      meetings.push_back({{"id", m.id}, {"title", m.title}, {"body", body_code(m.body_id)}, {"starts_on", m.starts_on},
                          {"ends_on", m.ends_on}, {"status", m.status}, {"place", m.place}});
    }
    // Registration deadlines in the window: of meetings that may start later.
    for (const auto& m : MeetingStore::meetings(c, forum, 0, today, "")) {
      if (m.registration_deadline.empty() || m.registration_deadline < today || m.registration_deadline > until) continue;
      if (m.status != "planned" && m.status != "convened") continue;
      std::set<std::string> registered;
      for (const auto& d : MeetingStore::delegates(c, m.id)) registered.insert(d.state);
      json missing = json::array();
      for (const auto& s : members)
        if (!registered.contains(s) && (secretariat || s == who.state)) missing.push_back(s);
      registrations.push_back({{"meeting", m.id}, {"title", m.title}, {"body", body_code(m.body_id)},
                               {"deadline", m.registration_deadline}, {"registered", registered.size()}, {"without_delegation", missing}});
    }

    json waiting = json::array(), silences = json::array();
    for (const auto& a : ActivityStore::activities(c, forum, "in_approval")) {
      const auto stages = ActivityStore::stages(c, a.id);
      if (stages.empty()) continue;
      const auto& s = stages.back();
      const auto st = s.silence ? s.silence->status(now) : std::string();
      if (st == "running") {
        if (s.silence->deadline <= until_ms)
          silences.push_back({{"kind", "activity"}, {"id", a.id}, {"title", a.title}, {"body", body_code(s.body_id)},
                              {"deadline", rfc3339_from_ms(s.silence->deadline)}});
        continue;
      }
      if (st == "held") continue;   // decided by silence: it moves on when next read or written
      waiting.push_back({{"id", a.id}, {"title", a.title}, {"body", body_code(s.body_id)}, {"stage", s.position},
                         {"silence_broken", st == "broken"}});
    }
    for (const auto& s : negotiation::notes::running_silences(c, who, forum, now))
      if (s.deadline <= until_ms)
        silences.push_back({{"kind", "negotiation"}, {"id", s.document_id}, {"title", s.title}, {"symbol", s.symbol},
                            {"deadline", rfc3339_from_ms(s.deadline)}});

    // States that have not reported on every measure, as of today.
    std::vector<Matrix::Row> rows;
    for (const auto& s : members) rows.push_back({s, names.contains(s) ? names.at(s) : s});
    const auto measures = MeasureStore::measures(c, forum);
    const auto matrix = build_matrix(forum, forum, today, measures, rows, MeasureStore::latest_reports(c, forum, today), {});
    json not_reported = json::array();
    for (std::size_t i = 0; i < matrix.states.size(); ++i) {
      if (!secretariat && matrix.states[i].state != who.state) continue;
      const auto missing = std::count_if(matrix.cells[i].begin(), matrix.cells[i].end(),
                                         [](const MatrixCell& x) { return x.status == kNotReported; });
      if (missing)
        not_reported.push_back({{"state", matrix.states[i].state}, {"name", matrix.states[i].name}, {"missing", missing},
                                {"measures", measures.size()}});
    }
    std::stable_sort(not_reported.begin(), not_reported.end(),
                     [](const json& a, const json& b) { return a["missing"].get<long>() > b["missing"].get<long>(); });
    return json{{"forum", forum},
                {"from", today},
                {"to", until},
                {"secretariat", secretariat},
                {"meetings", meetings},
                {"registration_deadlines", registrations},
                {"approvals_waiting", waiting},
                {"silences_ending", silences},
                {"not_reported", not_reported}};
  });
}

}  // namespace parley::workplan
