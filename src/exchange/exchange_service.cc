#include "exchange/exchange_service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <set>

#include "auth/people.h"
#include "common/ledger_capture.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "directory/membership.h"
#include "exchange/exchange_store.h"
#include "exchange/stix_validate.h"
#include "storage/journal.h"
#include "storage/ledger_refs.h"

namespace parley::exchange {

using auth::Principal;
using auth::Role;
using storage::Connection;

namespace {

Problem no_forum(const std::string& forum) { return Problem::not_found("There is no forum " + forum + "."); }
Problem no_collection() { return Problem::not_found("There is no such collection, or it is not shared with you."); }

store::Reader reader_of(const Principal& who, const Rights& r) { return {who.user_id, who.state, r}; }

}  // namespace

ExchangeService::ExchangeService(storage::Database& db, EventSink& events) : db_(db), events_(events) {}

std::int64_t ExchangeService::next_added_us() {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  std::int64_t last = last_added_us_.load();
  std::int64_t next = std::max(now, last + 1);
  while (!last_added_us_.compare_exchange_weak(last, next)) next = std::max(now, last + 1);
  return next;
}

CollectionView ExchangeService::view(Connection& c, const Principal& who, Collection col) {
  const bool scope = store::in_scope(c, col, who.state);
  Rights r = rights_in(who, col, scope);
  return {std::move(col), std::move(r)};
}

Collection ExchangeService::forum_collection(const std::string& forum) {
  if (auto c = db_.read([&](Connection& c) { return store::forum_collection(c, forum); })) return *c;
  return db_.write([&](Connection& c) {
    if (auto existing = store::forum_collection(c, forum)) return *existing;
    if (!store::forum_exists(c, forum)) throw no_forum(forum);
    Collection col;
    col.id = crypto::uuid4();
    col.forum = forum;
    col.kind = "forum";
    col.title = forum + ": all member states";
    col.description = "Shared with every member state of " + forum + " and its secretariat.";
    col.created_by = "system";
    col.created_at = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    store::insert_collection(c, col);
    storage::Journal::append(c, "system", "exchange.collection.create", "collection:" + col.id,
                             {{"forum", forum}, {"kind", "forum"}});
    return col;
  });
}

std::vector<CollectionView> ExchangeService::collections(const Principal& who, const std::string& forum) {
  if (!db_.read([&](Connection& c) { return store::forum_exists(c, forum); })) throw no_forum(forum);
  forum_collection(forum);
  return db_.read([&](Connection& c) {
    std::vector<CollectionView> out;
    for (auto& col : store::collections(c, forum)) {
      auto v = view(c, who, std::move(col));
      if (v.rights.read || v.rights.write) out.push_back(std::move(v));
    }
    return out;
  });
}

CollectionView ExchangeService::collection(const Principal& who, const std::string& forum, const std::string& id) {
  auto v = db_.read([&](Connection& c) -> std::optional<CollectionView> {
    auto col = store::collection(c, id);
    if (!col || col->forum != forum) return std::nullopt;
    return view(c, who, std::move(*col));
  });
  if (!v || !(v->rights.read || v->rights.write)) throw no_collection();
  return *v;
}

CollectionView ExchangeService::create_collection(const Principal& who, const std::string& forum,
                                                  const CollectionInput& in) {
  auth::require_role(who, {Role::kSecretariat, Role::kFocalPoint}, "create a sharing scope");
  if (who.is(Role::kSecretariat) && who.forum != forum)
    throw Problem::forbidden("A secretariat creates sharing scopes in its own forum only.");
  return db_.write([&](Connection& c) {
    if (!store::forum_exists(c, forum)) throw no_forum(forum);
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < in.states.size(); ++i)
      if (!store::is_member(c, forum, in.states[i]))
        errors.push_back({"states." + std::to_string(i), in.states[i] + " is not a member state of " + forum});
    if (who.is(Role::kFocalPoint) && std::find(in.states.begin(), in.states.end(), who.state) == in.states.end())
      errors.push_back({"states", "a focal point's sharing scope includes its own state, " + who.state});
    Collection col;
    for (std::size_t i = 0; i < in.people.size(); ++i) {
      const auto u = auth::people::by_username(c, in.people[i]);
      const std::string field = "people." + std::to_string(i);
      if (!u) {
        errors.push_back({field, "no user " + in.people[i]});
        continue;
      }
      const bool state_person = std::find(in.states.begin(), in.states.end(), u->state) != in.states.end();
      const bool secretariat = u->role == "secretariat" && u->forum == forum;
      if (!state_person && !secretariat)
        errors.push_back({field, in.people[i] + " is neither a person of a state in the scope nor its forum's secretariat"});
      col.people.push_back(u->id);
      col.people_names.push_back(in.people[i]);
    }
    if (!errors.empty()) throw Problem::invalid(std::move(errors));
    col.id = crypto::uuid4();
    col.forum = forum;
    col.kind = in.kind;
    col.title = in.title;
    col.description = in.description;
    col.states = in.states;
    col.created_by = who.username;
    col.created_at = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    store::insert_collection(c, col);
    storage::Journal::append(c, who.actor(), "exchange.collection.create", "collection:" + col.id,
                             {{"forum", forum}, {"kind", col.kind}, {"states", col.states}, {"people", col.people_names}});
    return view(c, who, std::move(col));
  });
}

IngestOutcome ExchangeService::ingest(const Principal& who, const CollectionView& into, BundleReader& reader,
                                      bool record_status, std::size_t batch) {
  if (!into.rights.write)
    throw Problem::forbidden("You may read this collection but not add to it.");
  Producer p{who.user_id, who.actor(), who.state};
  auto outcome = store(p, into.collection, reader, batch, 100000);
  if (record_status) {
    outcome.status_id = crypto::uuid4();
    db_.write([&](Connection& c) {
      store::insert_status(c, outcome.status_id, into.collection.pk, who.user_id, taxii_timestamp(next_added_us()), outcome);
    });
  }
  return outcome;
}

Collection ExchangeService::import_scope(const std::string& forum, const std::string& scope, const std::string& actor) {
  if (scope.empty() || scope == "forum") return forum_collection(forum);
  if (scope.size() == 36 && scope[8] == '-' && scope[13] == '-') {   // a collection id (UUID)
    auto col = db_.read([&](Connection& c) { return store::collection(c, scope); });
    if (!col || col->forum != forum) throw Problem::not_found("There is no collection " + scope + " in " + forum + ".");
    return *col;
  }
  std::vector<std::string> states;
  for (auto& s : split(scope, ',')) states.push_back(to_upper(trim(s)));
  std::sort(states.begin(), states.end());
  states.erase(std::unique(states.begin(), states.end()), states.end());
  return db_.write([&](Connection& c) {
    if (!store::forum_exists(c, forum)) throw no_forum(forum);
    for (const auto& s : states)
      if (!store::is_member(c, forum, s)) throw Problem::invalid("scope", s + " is not a member state of " + forum);
    for (auto& col : store::collections(c, forum)) {
      auto sorted = col.states;
      std::sort(sorted.begin(), sorted.end());
      if (col.kind != "forum" && sorted == states && col.people.empty()) return col;
    }
    Collection col;
    col.id = crypto::uuid4();
    col.forum = forum;
    col.kind = states.size() == 2 ? "bilateral" : "states";
    col.title = forum + ":";
    for (const auto& s : states) col.title += " " + s;
    col.states = states;
    col.created_by = actor;
    col.created_at = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    store::insert_collection(c, col);
    storage::Journal::append(c, actor, "exchange.collection.create", "collection:" + col.id,
                             {{"forum", forum}, {"kind", col.kind}, {"states", col.states}});
    return col;
  });
}

IngestOutcome ExchangeService::import(const std::string& actor, const std::string& state, const Collection& into,
                                      BundleReader& reader, std::size_t batch) {
  // Batches commit without an fsync each (they survive a killed process; a re-run
  // completes an import a power cut interrupted); the closing journal entry is
  // committed durably, and with it every batch before it.
  db_.configure_writer([](Connection& c) { c.bulk_load(true); });
  IngestOutcome out;
  try {
    out = store(Producer{0, actor, state}, into, reader, batch, 1000);
  } catch (...) {
    db_.configure_writer([](Connection& c) { c.bulk_load(false); });
    throw;
  }
  db_.configure_writer([](Connection& c) { c.bulk_load(false); });
  db_.write([&](Connection& c) {
    storage::Journal::append(c, actor, "exchange.import", "collection:" + into.id,
                             {{"objects", out.total}, {"stored", out.stored}, {"duplicates", out.duplicates},
                              {"refused", out.rejected}});
  });
  return out;
}

IngestOutcome ExchangeService::store(const Producer& producer, const Collection& into, BundleReader& reader,
                                     std::size_t batch, std::size_t keep_details) {
  struct Pending {
    StixObjectInfo info;
    std::string body;
  };
  // The ledger index the batches' entries reached: the writes run on another thread, whose
  // capture the request's thread hands on (Parley-Ledger-Index, common/ledger_capture.h).
  std::atomic<std::int64_t> appended{-1};
  // Writes one batch (on the database's writer thread); says which objects were new.
  const auto write = [this, &producer, &into, &appended](const std::vector<Pending>& objects) {
    std::vector<bool> fresh(objects.size());
    ledger_capture::reset();
    db_.write([&](Connection& c) {
      // Dates added never go back, whichever process writes: an object added later is
      // listed after, and added_after finds it. The last date is read and then exceeded,
      // and a version is stored only if not already there (insert_objects reads first): the
      // lock serialises both across instances until this batch commits.
      c.lock("exchange.objects");
      auto added = next_added_us();
      const auto last = c.query("SELECT added_at FROM stix_objects ORDER BY id DESC LIMIT 1");
      if (!last.empty()) added = std::max(added, last.front().integer("added_at") + 1);
      // One entry per TLP label in the batch (at most five), committing to each object it
      // adds as [id, modified, SHA-256 of the object's JSON exactly as stored and served],
      // so that a receipt proves what one object said and is readable by whoever may see
      // that label (exchange/ledger_rule.h); each object is indexed under stix:<id>
      // (storage/ledger_refs.h). Arrays, not objects: ingest stays fast.
      std::map<int, nlohmann::json> by_label;
      std::map<int, std::vector<std::string>> refs_by_label;
      std::vector<store::NewObject> rows;
      rows.reserve(objects.size());
      for (const auto& o : objects) rows.push_back({&o.info, o.body});
      fresh = store::insert_objects(c, into.pk, rows, added, producer.user_id, producer.state);
      for (std::size_t i = 0; i < objects.size(); ++i) {
        if (!fresh[i]) continue;
        const auto& info = objects[i].info;
        const int label = static_cast<int>(info.tlp.value_or(Tlp::kRed));
        auto& list = by_label[label];
        if (list.is_null()) list = nlohmann::json::array();
        list.push_back(nlohmann::json::array({info.id, info.modified, crypto::sha256_hex(objects[i].body)}));
        refs_by_label[label].push_back("stix:" + info.id);
      }
      for (auto& [label, list] : by_label) {
        const auto n = list.size();
        const auto e = storage::Journal::append(
            c, producer.actor, "exchange.objects.add", "collection:" + into.id,
            {{"objects", n},
             {"producer_state", producer.state.empty() ? nlohmann::json() : nlohmann::json(producer.state)},
             {"tlp", std::string(marking_of(static_cast<Tlp>(label)).label)},
             {"stix", std::move(list)}});
        storage::ledger_refs::add_many(c, refs_by_label[label], e.seq);
      }
    });
    appended = std::max(appended.load(), ledger_capture::last_index);
    return fresh;
  };

  StixValidator validator;
  IngestOutcome out;
  std::vector<int> tlps_seen;
  std::vector<Pending> pending;
  // One batch is written while the next is read and validated. Declared before the
  // future, whose destructor waits for the write, so that it outlives it.
  std::vector<Pending> writing;
  std::future<std::vector<bool>> in_flight;
  const auto finish = [&] {
    if (!in_flight.valid()) return;
    const auto fresh = in_flight.get();
    for (std::size_t i = 0; i < writing.size(); ++i) {
      const int t = static_cast<int>(writing[i].info.tlp.value_or(Tlp::kRed));
      if (fresh[i]) {
        ++out.stored;
        if (std::find(tlps_seen.begin(), tlps_seen.end(), t) == tlps_seen.end()) tlps_seen.push_back(t);
      } else {
        ++out.duplicates;
      }
      if (out.successes.size() < keep_details)
        out.successes.push_back({writing[i].info.id, writing[i].info.version, !fresh[i]});
    }
    writing.clear();
  };
  const auto flush = [&] {
    if (pending.empty()) return;
    finish();
    writing.swap(pending);
    in_flight = std::async(std::launch::async, write, std::cref(writing));
  };
  while (auto text = reader.next()) {
    const std::size_t index = out.total++;
    if (reader.oversized()) {
      ++out.rejected;
      if (out.failures.size() < keep_details)
        out.failures.push_back({reader.oversized_id(), index, "", "is larger than " + std::to_string(BundleReader::kMaxObjectBytes >> 20) +
                                                   " MiB, the most one object may be"});
      continue;
    }
    auto check = validator.check(*text);
    if (check.ok() && check.info.tlp == Tlp::kRed && into.people.empty())
      check.errors.push_back({"object_marking_refs",
                              "TLP:RED goes only to named people: use a collection that names its recipients"});
    if (!check.ok()) {
      ++out.rejected;
      for (auto& e : check.errors)
        if (out.failures.size() < keep_details) out.failures.push_back({check.info.id, index, e.property, e.rule});
      continue;
    }
    pending.push_back({std::move(check.info), std::string(*text)});
    if (pending.size() >= batch) flush();
  }
  flush();
  finish();
  ledger_capture::note(appended.load());
  if (out.stored > 0) announce(into, tlps_seen);
  return out;
}

void ExchangeService::announce(const Collection& col, const std::vector<int>& tlps) {
  std::set<std::string> members;
  if (col.kind == "forum")
    db_.read([&](Connection& c) {
      for (auto& s : directory::membership::member_states(c, col.forum)) members.insert(std::move(s));
    });
  Event e;
  e.type = "exchange.objects.added";
  e.data = {{"forum", col.forum}, {"collection", col.id}};
  e.audience_kind = "exchange.collection";
  e.audience_args = {{"kind", col.kind}, {"forum", col.forum}, {"states", col.states}, {"people", col.people},
                     {"members", members}, {"tlps", tlps}};
  e.audience = audience_from(e.audience_args);
  events_.publish(e);
}

std::function<bool(const Subscriber&)> ExchangeService::audience_from(const nlohmann::json& j) {
  Collection col;
  col.kind = j.at("kind").get<std::string>();
  col.forum = j.at("forum").get<std::string>();
  col.states = j.at("states").get<std::vector<std::string>>();
  col.people = j.at("people").get<std::vector<std::int64_t>>();
  const auto members = j.at("members").get<std::set<std::string>>();
  const auto tlps = j.at("tlps").get<std::vector<int>>();
  return [col, members, tlps](const Subscriber& s) {
    Principal p;
    p.user_id = s.user_id;
    p.role = auth::parse_role(s.role).value_or(Role::kObserver);
    p.state = s.state;
    p.forum = s.forum;
    const bool scope = col.kind == "forum" ? members.count(s.state) > 0
                                           : std::find(col.states.begin(), col.states.end(), s.state) != col.states.end();
    const auto r = rights_in(p, col, scope);
    for (int t : tlps)
      if (r.sees(static_cast<Tlp>(t))) return true;
    return false;
  };
}

ObjectPage ExchangeService::objects(const Principal& who, const CollectionView& in, const ObjectFilter& f) {
  if (!in.rights.read) throw Problem::forbidden("You may add to this collection but not read it.");
  return db_.read([&](Connection& c) { return store::objects(c, in.collection.pk, reader_of(who, in.rights), f); });
}

ObjectPage ExchangeService::versions(const Principal& who, const CollectionView& in, const std::string& stix_id,
                                     const ObjectFilter& f) {
  if (!in.rights.read) throw Problem::forbidden("You may add to this collection but not read it.");
  auto page = db_.read([&](Connection& c) {
    return store::versions(c, in.collection.pk, reader_of(who, in.rights), stix_id, f);
  });
  if (page.objects.empty() && !f.after) throw Problem::not_found("There is no object " + stix_id + " in this collection.");
  return page;
}

std::size_t ExchangeService::remove(const Principal& who, const CollectionView& in, const std::string& stix_id,
                                    const ObjectFilter& f) {
  if (!in.rights.read) throw no_collection();
  return db_.write([&](Connection& c) {
    const auto r = reader_of(who, in.rights);
    auto page = store::objects(c, in.collection.pk, r, [&] {
      ObjectFilter g = f;
      g.ids = {stix_id};
      g.limit = 100000;
      return g;
    }());
    if (page.objects.empty()) throw Problem::not_found("There is no object " + stix_id + " in this collection.");
    const bool secretariat = who.is(Role::kSecretariat) && who.forum == in.collection.forum;
    for (const auto& o : page.objects) {
      const bool own_state = who.is(Role::kFocalPoint) && !who.state.empty() && o.producer_state == who.state;
      const bool producer = o.producer_user != 0 && o.producer_user == who.user_id;
      if (!secretariat && !own_state && !producer)
        throw Problem::forbidden("Only the object's producer, its state's focal point or the forum's secretariat may delete it.");
    }
    auto gone = store::remove(c, in.collection.pk, r, stix_id, f);
    nlohmann::json versions = nlohmann::json::array();
    nlohmann::json tlps = nlohmann::json::array();   // the ledger's read rule needs them (exchange/ledger_rule.h)
    for (const auto& o : gone) {
      versions.push_back(o.taxii_version());
      tlps.push_back(std::string(marking_of(o.tlp).label));
    }
    const auto e = storage::Journal::append(c, who.actor(), "exchange.objects.delete", "collection:" + in.collection.id,
                                            {{"id", stix_id}, {"versions", versions}, {"tlps", tlps}});
    storage::ledger_refs::add(c, "stix:" + stix_id, e.seq);
    return gone.size();
  });
}

nlohmann::json ExchangeService::status(const Principal& who, const std::string& forum, const std::string& id) {
  auto row = db_.read([&](Connection& c) -> std::optional<std::pair<store::StatusRow, std::string>> {
    auto s = store::status(c, id);
    if (!s) return std::nullopt;
    auto rows = c.query("SELECT forum FROM exchange_collections WHERE id = ?", {s->collection_pk});
    return std::make_pair(*s, rows.empty() ? std::string() : rows.front().text("forum"));
  });
  if (!row || row->second != forum || row->first.user_id != who.user_id)
    throw Problem::not_found("There is no such status resource, or it is not yours.");
  const auto& s = row->first;
  return {{"id", s.uuid},
          {"status", "complete"},
          {"request_timestamp", s.request_timestamp},
          {"total_count", s.total},
          {"success_count", s.success},
          {"failure_count", s.failure},
          {"pending_count", 0},
          {"successes", s.details["successes"]},
          {"failures", s.details["failures"]},
          {"pendings", nlohmann::json::array()}};
}

void ExchangeService::for_each_indicator(const std::string& forum, const Principal* who,
                                         const std::function<void(const std::string&)>& f) {
  std::vector<CollectionView> views;
  if (who) {
    views = collections(*who, forum);
  } else {
    if (!db_.read([&](Connection& c) { return store::forum_exists(c, forum); })) throw no_forum(forum);
    for (auto& col : db_.read([&](Connection& c) { return store::collections(c, forum); })) {
      Rights all{true, false, {0, 1, 2, 3, 4}};
      views.push_back({std::move(col), std::move(all)});
    }
  }
  Principal operator_view;   // user 0, no state: the producer clauses match nothing
  for (const auto& v : views) {
    if (!v.rights.read) continue;
    ObjectFilter filter;
    filter.types = {"indicator"};
    filter.limit = 20000;
    for (;;) {
      auto page = db_.read([&](Connection& c) {
        return store::objects(c, v.collection.pk, reader_of(who ? *who : operator_view, v.rights), filter);
      });
      for (const auto& o : page.objects) f(o.body);
      if (!page.more) break;
      filter.after = page.next;
    }
  }
}

std::vector<StoredObject> ExchangeService::search(const Principal& who, const std::string& forum, const ObjectFilter& f) {
  return search(who, collections(who, forum), f);
}

std::vector<StoredObject> ExchangeService::search(const Principal& who, const std::vector<CollectionView>& views,
                                                  const ObjectFilter& f) {
  std::vector<StoredObject> out;
  for (const auto& v : views) {
    if (!v.rights.read) continue;
    auto page = db_.read([&](Connection& c) { return store::objects(c, v.collection.pk, reader_of(who, v.rights), f); });
    for (auto& o : page.objects) out.push_back(std::move(o));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.added_us > b.added_us; });
  if (out.size() > f.limit) out.resize(f.limit);
  return out;
}

}  // namespace parley::exchange
