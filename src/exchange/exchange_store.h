// The threat exchange's SQL: stateless functions over a storage::Connection, run inside
// the caller's transaction. Visibility (exchange/access.h) is applied in the SQL of every
// read, so that pagination counts only what the caller may see.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exchange/access.h"
#include "exchange/model.h"
#include "exchange/stix_validate.h"
#include "storage/database.h"

namespace parley::exchange::store {

std::vector<Collection> collections(storage::Connection& c, const std::string& forum);
std::optional<Collection> collection(storage::Connection& c, const std::string& uuid);
std::optional<Collection> forum_collection(storage::Connection& c, const std::string& forum);
void insert_collection(storage::Connection& c, Collection& col);   // sets pk
bool forum_exists(storage::Connection& c, const std::string& forum);
bool is_member(storage::Connection& c, const std::string& forum, const std::string& state);
// Whether `state` is in the collection's scope (a member of the forum for forum-wide).
bool in_scope(storage::Connection& c, const Collection& col, const std::string& state);

// Who is reading, for the SQL predicate.
struct Reader {
  std::int64_t user_id = 0;
  std::string state;
  Rights rights;
};

// Inserts many versions, 64 to a statement (one look-up of what is already there, one
// multi-row INSERT): one round trip per object made PostgreSQL ingest ten times slower
// than SQLite's. Says, for each object, whether it was new (a version already stored, or
// one earlier in the same list, is not).
struct NewObject {
  const StixObjectInfo* info;
  std::string_view body;
};
std::vector<bool> insert_objects(storage::Connection& c, std::int64_t collection_pk, const std::vector<NewObject>& objects,
                                 std::int64_t added_us, std::int64_t producer_user, const std::string& producer_state);

ObjectPage objects(storage::Connection& c, std::int64_t collection_pk, const Reader& who, const ObjectFilter& f);
// Visible versions of one object, oldest first (after the cursor).
ObjectPage versions(storage::Connection& c, std::int64_t collection_pk, const Reader& who, const std::string& stix_id,
                    const ObjectFilter& f);
// Deletes the visible versions of one object that the filter selects; returns them.
std::vector<StoredObject> remove(storage::Connection& c, std::int64_t collection_pk, const Reader& who,
                                 const std::string& stix_id, const ObjectFilter& f);

void insert_status(storage::Connection& c, const std::string& uuid, std::int64_t collection_pk, std::int64_t user_id,
                   const std::string& request_timestamp, const IngestOutcome& o);
struct StatusRow {
  std::string uuid;
  std::int64_t collection_pk = 0;
  std::int64_t user_id = 0;
  std::string request_timestamp;
  std::int64_t total = 0, success = 0, failure = 0;
  nlohmann::json details;
};
std::optional<StatusRow> status(storage::Connection& c, const std::string& uuid);

}  // namespace parley::exchange::store
