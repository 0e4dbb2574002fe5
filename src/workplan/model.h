// The work plan's model, part one: a forum's catalogue of confidence-building measures
// (the CICA's ICT measures, the OSCE's sixteen, the ARF work plan's items), each with
// its coordinating and co-coordinating states and its period, and the implementation
// reports the participating states make on each measure (status, note, evidence, the
// date the report speaks for). The client input for them, validated field by field.
// Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json_input.h"

namespace parley::workplan {

// A state's implementation of a measure, in the order a reader expects them.
inline const std::vector<std::string> kStatuses = {"not_started", "in_progress", "implemented", "not_applicable"};
bool is_status(const std::string& s);

struct Measure {
  std::int64_t id = 0;
  std::string forum;
  std::string code;          // the forum's reference: "ICT-1", "CBM 3", "ii"
  std::string title;
  std::string description;
  std::string period_from;   // YYYY-MM-DD or empty
  std::string period_to;
  std::int64_t position = 0; // order in the catalogue
  std::vector<std::string> coordinators;      // alpha-3 codes
  std::vector<std::string> co_coordinators;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// POST /workplan/measures, and PATCH (partial: only what is named changes).
struct MeasureInput {
  std::optional<std::string> forum;
  std::optional<std::string> code;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> period_from;
  std::optional<std::string> period_to;
  std::optional<std::int64_t> position;
  std::optional<std::vector<std::string>> coordinators;
  std::optional<std::vector<std::string>> co_coordinators;
  // Throws Problem::invalid naming each field that is wrong; `creating`: forum, code and title required.
  static MeasureInput parse(JsonInput& in, bool creating);
};

// What a report points to as evidence of implementation: a document of the library
// ("contribution") or an activity of the forum ("activity").
struct Evidence {
  std::string kind;
  std::int64_t id = 0;
  bool operator==(const Evidence&) const = default;
};

struct Report {
  std::int64_t id = 0;
  std::int64_t measure_id = 0;
  std::string state;
  std::string status;
  std::string note;
  std::string as_of;         // the date the report speaks for, YYYY-MM-DD
  std::vector<Evidence> evidence;
  std::int64_t reported_by = 0;
  std::int64_t reported_at = 0;
};

// POST /workplan/measures/{id}/reports.
struct ReportInput {
  std::optional<std::string> state;   // default: the reporting focal point's state
  std::string status;
  std::string note;
  std::optional<std::string> as_of;   // default: today (UTC)
  std::vector<Evidence> evidence;
  static ReportInput parse(JsonInput& in);
};

// A list of alpha-3 codes (upper-cased, each once), or errors on `in` naming `key`.
std::optional<std::vector<std::string>> parse_states(JsonInput& in, const std::string& key, bool required, std::size_t most);

}  // namespace parley::workplan
