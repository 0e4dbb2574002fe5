// ExchangeService: the threat exchange's rules — collections (sharing scopes) of a
// forum, storing STIX bundles (validated object by object, each valid object stored
// even when others in the bundle are not), and every read path (listing, search,
// object by id, versions, manifest, export, TAXII status) through the one visibility
// predicate of exchange/access.h. Each stored batch is entered in the journal and
// announced on the stream to those who may read it.
//
// Thread-safety: thread-safe (state lives in the Database; each call uses its own
// validator).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "common/events.h"
#include "exchange/access.h"
#include "exchange/bundle_reader.h"
#include "exchange/model.h"
#include "storage/database.h"

namespace parley::exchange {

struct CollectionView {
  Collection collection;
  Rights rights;
};

class ExchangeService {
 public:
  ExchangeService(storage::Database& db, EventSink& events);

  // The forum's collections the caller may read or write (the forum-wide one is made
  // on first use). 404 for an unknown forum.
  std::vector<CollectionView> collections(const auth::Principal& who, const std::string& forum);
  // One collection; 404 unless the caller may read or write it.
  CollectionView collection(const auth::Principal& who, const std::string& forum, const std::string& id);
  // The forum-wide collection of a forum (made on first use).
  Collection forum_collection(const std::string& forum);
  CollectionView create_collection(const auth::Principal& who, const std::string& forum, const CollectionInput& in);

  // Stores a bundle's objects in a collection the caller may write. Objects are stored
  // in batches of `batch` per transaction; a re-sent version is counted as a duplicate,
  // not stored twice. Records a TAXII status resource when `record_status`.
  // Throws BundleError when the text is not a bundle (nothing after the error is read).
  IngestOutcome ingest(const auth::Principal& who, const CollectionView& into, BundleReader& reader,
                       bool record_status, std::size_t batch = 2000);
  // The collection an operator's import goes to: `scope` is "forum" (the forum-wide
  // collection), a collection id of the forum, or states "KAZ,UZB" (a collection of
  // exactly those member states, made on first use). Problem 404/422 otherwise.
  Collection import_scope(const std::string& forum, const std::string& scope, const std::string& actor);
  // The same for the CLI's import: no caller, the producer is `actor` of `state`.
  IngestOutcome import(const std::string& actor, const std::string& state, const Collection& into,
                       BundleReader& reader, std::size_t batch = 50000);

  ObjectPage objects(const auth::Principal& who, const CollectionView& in, const ObjectFilter& f);
  ObjectPage versions(const auth::Principal& who, const CollectionView& in, const std::string& stix_id,
                      const ObjectFilter& f);
  // Deletes versions of an object: its producer, the producer state's focal point and
  // the forum's secretariat may. 404 when nothing visible matches, 403 when not allowed.
  std::size_t remove(const auth::Principal& who, const CollectionView& in, const std::string& stix_id,
                     const ObjectFilter& f);
  // A TAXII status resource, for the caller who posted it.
  nlohmann::json status(const auth::Principal& who, const std::string& forum, const std::string& id);
  // Search across every collection of the forum the caller may read.
  std::vector<StoredObject> search(const auth::Principal& who, const std::string& forum, const ObjectFilter& f);
  // The same over collections the caller already has (from collections()).
  std::vector<StoredObject> search(const auth::Principal& who, const std::vector<CollectionView>& views,
                                   const ObjectFilter& f);

  // Calls `f(object JSON)` for the latest version of every indicator of the forum:
  // those `who` may read, or, for the operator (no principal), all of them.
  void for_each_indicator(const std::string& forum, const auth::Principal* who,
                          const std::function<void(const std::string&)>& f);

  storage::Database& db() { return db_; }

  // The stream audience of an "exchange.collection" event, rebuilt from its data
  // (Event::audience_args; another instance of the cluster may rebuild it).
  static std::function<bool(const Subscriber&)> audience_from(const nlohmann::json& args);

 private:
  struct Producer {
    std::int64_t user_id = 0;
    std::string actor, state;
  };
  IngestOutcome store(const Producer& producer, const Collection& into, BundleReader& reader, std::size_t batch,
                      std::size_t keep_details);
  void announce(const Collection& c, const std::vector<int>& tlps);
  CollectionView view(storage::Connection& c, const auth::Principal& who, Collection col);
  std::int64_t next_added_us();

  storage::Database& db_;
  EventSink& events_;
  std::atomic<std::int64_t> last_added_us_{0};
};

}  // namespace parley::exchange
