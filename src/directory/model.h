// The directory's model: forums, their member states (and non-state participants),
// national agencies and points of contact; the parsing and validation of client input
// for them. Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"

namespace parley::directory {

inline const std::vector<std::string> kContactTypes = {"policy", "technical", "law_enforcement"};
inline const std::vector<std::string> kAvailabilities = {"24/7", "office_hours"};
inline const std::vector<std::string> kChannelKinds = {"email", "phone", "fax", "other"};
inline const std::vector<std::string> kAgencyKinds = {"foreign_ministry", "cert", "regulator",
                                                      "law_enforcement", "defence", "other"};
inline const std::vector<std::string> kStatuses = {"active", "pending", "rejected"};

struct Channel {
  std::string kind;    // email | phone | fax | other
  std::string value;   // address or number
  std::string use;     // free text: "primary", "urgent, 24/7", "after hours"
};

struct Contact {
  std::int64_t id = 0;
  std::string state;
  std::string state_name;
  std::optional<std::int64_t> agency_id;
  std::string agency_name;
  std::string name;
  std::string type;
  std::string position;
  std::vector<std::string> languages;
  std::string timezone;
  std::string availability;
  std::string office_hours;
  std::vector<Channel> channels;
  std::string key_fingerprint;
  std::string nomination_ref;
  std::string valid_from;
  std::string valid_until;
  std::string status;
  std::string status_note;
  std::string nominated_by;
  std::string decided_by;
  std::string decided_at;
  std::string created_at;
  std::string updated_at;
  std::int64_t version = 1;
  std::string confirmed_at;   // when its state last confirmed it (reconfirmation)

  // Past its validity: valid_until is before `today` (YYYY-MM-DD, UTC).
  bool expired(const std::string& today) const { return !valid_until.empty() && valid_until < today; }
  // `expired` in the JSON is computed against today's date (UTC).
  nlohmann::json to_json() const;
  std::string search_text() const;   // haystack for `q`, folded (common/fold.h)
};

// Client input for creating (all required fields present) or patching (any subset) a
// contact. A field that is set to null in a patch is cleared; `cleared` names them.
struct ContactInput {
  std::optional<std::string> state;
  std::optional<std::int64_t> agency_id;
  std::optional<std::string> name, type, position, timezone, availability, office_hours;
  std::optional<std::vector<std::string>> languages;
  std::optional<std::vector<Channel>> channels;
  std::optional<std::string> key_fingerprint, nomination_ref, valid_from, valid_until;
  std::vector<std::string> cleared;

  // Validates shapes and formats; throws Problem 400/422 naming each bad field.
  static ContactInput parse(JsonInput& in, bool partial);
  // Sets on `k` the fields given and clears those in `cleared` (the API's edits and the
  // CSV import alike).
  void apply_to(Contact& k) const;
};

struct Agency {
  std::int64_t id = 0;
  std::string state;
  std::string name;
  std::string kind;
  std::string website;
  nlohmann::json to_json() const;
};

struct AgencyInput {
  std::optional<std::string> name, kind, website;
  static AgencyInput parse(JsonInput& in, bool partial);
};

struct ContactQuery {
  std::optional<std::string> state, forum, type, language, q, status;
  std::optional<std::int64_t> agency_id;
  std::optional<bool> expired;   // only contacts past (true) or within (false) their validity
  std::int64_t limit = 50;
  std::int64_t offset = 0;
  std::string name_language = "en";   // the language of state_name (not a filter)
  std::string key() const;   // identifies the query, for caching
};

struct ContactPage {
  std::vector<Contact> items;
  std::int64_t total = 0;
  std::int64_t limit = 0;
  std::int64_t offset = 0;
  nlohmann::json to_json() const;
};

}  // namespace parley::directory
