// Secondary record keys of journal entries (docs/ledger.md, "records"): an entry records
// its own `object` ("collection:…", "negotiation:document:7"), and the capability that
// journals it may also index it under finer keys ("stix:indicator--…",
// "proposal:7:p3", "revision:7:2", "communication:<reply id>") so that
// GET /api/v1/ledger/records?object=KEY finds it. Rows are written in the journaling
// transaction, right after Journal::append, and never change (triggers refuse UPDATE
// and DELETE). A key says where to look, not who may read: the ledger's ReadPolicy
// still decides on the entry itself. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/migrations.h"

namespace parley::storage::ledger_refs {

// Version 620: ledger_refs(ref, seq), primary key (ref, seq).
Migration migration();

// Keys are at most this long; longer ones are not indexed (the caller's ids are bounded
// well below it).
constexpr std::size_t kMaxRef = 200;

// Indexes entry `seq` under `ref` (idempotent).
void add(Connection& c, const std::string& ref, std::int64_t seq);

// Indexes entry `seq` under each of `refs` (a few statements for thousands of keys).
void add_many(Connection& c, const std::vector<std::string>& refs, std::int64_t seq);

// The sequence numbers of the entries recording `ref`: as their own object or through a
// secondary key, in journal order, after sequence number `after_seq`, at most `limit`.
std::vector<std::int64_t> entries(Connection& c, const std::string& ref, std::int64_t limit, std::int64_t after_seq = 0);

}  // namespace parley::storage::ledger_refs
