// The work plan's model, part two: a forum's bodies (the CICA's Special Working Group and
// Senior Officials' Committee; the ARF's ISG on ICTs, SOM and Ministers) with their
// chairs, and their meetings: dates in a time zone, a place or an online link, an agenda
// whose items cite drafts under negotiation, measures and library documents, the
// delegations the member states register, the meeting's documents, the decisions taken
// (each with its wording and what it acted on) and who took part. The client input for
// them, validated field by field. Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json_input.h"

namespace parley::workplan {

// What an agenda item or a decision may cite: a draft under negotiation, a measure of the
// forum, a document of the library, an activity of the forum ("" : nothing).
inline const std::vector<std::string> kCitedKinds = {"negotiation", "measure", "contribution", "activity"};
// A decision's outcome when it acts on a proposal ("" : a decision of another kind).
inline const std::vector<std::string> kOutcomes = {"approved", "returned", "not_approved", "taken_note"};
inline const std::vector<std::string> kMeetingStatuses = {"planned", "convened", "held", "cancelled"};

struct Body {
  std::int64_t id = 0;
  std::string forum, code, name;
  std::int64_t position = 0;
  std::vector<std::string> chairs;   // alpha-3 codes (the ARF's ISG has two co-chairs)
};

struct BodyInput {
  std::optional<std::string> forum, code, name;
  std::optional<std::vector<std::string>> chairs;
  std::optional<std::int64_t> position;
  static BodyInput parse(JsonInput& in, bool creating);
};

struct Cited {
  std::string kind;             // one of kCitedKinds, or "" for none
  std::int64_t id = 0;
  bool operator==(const Cited&) const = default;
};

struct AgendaItem {
  std::int64_t id = 0;
  std::string title;
  Cited cites;
};

struct Delegate {
  std::int64_t id = 0;
  std::string state, name, function;
  bool head = false;
  std::optional<bool> attended;   // recorded when the meeting is held
  std::int64_t registered_at = 0;
};

struct MeetingDocument {
  std::int64_t contribution_id = 0;
  std::string label;            // "Provisional agenda", "Chair's summary"
};

struct Decision {
  std::int64_t id = 0;
  std::optional<std::int64_t> agenda_item;
  std::string wording;
  Cited acts_on;
  std::string outcome;          // kOutcomes or ""
  std::int64_t recorded_at = 0;
};

struct Meeting {
  std::int64_t id = 0;
  std::int64_t body_id = 0;
  std::string forum;            // the body's
  std::string title;
  std::string starts_on, ends_on, start_time, time_zone;
  std::string place, online_url, registration_deadline;
  std::string status = "planned";
  std::string note_number;
  std::optional<std::int64_t> communication_id, convened_at;
  std::vector<AgendaItem> agenda;
  std::int64_t created_at = 0, updated_at = 0;
};

// POST /workplan/meetings, and PATCH (partial; the agenda, when given, replaces it).
struct MeetingInput {
  std::optional<std::int64_t> body_id;
  std::optional<std::string> title, starts_on, ends_on, start_time, time_zone, place, online_url, registration_deadline;
  std::optional<std::vector<AgendaItem>> agenda;
  static MeetingInput parse(JsonInput& in, bool creating);
};

// PUT /workplan/meetings/{id}/delegations/{state}: the state's delegation, whole.
std::vector<Delegate> parse_delegation(JsonInput& in);
// POST /workplan/meetings/{id}/decisions.
Decision parse_decision(JsonInput& in);
// A cited row: {"kind": "negotiation", "id": 3}; errors on `in` under `key`.
std::optional<Cited> parse_cited(JsonInput& in, const std::string& key);

}  // namespace parley::workplan
