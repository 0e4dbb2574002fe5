// The work plan's model, part three: activities (workshops, seminars, trainings,
// table-top exercises, studies) that member states propose with co-leads and a concept
// paper; the forum's rules they must meet (a number of co-leads, and for the ARF at least
// one co-lead inside a member group and one outside it); the forum's approval path as
// ordered stages, each a body, and each stage's decision, taken at a meeting of that body
// or by a silence procedure; then the activity scheduled, held and reported. And the
// capacity-building needs and offers states post, which the secretariat turns into
// proposals. The client input for them, validated field by field, and the rules as pure
// functions. Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json_input.h"
#include "negotiation/silence.h"

namespace parley::workplan {

inline const std::vector<std::string> kActivityKinds = {"workshop", "seminar", "training", "table_top_exercise", "study"};
inline const std::vector<std::string> kActivityStatuses = {"draft",    "in_approval", "returned", "not_approved", "approved",
                                                          "scheduled", "held",        "reported", "withdrawn"};

// A forum's rules for its activities.
struct ForumRules {
  std::string forum;
  std::int64_t min_co_leads = 1;
  std::string co_lead_group;              // e.g. "ASEAN": one co-lead inside it and one outside
  std::vector<std::int64_t> path;         // bodies' ids, in order
};

// PUT /workplan/forums/{forum}/rules (partial).
struct RulesInput {
  std::optional<std::int64_t> min_co_leads;
  std::optional<std::string> co_lead_group;        // "" clears it
  std::optional<std::vector<std::string>> approval_path;   // bodies' codes, in order
  static RulesInput parse(JsonInput& in);
};

struct Activity {
  std::int64_t id = 0;
  std::string forum, kind, title, objectives;
  std::string starts_on, ends_on, venue;
  bool online = false;
  std::string expected_participants, budget_note;
  std::optional<std::int64_t> concept_paper;   // a library contribution
  std::optional<std::int64_t> measure_id;      // the work-plan item it serves
  std::string status = "draft";
  std::int64_t stage = 0;                      // index in the path of the stage now deciding
  std::string proposed_by;                     // alpha-3
  std::vector<std::string> co_leads;
  std::string report_summary, report_outcomes;
  std::optional<std::int64_t> reported_at;
  std::map<std::string, std::int64_t> participants;   // state → people who took part
  std::vector<std::int64_t> documents;                 // library contributions of the report
  std::int64_t created_at = 0, updated_at = 0;
};

// POST /workplan/activities, and PATCH (partial).
struct ActivityInput {
  std::optional<std::string> forum, kind, title, objectives, starts_on, ends_on, venue, expected_participants, budget_note;
  std::optional<bool> online;
  std::optional<std::int64_t> concept_paper, measure_id;
  bool clear_concept_paper = false, clear_measure = false;   // given as null
  std::optional<std::vector<std::string>> co_leads;
  static ActivityInput parse(JsonInput& in, bool creating);
};

// One stage of an activity's approval: the body deciding, and its decision when taken
// (at a meeting: meeting_id and the meeting's decision; by silence: the procedure).
struct Stage {
  std::int64_t id = 0;
  std::int64_t position = 0;
  std::int64_t body_id = 0;
  std::string outcome;            // "" while undecided
  std::string comments;
  std::optional<std::int64_t> meeting_id, decision_id;
  std::optional<negotiation::SilenceRow> silence;
  std::optional<std::int64_t> decided_at;
};

// POST /workplan/activities/{id}/decisions: the current stage decided at a meeting.
struct StageDecisionInput {
  std::int64_t meeting_id = 0;
  std::string outcome, comments, wording;
  static StageDecisionInput parse(JsonInput& in);
};

// POST /workplan/activities/{id}/report.
struct ActivityReport {
  std::string summary, outcomes;
  std::map<std::string, std::int64_t> participants;
  std::vector<std::int64_t> documents;
  static ActivityReport parse(JsonInput& in);
};

// Why `co_leads` fail the forum's rules (empty: they meet them). `group_members` are the
// members of rules.co_lead_group, `group_name` its name for the reasons.
std::vector<std::string> co_lead_problems(const ForumRules& rules, const std::vector<std::string>& co_leads,
                                          const std::vector<std::string>& group_members, const std::string& group_name);

// The activity after its current stage's outcome: approved or taken note of moves it to
// the next stage (approved after the last); returned and not approved stop it there.
void apply_outcome(Activity& a, const std::string& outcome, std::size_t stages);

// A silence procedure that ran out unbroken decides its stage: approved, at its deadline.
// Returns whether it did (the caller then applies the outcome and records it).
bool settle_silence(Stage& s, std::int64_t now_ms);

// Capacity building: a state's need ("incident-handling training in Russian") or offer.
struct CapacityEntry {
  std::int64_t id = 0;
  std::string forum, state, kind, title, description, language, status = "open";
  std::optional<std::int64_t> matched_with, activity_id;
  std::int64_t created_at = 0, updated_at = 0;
};

struct CapacityInput {
  std::string forum, kind, title, description, language;
  std::optional<std::string> state;   // default: the poster's
  static CapacityInput parse(JsonInput& in);
};

}  // namespace parley::workplan
