// `parley verify`'s checks against an in-memory log that can lie: the honest log passes;
// a wrong signature, a missing quorum, a rewritten or truncated history, a fork, an entry
// not in the tree, a tampered receipt and a split view each fail with the check named
// and the index or size in the sentence; the state is saved only when everything passed.
#include "verify/verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace parley::verify {
namespace {

using tlog::Hash;

std::string leaf_data(std::uint64_t index, const std::string& action) {
  return nlohmann::json{{"action", action},
                        {"actor", "user:kaz"},
                        {"at", "2026-11-29T10:00:00Z"},
                        {"change", nlohmann::json::object()},
                        {"nonce", "00112233445566778899aabbccddeeff"},
                        {"object", "communication:" + std::to_string(index)},
                        {"seq", index + 1}}
      .dump();
}

// A log over a list of leaf data, signed by `log`, cosigned by `witnesses`.
struct FakeLog : LogSource {
  tlog::Signer log = tlog::Signer::generate("parley.test/ledger", tlog::kEd25519);
  std::vector<tlog::Signer> witnesses;
  std::vector<std::string> data;       // what the log serves
  std::vector<std::string> tree_data;  // what the tree is built over (usually data)
  std::set<std::uint64_t> readable;    // empty: all
  std::uint64_t size = 0;              // the checkpoint's size
  std::string checkpoint_override;

  std::map<std::pair<int, std::uint64_t>, Hash> nodes;
  void build() {
    nodes.clear();
    for (std::uint64_t i = 0; i < tree_data.size(); ++i) {
      const tlog::NodeReader reader = [this](int l, std::uint64_t n) { return nodes.at({l, n}); };
      const auto leaf = tlog::leaf_hash(tree_data[i]);
      nodes[{0, i}] = leaf;
      for (const auto& [level, h] : tlog::append_leaf(reader, i, leaf)) nodes[{level, i >> level}] = h;
    }
  }
  tlog::NodeReader reader() {
    return [this](int l, std::uint64_t n) { return nodes.at({l, n}); };
  }
  std::string sign(std::uint64_t n, std::size_t cosigners) {
    tlog::Checkpoint cp{"parley.test/ledger", n, tlog::root(reader(), n), {}};
    tlog::Note note{cp.text(), {log.sign(cp.text())}};
    for (std::size_t i = 0; i < cosigners && i < witnesses.size(); ++i)
      note.signatures.push_back(witnesses[i].cosign(cp.text(), 1800000000));
    return note.format();
  }
  std::size_t cosigners = 0;

  void grow(std::size_t n, const std::string& action = "communication.send") {
    for (std::size_t i = 0; i < n; ++i) {
      data.push_back(leaf_data(data.size(), action));
      tree_data.push_back(data.back());
    }
    build();
    size = data.size();
  }

  std::string checkpoint() override {
    return checkpoint_override.empty() ? sign(size, cosigners) : checkpoint_override;
  }
  std::optional<std::vector<Hash>> consistency(std::uint64_t from, std::uint64_t to, std::string& why) override {
    if (to > tree_data.size() || from > to) {
      why = "the log answered HTTP 400 to the proof request";
      return std::nullopt;
    }
    return tlog::consistency_proof(reader(), from, to);
  }
  std::optional<std::vector<Hash>> inclusion(std::uint64_t index, std::uint64_t n, std::string& why) override {
    if (index >= n || n > tree_data.size()) {
      why = "400";
      return std::nullopt;
    }
    return tlog::inclusion_proof(reader(), index, n);
  }
  std::optional<std::int64_t> entries(std::int64_t after, std::vector<std::uint64_t>& out) override {
    // Pages of 3, to exercise paging.
    std::int64_t i = after + 1;
    for (; i < static_cast<std::int64_t>(data.size()) && out.size() < 3; ++i)
      if (readable.empty() || readable.count(static_cast<std::uint64_t>(i)))
        out.push_back(static_cast<std::uint64_t>(i));
    if (i >= static_cast<std::int64_t>(data.size())) return std::nullopt;
    return i - 1;
  }
  std::optional<std::string> entry(std::uint64_t index) override {
    if (index >= data.size()) return std::nullopt;
    return data[index];
  }
  std::string receipt(std::uint64_t index) {
    tlog::Receipt r;
    r.extra = data[index];
    r.index = index;
    r.proof = tlog::inclusion_proof(reader(), index, size);
    r.checkpoint = sign(size, cosigners);
    return r.format();
  }
};

class VerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("parley-verify-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    log.witnesses.push_back(tlog::Signer::generate("w1.example", tlog::kCosignatureV1));
    log.witnesses.push_back(tlog::Signer::generate("w2.example", tlog::kCosignatureV1));
    log.witnesses.push_back(tlog::Signer::generate("w3.example", tlog::kCosignatureV1));
    log.cosigners = 3;
    options.policy.log = log.log.verifier();
    for (const auto& w : log.witnesses) options.policy.witnesses.push_back(w.verifier());
    options.policy.quorum = 2;
    options.state_dir = dir.string();
    log.grow(10);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  // The failure's check and sentence; fails the test if it passed.
  std::pair<std::string, std::string> failure(LogSource& source, const Options& o) {
    std::ostringstream out;
    try {
      verify_log(source, o, out);
    } catch (const VerifyFailure& f) {
      return {f.check(), f.what()};
    }
    ADD_FAILURE() << "verification passed:\n" << out.str();
    return {};
  }
  Summary pass() {
    std::ostringstream out;
    return verify_log(log, options, out);
  }
  std::string saved() {
    std::ifstream in(state_file(dir.string()));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path dir;
  FakeLog log;
  Options options;
};

TEST_F(VerifierTest, HonestLogPassesAndSavesItsCheckpoint) {
  const auto s = pass();
  EXPECT_EQ(s.size, 10u);
  EXPECT_EQ(s.cosignatures, 3u);
  EXPECT_EQ(s.entries_checked, 10u);
  EXPECT_EQ(tlog::SignedCheckpoint::parse(saved()).checkpoint.size, 10u);
  log.grow(7);
  EXPECT_EQ(pass().entries_checked, 17u);  // consistent with the saved 10
  EXPECT_EQ(tlog::SignedCheckpoint::parse(saved()).checkpoint.size, 17u);
  // Only what the reader may read is checked; newer entries than the checkpoint wait.
  log.readable = {1, 4, 16};
  log.data.push_back(leaf_data(17, "x"));
  EXPECT_EQ(pass().entries_checked, 3u);
}

TEST_F(VerifierTest, SignatureAndQuorum) {
  log.cosigners = 1;
  auto [check, sentence] = failure(log, options);
  EXPECT_EQ(check, "quorum");
  EXPECT_NE(sentence.find("cosigned by 1 witness"), std::string::npos) << sentence;
  EXPECT_NE(sentence.find("quorum of 2"), std::string::npos) << sentence;
  EXPECT_FALSE(std::filesystem::exists(state_file(dir.string())));  // nothing saved

  log.cosigners = 3;
  Options other = options;
  other.policy.log = tlog::Signer::generate("parley.test/ledger", tlog::kEd25519).verifier();
  std::tie(check, sentence) = failure(log, other);
  EXPECT_EQ(check, "signature");
  EXPECT_NE(sentence.find("the latest checkpoint (size 10)"), std::string::npos) << sentence;

  // A cosignature that does not verify (moved from another checkpoint) is refused.
  auto note = tlog::parse_note(log.sign(10, 0));
  note.signatures.push_back(log.witnesses[0].cosign(tlog::parse_note(log.sign(9, 0)).text, 1));
  log.checkpoint_override = note.format();
  std::tie(check, sentence) = failure(log, options);
  EXPECT_EQ(check, "signature");
  EXPECT_NE(sentence.find("w1.example"), std::string::npos) << sentence;
}

TEST_F(VerifierTest, RewrittenTruncatedAndForkedHistoriesAreCaught) {
  pass();
  // Entry 3 rewritten, tree rebuilt, a new checkpoint signed with the log's key.
  log.data[3] = leaf_data(3, "communication.close");
  log.tree_data = log.data;
  log.grow(2);
  auto [check, sentence] = failure(log, options);
  EXPECT_EQ(check, "consistency");
  EXPECT_NE(sentence.find("(size 12) is not consistent with the checkpoint of size 10"), std::string::npos) << sentence;
  EXPECT_EQ(tlog::SignedCheckpoint::parse(saved()).checkpoint.size, 10u);  // the old state stays

  // The same size, another root: a fork.
  log.data.resize(10);
  log.tree_data = log.data;
  log.build();
  log.size = 10;
  std::tie(check, sentence) = failure(log, options);
  EXPECT_EQ(check, "fork");
  EXPECT_NE(sentence.find("two different trees at size 10"), std::string::npos) << sentence;

  // Smaller: truncation.
  log.data.resize(8);
  log.tree_data = log.data;
  log.build();
  log.size = 8;
  std::tie(check, sentence) = failure(log, options);
  EXPECT_EQ(check, "truncation");
  EXPECT_NE(sentence.find("size 8, smaller than the size 10"), std::string::npos) << sentence;
}

TEST_F(VerifierTest, AnEntryServedOtherThanTheTreeSaysIsNamed) {
  log.data[6] = leaf_data(6, "communication.close");  // served, but not what the tree holds
  auto [check, sentence] = failure(log, options);
  EXPECT_EQ(check, "inclusion");
  EXPECT_EQ(sentence, "entry 6 is not in the tree the log signed at size 10");
}

TEST_F(VerifierTest, ReceiptsOfflineAndAgainstTheLog) {
  const NamedText good{"r4.tlog-proof", log.receipt(4)};
  Options o = options;
  o.receipts = {good};
  std::ostringstream out;
  verify_receipts_offline(o, out);
  EXPECT_NE(out.str().find("entry 4, recorded at 2026-11-29T10:00:00Z: communication.send on communication:4"),
            std::string::npos)
      << out.str();
  EXPECT_EQ(verify_log(log, o, out).entries_checked, 1u);

  // Its leaf data edited: it no longer proves anything.
  auto r = tlog::Receipt::parse(good.text);
  r.extra = leaf_data(4, "communication.close");
  o.receipts = {{"edited.tlog-proof", r.format()}};
  try {
    verify_receipts_offline(o, out);
    ADD_FAILURE() << "an edited receipt verified";
  } catch (const VerifyFailure& f) {
    EXPECT_EQ(f.check(), "inclusion");
    EXPECT_STREQ(f.what(), "entry 4 of receipt edited.tlog-proof is not in the tree the log signed at size 10");
  }
  // Another entry's data under this index.
  r.extra = log.data[5];
  o.receipts = {{"moved.tlog-proof", r.format()}};
  EXPECT_THROW(verify_receipts_offline(o, out), VerifyFailure);
  // Not enough cosignatures on its checkpoint.
  log.cosigners = 1;
  o.receipts = {{"weak.tlog-proof", log.receipt(4)}};
  try {
    verify_receipts_offline(o, out);
    ADD_FAILURE() << "a receipt under the quorum verified";
  } catch (const VerifyFailure& f) {
    EXPECT_EQ(f.check(), "quorum");
  }
  log.cosigners = 3;

  // The entry altered afterwards (history rewritten, re-signed): the receipt still
  // verifies alone, but not against the log.
  o.receipts = {good};
  log.data[4] = leaf_data(4, "communication.close");
  log.tree_data = log.data;
  log.grow(3);
  o.state_dir.clear();
  auto [check, sentence] = failure(log, o);
  EXPECT_EQ(check, "consistency");
  EXPECT_NE(
      sentence.find("the checkpoint of receipt r4.tlog-proof (size 10) is not consistent with the latest (size 13)"),
      std::string::npos)
      << sentence;
}

TEST_F(VerifierTest, SplitViewsAreCaughtWithPeerCheckpoints) {
  // Two states saw two continuations of one history.
  FakeLog other = log;
  other.grow(3);
  const NamedText peer{"peer/checkpoint", other.sign(other.size, 3)};
  log.data.push_back(leaf_data(10, "communication.close"));
  log.data.push_back(leaf_data(11, "communication.close"));
  log.tree_data = log.data;
  log.build();
  log.size = 12;
  Options o = options;
  o.peers = {peer};
  auto [check, sentence] = failure(log, o);
  EXPECT_EQ(check, "split view");
  EXPECT_NE(sentence.find("the peer checkpoint peer/checkpoint (size 13) and the latest checkpoint (size 12)"),
            std::string::npos)
      << sentence;
  // A peer that saw an earlier state of the same history agrees.
  o.peers = {{"peer/old", log.sign(7, 0)}};
  EXPECT_NO_THROW({
    std::ostringstream out;
    verify_log(log, o, out);
  });
  // Same size, another root.
  FakeLog same = log;
  same.data[0] = leaf_data(0, "communication.close");
  same.tree_data = same.data;
  same.build();
  o.peers = {{"peer/same", same.sign(12, 0)}};
  std::tie(check, sentence) = failure(log, o);
  EXPECT_EQ(check, "split view");
}

}  // namespace
}  // namespace parley::verify
