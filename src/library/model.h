// The library's model: what a state contributes (a national law, strategy, policy or
// views...), the client input for it validated field by field, and the vocabularies.
// Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json_input.h"

namespace parley::library {

inline const std::vector<std::string> kKinds = {"law",   "regulation",    "strategy",        "policy",
                                                "views", "best_practice", "national_report", "survey_answer"};
inline const std::vector<std::string> kStatuses = {"draft", "in_force", "superseded"};
inline const std::vector<std::string> kVisibilities = {"public", "forum", "states"};
inline const std::vector<std::string> kTranslations = {"original", "official", "unofficial"};
// TLP 2.0 labels a contribution may carry (TLP:RED is for named people: not a library's).
inline const std::vector<std::string> kTlpLabels = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"};

struct ContributionInput {
  std::optional<std::string> state;   // default: the submitter's state
  std::string forum;                  // submitted to
  std::string kind;
  std::string title;
  std::string summary;
  std::string issuing_body;
  std::optional<std::string> adopted_on, in_force_on;   // YYYY-MM-DD
  std::string status = "in_force";
  std::optional<std::int64_t> superseded_by;   // status "superseded": the contribution that replaces it
  std::string visibility = "forum";
  std::vector<std::string> states;    // visibility "states": who may read it
  int tlp = 1;                        // index in kTlpLabels
  std::vector<std::string> tags;

  // Throws Problem::invalid naming each field that is wrong.
  static ContributionInput parse(JsonInput& in);
};

}  // namespace parley::library
