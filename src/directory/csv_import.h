// ContactImporter: points of contact from the spreadsheets secretariats keep (CSV).
//
// A column mapping names, for each spreadsheet header, the contact field it holds
// (kImportFields); unmapped columns are ignored. A row matches an existing contact by
// its id (when an "id" column is mapped) or by state and name (case-insensitive), and
// is then an update of the mapped fields only (an empty cell leaves a field as it is;
// e-mail, phone and fax columns replace the contact's channels of that kind); otherwise
// it creates a contact. Scope and rules are DirectoryService's: the admin imports for
// any state, a forum's secretariat for its member states, a focal point for its own
// state, whose new contacts become nominations.
//
// A dry run reports, for every row, what it would do (create, update, unchanged) and
// every error (row, column, field, reason) without writing. The real run is one
// transaction: any error and nothing is written. A row that changes nothing writes and
// journals nothing, so importing the same file again changes nothing.
// Thread-safe: no mutable state of its own.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "common/json_input.h"
#include "storage/database.h"

namespace parley::directory {

inline const std::vector<std::string> kImportFields = {
    "id", "state", "name", "type", "agency", "position", "languages", "timezone", "availability", "office_hours",
    "email", "phone", "fax", "key_fingerprint", "nomination_ref", "valid_from", "valid_until"};

struct ImportRequest {
  std::string csv;
  char separator = 0;   // 0: detect
  // header -> field; nullopt: only describe the file's columns (with suggested fields)
  std::optional<std::vector<std::pair<std::string, std::string>>> mapping;
  std::vector<std::pair<std::string, std::string>> defaults;   // field -> value (state, type, availability)
  bool dry_run = true;

  // Reads {csv, mapping?, separator?, defaults?} (the query's dry_run is the caller's).
  static ImportRequest parse(JsonInput& in);
};

class ContactImporter {
 public:
  ContactImporter(storage::Database& db, EventSink& events) : db_(db), events_(events) {}

  // `who` null: the operator (CLI), with the admin's scope. Throws 403 for roles that
  // never manage entries, 422 for a malformed file or mapping, and 422 naming every row's
  // errors when a real run has any.
  nlohmann::json run(const auth::Principal* who, const ImportRequest& req);

 private:
  storage::Database& db_;
  EventSink& events_;
};

// The contact field a spreadsheet header most likely holds ("E-mail" -> email), or "".
std::string suggest_field(const std::string& header);

}  // namespace parley::directory
