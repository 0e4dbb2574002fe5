// The ledger's checkpoints, proofs and receipts over a real SQLite database, and the
// refusals that matter: never a checkpoint inconsistent with the last one signed.
#include "ledger/ledger_service.h"

#include <gtest/gtest.h>

#include "common/problem.h"
#include "storage/journal.h"
#include "testing/temp_db.h"

namespace parley::ledger {
namespace {

using storage::Connection;
using storage::Journal;

void append(storage::Database& db, int n) {
  db.write([n](Connection& c) {
    for (int i = 0; i < n; ++i) Journal::append(c, "user:test", "thing.create", "thing:" + std::to_string(i), {{"i", i}});
  });
}

auth::Principal admin() {
  auth::Principal p;
  p.username = "admin";
  p.role = auth::Role::kAdmin;
  return p;
}

TEST(Ledger, SignsConsistentCheckpointsThatTheLogKeyVerifies) {
  testing::TempDb t;
  LedgerService ledger(t.db());
  const auto key = tlog::Signer::generate("parley.test/ledger", tlog::kEd25519);
  ledger.set_key(key);
  append(t.db(), 3);
  const auto first = ledger.checkpoint_now();
  EXPECT_EQ(first, ledger.tree_size());
  EXPECT_EQ(ledger.checkpoint_now(), first);   // no growth, no new checkpoint
  const auto note1 = tlog::SignedCheckpoint::parse(*ledger.latest_checkpoint());
  EXPECT_EQ(note1.verify(key.verifier(), {}), 0u);
  EXPECT_EQ(note1.checkpoint.origin, "parley.test/ledger");
  EXPECT_EQ(note1.checkpoint.size, static_cast<std::uint64_t>(first));
  append(t.db(), 5);
  const auto second = ledger.checkpoint_now();
  EXPECT_EQ(second, first + 5);
  const auto note2 = tlog::SignedCheckpoint::parse(*ledger.latest_checkpoint());
  // The proof the API serves links them.
  std::vector<tlog::Hash> proof;
  const auto answer = ledger.consistency_proof(first, second);
  for (const auto& h : answer["hashes"])
    proof.push_back(*tlog::hash_from_base64(h.get<std::string>()));
  EXPECT_TRUE(tlog::verify_consistency(static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(second),
                                       note1.checkpoint.root, note2.checkpoint.root, proof));
  // Another origin's key is refused for this database.
  LedgerService other(t.db());
  EXPECT_THROW(other.set_key(tlog::Signer::generate("elsewhere/ledger", tlog::kEd25519)), std::runtime_error);
}

TEST(Ledger, ReceiptsVerifyOfflineWithTheLogKeyAlone) {
  testing::TempDb t;
  LedgerService ledger(t.db());
  const auto key = tlog::Signer::generate("parley.test/ledger", tlog::kEd25519);
  ledger.set_key(key);
  append(t.db(), 10);
  const auto index = ledger.tree_size() - 4;
  const auto receipt = tlog::Receipt::parse(ledger.receipt(admin(), index));   // signs a checkpoint first
  ASSERT_TRUE(receipt.extra);
  EXPECT_EQ(*receipt.extra, ledger.entry(admin(), index));
  const auto cp = tlog::SignedCheckpoint::parse(receipt.checkpoint);
  cp.verify(key.verifier(), {});
  EXPECT_TRUE(tlog::verify_inclusion(tlog::leaf_hash(*receipt.extra), receipt.index, cp.checkpoint.size, receipt.proof,
                                     cp.checkpoint.root));
  // Altered leaf data no longer verifies.
  auto altered = *receipt.extra;
  altered[altered.find("thing.create")] = 'T';
  EXPECT_FALSE(tlog::verify_inclusion(tlog::leaf_hash(altered), receipt.index, cp.checkpoint.size, receipt.proof,
                                      cp.checkpoint.root));
  // Someone who may not read the entry gets 404 (object kinds without a rule: admins only).
  auth::Principal poc;
  poc.username = "poc.kaz";
  poc.role = auth::Role::kPointOfContact;
  poc.state = "KAZ";
  try {
    ledger.receipt(poc, index);
    FAIL() << "a point of contact read an admin-only entry";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status(), 404);
  }
}

TEST(Ledger, RefusesToSignARewrittenOrTruncatedLog) {
  testing::TempDb t;
  LedgerService ledger(t.db());
  ledger.set_key(tlog::Signer::generate("parley.test/ledger", tlog::kEd25519));
  append(t.db(), 6);
  const auto signed_size = ledger.checkpoint_now();
  // The operator rewrites leaf 2 and its parents as a rebuild would, then the log grows.
  t.db().write([](Connection& c) {
    c.execute_script("DROP TRIGGER ledger_nodes_no_update");
    c.execute("UPDATE ledger_nodes SET hash = ? WHERE node = 2", {tlog::to_hex(tlog::leaf_hash("forged"))});
    const auto n2 = tlog::leaf_hash("forged");
    const auto n3 = Journal::nodes(c)(0, 3);
    const auto p1 = tlog::node_hash(n2, n3);
    c.execute("UPDATE ledger_nodes SET hash = ? WHERE node = ?", {tlog::to_hex(p1), (std::int64_t{1} << 48) + 1});
    const auto p0 = Journal::nodes(c)(1, 0);
    c.execute("UPDATE ledger_nodes SET hash = ? WHERE node = ?",
              {tlog::to_hex(tlog::node_hash(p0, p1)), (std::int64_t{2} << 48) + 0});
  });
  append(t.db(), 2);
  EXPECT_THROW(ledger.checkpoint_now(), InconsistentLog);
  EXPECT_EQ(ledger.latest_checkpoint_row()->size, signed_size);   // nothing new signed

  // Truncation: entries removed below the signed size.
  testing::TempDb t2;
  LedgerService ledger2(t2.db());
  ledger2.set_key(tlog::Signer::generate("parley.test/ledger", tlog::kEd25519));
  append(t2.db(), 4);
  const auto size2 = ledger2.checkpoint_now();
  t2.db().write([size2](Connection& c) {
    c.execute_script("DROP TRIGGER journal_no_delete; DROP TRIGGER ledger_nodes_no_delete");
    c.execute("DELETE FROM journal WHERE seq = ?", {size2});
    c.execute("DELETE FROM ledger_nodes WHERE node = ?", {size2 - 1});
  });
  EXPECT_THROW(ledger2.checkpoint_now(), InconsistentLog);
}

TEST(Ledger, TilesHoldTheStoredHashes) {
  testing::TempDb t;
  LedgerService ledger(t.db());
  append(t.db(), 300);
  const auto size = static_cast<std::uint64_t>(ledger.tree_size());
  const auto full = ledger.tile(0, 0, 256);
  ASSERT_TRUE(full);
  ASSERT_EQ(full->size(), 256u * 32);
  // Level 1's first hash is the root of the first 256 leaves.
  const auto level1 = ledger.tile(1, 0, 1);
  ASSERT_TRUE(level1);
  t.db().read([&](Connection& c) {
    for (std::uint64_t i : {0u, 17u, 255u})
      EXPECT_EQ(full->substr(i * 32, 32),
                std::string(reinterpret_cast<const char*>(Journal::nodes(c)(0, i).data()), 32));
    const auto r = tlog::subtree_hash(Journal::nodes(c), 0, 256);
    EXPECT_EQ(*level1, std::string(reinterpret_cast<const char*>(r.data()), 32));
  });
  const auto partial_width = static_cast<int>(size % 256);
  EXPECT_TRUE(ledger.tile(0, 1, partial_width));
  EXPECT_FALSE(ledger.tile(0, 1, partial_width + 1));   // beyond the tree
  EXPECT_FALSE(ledger.tile(1, 0, 2));
  EXPECT_FALSE(ledger.tile(6, 0, 1));
}

}  // namespace
}  // namespace parley::ledger
