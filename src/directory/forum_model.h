// Client input for administering the directory's reference data: participants that
// are not states (with their own codes and names per language), forums (names and
// abbreviations per language, working languages, time zone), participation (member,
// observer or partner, with dates) and named groups of members. Parsing and validation
// only (throws Problem 400/422 naming each bad field); values, thread-safe to copy.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"

namespace parley::directory {

inline const std::vector<std::string> kParticipationKinds = {"member", "observer", "partner"};
inline constexpr std::size_t kMaxNames = 200;   // languages per name map


// POST /api/v1/states (all but `names` entries optional in PATCH). `names`: language ->
// name; in a PATCH a null name removes that language (not English).
struct StateInput {
  std::optional<std::string> code, kind;
  std::map<std::string, std::optional<std::string>> names;
  static StateInput parse(JsonInput& in, bool partial);
};

// POST /api/v1/forums; PATCH replaces each field given (`names` as a whole).
struct ForumInput {
  std::optional<std::string> code;
  std::optional<nlohmann::json> names;   // {"ru": {"name": "...", "abbreviation": "СВМДА"}}
  std::optional<std::vector<std::string>> languages;
  std::optional<std::string> timezone, website, secretariat;
  std::vector<std::string> cleared;      // timezone, website, secretariat set to null
  static ForumInput parse(JsonInput& in, bool partial);
};

// PUT /api/v1/forums/{forum}/members/{alpha3}.
struct ParticipationInput {
  std::string kind = "member";
  std::optional<std::string> joined_on;   // default: today
  std::optional<std::string> left_on;
  static ParticipationInput parse(JsonInput& in);
};

// PUT /api/v1/forums/{forum}/groups/{group}.
struct GroupInput {
  nlohmann::json names = nlohmann::json::object();   // language -> name
  std::vector<std::string> members;                  // alpha-3 codes
  static GroupInput parse(JsonInput& in);
};

// Forum and group codes: 2 to 16 upper-case letters, digits, '-' or '_', starting with a letter.
bool is_forum_code(const std::string& s);

}  // namespace parley::directory
