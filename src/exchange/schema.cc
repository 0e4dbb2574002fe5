#include "exchange/schema.h"

namespace parley::exchange {

// An object's `body` is its JSON as the producer sent it (minified); the other columns
// are what queries filter and order on. `id` orders objects by when they were added and
// is the pagination cursor. Objects are found by `id_hash`, a 64-bit hash of `stix_id`:
// its index is a fifth of the size of one on the 48-byte ids, which keeps the random
// inserts of a bulk import in the page cache (an import of a million objects was bound
// by rewriting the leaves of a text index). One version of an object per collection:
// exchange_store.cc's insert checks (collection_id, id_hash, stix_id, version_key)
// inside the write transaction. `version_key` is `version` normalised for comparison
// (exchange/stix_validate.h); '' for objects without modified or created (most SCOs),
// whose one version is keyed on their id. `tlp` is 0 CLEAR, 1 GREEN, 2 AMBER,
// 3 AMBER+STRICT, 4 RED. Times: added_at in microseconds (TAXII's precision),
// created_at in milliseconds.
std::vector<storage::Migration> migrations() {
  return {{400, "exchange: collections, STIX objects, TAXII status", R"sql(
CREATE TABLE exchange_collections (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  forum TEXT NOT NULL REFERENCES forums(code),
  kind TEXT NOT NULL CHECK (kind IN ('forum','states','bilateral')),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  states TEXT NOT NULL,
  people TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX exchange_collections_one_forum_wide ON exchange_collections(forum) WHERE kind = 'forum';
CREATE TABLE stix_objects (
  id INTEGER PRIMARY KEY,
  collection_id INTEGER NOT NULL REFERENCES exchange_collections(id),
  id_hash INTEGER NOT NULL,
  stix_id TEXT NOT NULL,
  type TEXT NOT NULL,
  version TEXT NOT NULL,
  version_key TEXT NOT NULL,
  spec_version TEXT NOT NULL,
  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
  name TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  producer_user INTEGER,
  producer_state TEXT,
  body TEXT NOT NULL
);
CREATE INDEX stix_objects_key ON stix_objects(collection_id, id_hash);
CREATE INDEX stix_objects_type ON stix_objects(collection_id, type);
CREATE INDEX stix_objects_added ON stix_objects(collection_id, added_at);
CREATE TABLE exchange_status (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  collection_id INTEGER NOT NULL REFERENCES exchange_collections(id),
  user_id INTEGER,
  request_timestamp TEXT NOT NULL,
  total INTEGER NOT NULL,
  success INTEGER NOT NULL,
  failure INTEGER NOT NULL,
  details TEXT NOT NULL
);
)sql"},
          // A page of objects orders on (added_at, id) and resumes after its cursor's pair:
          // PostgreSQL's index needs `id` named to read a page in order (SQLite's already
          // ends with the rowid), or each page sorts the whole collection. `only_version`
          // is 1 while no other version of the object is in the collection (whoever may
          // see it): the latest-version check of a page then costs nothing for most
          // objects, where it was a second index probe and row read per object.
          {401, "exchange: page index, objects with one version", R"sql(
DROP INDEX stix_objects_added;
CREATE INDEX stix_objects_added ON stix_objects(collection_id, added_at, id);
ALTER TABLE stix_objects ADD COLUMN only_version INTEGER NOT NULL DEFAULT 1 CHECK (only_version IN (0, 1));
UPDATE stix_objects SET only_version = 0 WHERE EXISTS (SELECT 1 FROM stix_objects n
  WHERE n.collection_id = stix_objects.collection_id AND n.id_hash = stix_objects.id_hash
    AND n.stix_id = stix_objects.stix_id AND n.id <> stix_objects.id);
)sql"}};
}

}  // namespace parley::exchange
