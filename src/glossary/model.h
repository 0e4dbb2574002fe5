// The glossary's model: a forum's terms (e.g. "critical infrastructure"), each with its
// equivalents in other languages and its definitions, each attributed to its source: a
// state (with the national document it comes from, in the library), an organisation
// (UN GGE/OEWG reports, ITU, ISO/IEC 27000), or the forum itself (agreed, with the date
// and the meeting or document that agreed it). The client input for them, validated
// field by field. Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json_input.h"

namespace parley::glossary {

inline const std::vector<std::string> kSources = {"state", "organisation", "forum"};

struct Equivalent {
  std::string lang;
  std::string text;
  bool operator==(const Equivalent&) const = default;
};

struct Definition {
  std::int64_t id = 0;
  std::string source;         // state | organisation | forum
  std::string state;          // source "state": its ISO 3166 alpha-3 code
  std::string organisation;   // source "organisation": e.g. "ISO/IEC 27000:2018"
  std::optional<std::int64_t> contribution;   // the library contribution it comes from
  std::string agreed_on;      // source "forum": YYYY-MM-DD
  std::string agreed_in;      // source "forum": the meeting or document that agreed it
  std::string lang;
  std::string text;
  std::string reference;      // article, section, page
  std::int64_t created_at = 0;
};

struct Term {
  std::int64_t id = 0;
  std::string forum;
  std::string term;   // in `lang`
  std::string lang = "en";
  std::vector<Equivalent> equivalents;
  std::string note;
  std::vector<Definition> definitions;
};

// POST /glossary/terms, and PATCH (partial: only what is named changes).
struct TermInput {
  std::optional<std::string> forum;
  std::optional<std::string> term;
  std::optional<std::string> lang;
  std::optional<std::vector<Equivalent>> equivalents;
  std::optional<std::string> note;
  // Throws Problem::invalid naming each field that is wrong; `creating`: forum and term required.
  static TermInput parse(JsonInput& in, bool creating);
};

// Throws Problem::invalid naming each field that is wrong.
Definition parse_definition(JsonInput& in);

// Checks a definition's fields against each other (also for imported ones); the
// errors it finds, each naming `prefix` + the field.
std::vector<FieldError> check_definition(const Definition& d, const std::string& prefix = "");

}  // namespace parley::glossary
