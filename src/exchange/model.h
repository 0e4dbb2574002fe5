// The threat exchange's values: collections (a forum's sharing scopes, which are also
// its TAXII collections), stored object rows, query filters and ingest results.
// Values only; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_input.h"
#include "exchange/tlp.h"

namespace parley::exchange {

// A sharing scope of a forum. `forum`: every member state of the forum (each forum has
// exactly one); `states`: the listed states; `bilateral`: two states. `people` are the
// persons named for TLP:RED objects (a collection without them refuses TLP:RED).
struct Collection {
  std::int64_t pk = 0;
  std::string id;          // UUID (the TAXII collection id)
  std::string forum;
  std::string kind;        // forum | states | bilateral
  std::string title;
  std::string description;
  std::vector<std::string> states;     // for states / bilateral
  std::vector<std::int64_t> people;    // user ids named for TLP:RED
  std::vector<std::string> people_names;   // their usernames, same order
  std::string created_by;
  std::int64_t created_at = 0;
};

// A new collection as asked for by the API.
struct CollectionInput {
  std::string title;
  std::string description;
  std::string kind;
  std::vector<std::string> states;
  std::vector<std::string> people;   // usernames
  static CollectionInput parse(JsonInput& in);
};

// One stored version of an object.
struct StoredObject {
  std::int64_t pk = 0;
  std::int64_t collection_pk = 0;
  std::string stix_id;
  std::string type;
  std::string version;       // as sent ('' when the object has neither modified nor created)
  std::string spec_version;
  Tlp tlp = Tlp::kClear;
  std::string name;
  std::int64_t added_us = 0;   // date added, microseconds since the epoch
  std::int64_t producer_user = 0;   // 0: imported (the CLI)
  std::string producer_state;
  std::string body;            // the object's JSON, as sent (minified)

  // The TAXII version of the object: modified, else created, else date added.
  std::string taxii_version() const;
};

// A position in a collection's pages: objects are listed in the order they were added
// (date added, then row id), which the (collection_id, added_at, id) index serves directly.
struct Cursor {
  std::int64_t added_us = 0;
  std::int64_t pk = 0;
  std::string text() const { return std::to_string(added_us) + "." + std::to_string(pk); }
  static std::optional<Cursor> parse(const std::string& s);
};

// TAXII's filters and pagination, also used by the API's listing.
struct ObjectFilter {
  std::optional<std::int64_t> added_after_us;
  std::vector<std::string> ids;
  std::vector<std::string> types;
  std::vector<std::string> versions;        // "last" (default), "first", "all" or timestamps
  std::vector<std::string> spec_versions;   // only "2.1" is stored
  std::optional<Cursor> after;             // the `next` cursor (versions: pk is an offset)
  std::size_t limit = 1000;
  std::string text;                         // API search: substring of name / pattern / value
  std::optional<Tlp> tlp;                   // API: one label
  // A TAXII envelope needs of each object only its text, date added and row id: the
  // other fields of StoredObject are left empty (a tenth of a page's reading cost each).
  bool envelope_only = false;
};

struct ObjectPage {
  std::vector<StoredObject> objects;
  bool more = false;
  std::optional<Cursor> next;   // when more
};

// The outcome of storing a bundle.
struct IngestOutcome {
  struct Failure {
    std::string id;          // "" when the object has no usable id
    std::size_t index = 0;   // position in the bundle
    std::string property;
    std::string rule;
  };
  struct Success {
    std::string id;
    std::string version;
    bool duplicate = false;   // that version was already stored
  };
  std::vector<Success> successes;
  std::vector<Failure> failures;
  std::size_t total = 0;
  std::size_t stored = 0;       // new versions written
  std::size_t duplicates = 0;   // versions already there (re-posts, re-run imports)
  std::size_t rejected = 0;     // invalid objects (`failures` lists their errors, capped)
  std::string status_id;        // TAXII status resource
};

// "2024-05-01T10:00:00.123456Z" from microseconds since the epoch (TAXII timestamps).
std::string taxii_timestamp(std::int64_t us);
// Microseconds since the epoch from an RFC 3339 UTC timestamp; nullopt if malformed.
std::optional<std::int64_t> parse_taxii_timestamp(const std::string& s);

nlohmann::json to_json(const Collection& c);

}  // namespace parley::exchange
