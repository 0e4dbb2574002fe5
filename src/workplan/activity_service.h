// ActivityService: a forum's activities from proposal to report, the forum's rules and
// approval path, and capacity building's needs and offers.
//
//  * The secretariat sets the forum's rules: how many co-leads, the member group a
//    proposal needs a co-lead inside and outside of (the ARF's ASEAN rule), and the
//    approval path (bodies in order: ISG → SOM → Ministers).
//  * A member state's focal point proposes an activity with its state among the co-leads
//    (a draft); the co-leads' focal points and the secretariat edit it while it is a draft
//    or returned, and submit it. Submission checks the rules and names each reason a
//    proposal fails them (422 on "co_leads"), and asks for a concept paper.
//  * Each stage is decided by the secretariat, either at a meeting of the stage's body
//    (the meeting's decision is recorded with it) or by a silence procedure (a note verbale
//    goes out; any member state's person may break it before the deadline; unbroken, the
//    stage is approved at the deadline). Approved or taken note of moves the activity on;
//    returned sends it back to its co-leads (resubmitted, it comes back to the same
//    stage); not approved ends it.
//  * Approved, its co-leads schedule it, record it held, and report it (summary,
//    participants by state, outcomes, documents).
//  * Capacity building: focal points post their state's needs and offers; the secretariat
//    matches a need with an offer into a draft activity co-led by both states; each side
//    sees its entry's history (matched with what, which activity, where it stands).
// Readers are the forum's (workplan/access.h). Journaled on activity:<id>, capacity:<id>
// and rules:<forum> (read by the forum's readers).
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/time_source.h"
#include "storage/database.h"
#include "workplan/activity_model.h"

namespace parley::hotline {
class HotlineService;
}

namespace parley::workplan {

class ActivityService {
 public:
  ActivityService(storage::Database& db, TimeSource& time, hotline::HotlineService* hotline);

  nlohmann::json rules(const auth::Principal& who, const std::string& forum);
  nlohmann::json set_rules(const auth::Principal& who, const std::string& forum, const RulesInput& in);

  nlohmann::json list(const auth::Principal& who, const std::string& forum, const std::string& status);
  nlohmann::json propose(const auth::Principal& who, const ActivityInput& in);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json update(const auth::Principal& who, std::int64_t id, const ActivityInput& in);
  nlohmann::json submit(const auth::Principal& who, std::int64_t id);
  nlohmann::json withdraw(const auth::Principal& who, std::int64_t id);
  nlohmann::json decide(const auth::Principal& who, std::int64_t id, const StageDecisionInput& in);
  nlohmann::json start_silence(const auth::Principal& who, std::int64_t id, std::int64_t deadline_ms);
  nlohmann::json break_silence(const auth::Principal& who, std::int64_t id, const std::string& reason);
  // Approved → scheduled (dates and venue); again while scheduled to change them.
  nlohmann::json schedule(const auth::Principal& who, std::int64_t id, const ActivityInput& in);
  nlohmann::json held(const auth::Principal& who, std::int64_t id);
  nlohmann::json report(const auth::Principal& who, std::int64_t id, const ActivityReport& in);

  nlohmann::json capacity(const auth::Principal& who, const std::string& forum, const std::string& kind, const std::string& state);
  nlohmann::json post_capacity(const auth::Principal& who, const CapacityInput& in);
  nlohmann::json capacity_entry(const auth::Principal& who, std::int64_t id);
  nlohmann::json withdraw_capacity(const auth::Principal& who, std::int64_t id);
  // The secretariat turns a need and an offer into a draft activity co-led by both states.
  nlohmann::json match(const auth::Principal& who, std::int64_t need, std::int64_t offer, const std::string& kind);

 private:
  storage::Database& db_;
  TimeSource& time_;
  hotline::HotlineService* hotline_;
};

}  // namespace parley::workplan
