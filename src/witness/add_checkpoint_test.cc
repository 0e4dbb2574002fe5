// The witness's add-checkpoint decision: every status of c2sp.org/tlog-witness, with
// real keys and real trees (tlog/merkle.h), and the state store's durable record.
#include "witness/add_checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "witness/state_store.h"
#include "witness/witness_server.h"

namespace parley::witness {
namespace {

using tlog::Hash;

// A log: leaves, stored nodes, a key; makes checkpoints and requests.
struct Log {
  std::string origin = "example.org/log";
  tlog::Signer key = tlog::Signer::generate(origin, tlog::kEd25519);
  std::vector<std::vector<Hash>> levels = std::vector<std::vector<Hash>>(20);
  std::uint64_t size = 0;

  tlog::NodeReader reader() {
    return [this](int level, std::uint64_t index) { return levels.at(static_cast<std::size_t>(level)).at(index); };
  }
  void grow(std::uint64_t n, const std::string& salt = "") {
    for (std::uint64_t i = 0; i < n; ++i, ++size) {
      const auto leaf = tlog::leaf_hash("entry " + std::to_string(size) + salt);
      for (const auto& [level, h] : tlog::append_leaf(reader(), size, leaf))
        levels.at(static_cast<std::size_t>(level)).push_back(h);
    }
  }
  std::string checkpoint(std::uint64_t at, const tlog::Signer* signer = nullptr) {
    tlog::Checkpoint c{origin, at, tlog::root(reader(), at), {}};
    const auto text = c.text();
    tlog::Note note{text, {(signer ? *signer : key).sign(text)}};
    return note.format();
  }
  std::string request(std::uint64_t old, std::uint64_t at) {
    std::string body = "old " + std::to_string(old) + "\n";
    for (const auto& h : tlog::consistency_proof(reader(), old, at)) body += tlog::to_base64(h) + "\n";
    return body + "\n" + checkpoint(at);
  }
};

struct Fixture : ::testing::Test {
  Log log;
  tlog::Signer witness = tlog::Signer::generate("witness.example/w1", tlog::kCosignatureV1);
  LogKeys logs;
  std::map<std::string, std::string> state;
  std::uint64_t now = 1'700'000'000;

  void SetUp() override { logs[log.origin] = {log.key.verifier()}; }
  Outcome send(const std::string& body) {
    auto out = add_checkpoint(
        body, logs, witness,
        [this](const std::string& o) -> std::optional<std::string> {
          auto it = state.find(o);
          if (it == state.end()) return std::nullopt;
          return it->second;
        },
        now);
    if (out.status == 200) state[out.origin] = *out.record;
    return out;
  }
};

TEST_F(Fixture, CosignsTheFirstCheckpointAndEveryConsistentExtension) {
  log.grow(5);
  auto out = send(log.request(0, 5));
  ASSERT_EQ(out.status, 200) << out.body;
  // The answer is a cosignature line that the witness's vkey verifies over the checkpoint.
  const auto sigs = tlog::parse_signature_lines(out.body);
  ASSERT_EQ(sigs.size(), 1u);
  const auto text = tlog::SignedCheckpoint::parse(log.checkpoint(5)).note.text;
  std::uint64_t ts = 0;
  EXPECT_TRUE(witness.verifier().verify(text, sigs[0], &ts));
  EXPECT_EQ(ts, now);
  // The record holds the log's signature and the cosignature.
  const auto recorded = tlog::SignedCheckpoint::parse(*out.record);
  EXPECT_EQ(recorded.checkpoint.size, 5u);
  EXPECT_EQ(recorded.verify(log.key.verifier(), {witness.verifier()}), 1u);

  for (std::uint64_t step : {1u, 2u, 7u, 100u}) {
    const auto old = log.size;
    log.grow(step);
    out = send(log.request(old, log.size));
    ASSERT_EQ(out.status, 200) << "from " << old << " to " << log.size << ": " << out.body;
  }
  // The same checkpoint again is cosigned again (old == size, same root, empty proof).
  EXPECT_EQ(send(log.request(log.size, log.size)).status, 200);
}

TEST_F(Fixture, EmptyTreeIsCosignedOnlyWithTheEmptyRoot) {
  EXPECT_EQ(send(log.request(0, 0)).status, 200);
  // A size-0 checkpoint with another root: 422.
  log.grow(1);
  tlog::Checkpoint c{log.origin, 0, tlog::leaf_hash("x"), {}};
  tlog::Note note{c.text(), {log.key.sign(c.text())}};
  EXPECT_EQ(send("old 0\n\n" + note.format()).status, 422);
}

TEST_F(Fixture, MalformedRequestsAre400) {
  log.grow(4);
  const auto cp = log.checkpoint(4);
  for (const std::string& body : std::vector<std::string>{std::string(""), "old 0\n" + cp, "old\n\n" + cp, "old 01\n\n" + cp, "old -1\n\n" + cp, "old 0 \n\n" + cp,
        "new 0\n\n" + cp, "old 0\nnot-base64!\n\n" + cp, "old 0\n" + tlog::to_base64(Hash{}).substr(4) + "\n\n" + cp,
        std::string("old 0\n\n"), std::string("old 0\n\nexample.org/log\n4\n"), "old 99999999999999999999\n\n" + cp}) {
    auto out = send(body);
    EXPECT_EQ(out.status, 400) << body;
  }
  // The old size is larger than the checkpoint's.
  EXPECT_EQ(send(log.request(0, 4).replace(0, 5, "old 9")).status, 400);
  // 64 proof lines: refused before anything else.
  std::string many = "old 1\n";
  for (int i = 0; i < 64; ++i) many += tlog::to_base64(Hash{}) + "\n";
  EXPECT_EQ(send(many + "\n" + cp).status, 400);
  // A body over 64 KiB.
  EXPECT_EQ(send("old 0\n\n" + cp + std::string(kMaxBodyBytes, 'x')).status, 400);
  EXPECT_THROW(parse_add_checkpoint("old 0\n\n" + std::string(kMaxBodyBytes, 'x')), MalformedRequest);
  EXPECT_TRUE(state.empty());
}

TEST_F(Fixture, UnknownOriginIs404) {
  Log other;
  other.origin = "other.example/log";
  other.key = tlog::Signer::generate(other.origin, tlog::kEd25519);
  other.grow(3);
  EXPECT_EQ(send(other.request(0, 3)).status, 404);
}

TEST_F(Fixture, MissingOrBadLogSignatureIs403) {
  log.grow(3);
  // Signed by another key of the same name: no trusted signature.
  const auto impostor = tlog::Signer::generate(log.origin, tlog::kEd25519);
  EXPECT_EQ(send("old 0\n\n" + log.checkpoint(3, &impostor)).status, 403);
  // The trusted key's name and ID, but a signature that does not verify.
  auto note = tlog::parse_note(log.checkpoint(3));
  note.signatures[0].signature[0] ^= 1;
  EXPECT_EQ(send("old 0\n\n" + note.format()).status, 403);
  // A text changed after signing.
  auto forged = tlog::parse_note(log.checkpoint(3));
  tlog::Checkpoint c{log.origin, 3, tlog::leaf_hash("forged"), {}};
  forged.text = c.text();
  EXPECT_EQ(send("old 0\n\n" + forged.format()).status, 403);
  EXPECT_TRUE(state.empty());
  // Signatures from unknown keys beside the trusted one are ignored.
  auto extra = tlog::parse_note(log.checkpoint(3));
  extra.signatures.push_back(tlog::Signer::generate("someone.else", tlog::kEd25519).sign(extra.text));
  EXPECT_EQ(send("old 0\n\n" + extra.format()).status, 200);
}

TEST_F(Fixture, OldSizeOtherThanRecordedIs409WithTheRecordedSize) {
  log.grow(10);
  ASSERT_EQ(send(log.request(0, 10)).status, 200);
  log.grow(5);
  for (std::uint64_t old : {0u, 9u, 11u}) {
    auto out = send(log.request(old, 15));
    EXPECT_EQ(out.status, 409) << old;
    EXPECT_EQ(out.content_type, "text/x.tlog.size");
    EXPECT_EQ(out.body, "10\n");
  }
  // A witness that never cosigned this log knows size 0.
  state.clear();
  auto out = send(log.request(10, 15));
  EXPECT_EQ(out.status, 409);
  EXPECT_EQ(out.body, "0\n");
}

TEST_F(Fixture, InconsistentHistoryIs422AndNotRecorded) {
  log.grow(8);
  ASSERT_EQ(send(log.request(0, 8)).status, 200);
  const auto before = state[log.origin];
  // A non-empty proof from size 0 (after a reset of the record).
  auto saved = state;
  state.clear();
  log.grow(4);
  auto body = log.request(8, 12);
  body.replace(0, 5, "old 0");
  EXPECT_EQ(send(body).status, 422);
  state = saved;
  // A proof that does not verify: one hash altered.
  auto bad = log.request(8, 12);
  const auto first_hash = bad.find('\n') + 1;
  bad[first_hash] = bad[first_hash] == 'A' ? 'B' : 'A';
  EXPECT_EQ(send(bad).status, 422);
  // A rewritten history: a log whose first 8 leaves differ, signed by the same key.
  Log rewritten;
  rewritten.key = log.key;
  rewritten.grow(12, "rewritten");
  EXPECT_EQ(send(rewritten.request(8, 12)).status, 422);
  // The same size with another root.
  EXPECT_EQ(send(rewritten.request(8, 8)).status, 422);
  EXPECT_EQ(state[log.origin], before);   // nothing recorded
  // The honest extension still goes through.
  EXPECT_EQ(send(log.request(8, 12)).status, 200);
}

TEST(WitnessState, PersistsAtomicallyAndServesTheLastCosignedCheckpoint) {
  const auto dir = std::filesystem::temp_directory_path() / ("witness-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Log log;
  log.grow(6);
  const auto witness_key = tlog::Signer::generate("witness.example/w2", tlog::kCosignatureV1);
  {
    Witness w(WitnessOptions{witness_key, {{log.origin, {log.key.verifier()}}}, dir.string(), "127.0.0.1", 0},
              [] { return std::uint64_t{1'800'000'000}; });
    const auto hash = StateStore::file_name(log.origin);
    EXPECT_EQ(w.checkpoint(hash).status, 404);
    auto res = w.add_checkpoint(log.request(0, 6));
    ASSERT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(w.checkpoint("0000").status, 404);
    const auto served = w.checkpoint(hash);
    ASSERT_EQ(served.status, 200);
    EXPECT_EQ(tlog::SignedCheckpoint::parse(served.body).verify(log.key.verifier(), {witness_key.verifier()}), 1u);
    EXPECT_FALSE(std::filesystem::exists(dir / (hash + ".tmp")));
    EXPECT_EQ(std::filesystem::status(dir).permissions() & std::filesystem::perms::others_all,
              std::filesystem::perms::none);
  }
  {
    // A restarted witness remembers: an old size of 0 is now a conflict.
    Witness w(WitnessOptions{witness_key, {{log.origin, {log.key.verifier()}}}, dir.string(), "127.0.0.1", 0});
    auto res = w.add_checkpoint(log.request(0, 6));
    EXPECT_EQ(res.status, 409);
    EXPECT_EQ(res.body, "6\n");
    log.grow(3);
    EXPECT_EQ(w.add_checkpoint(log.request(6, 9)).status, 200);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::witness
