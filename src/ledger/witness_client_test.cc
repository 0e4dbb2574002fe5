// The log's side of the witness protocol (ledger/witness_protocol.h): the request body
// a real witness (witness/add_checkpoint.h) accepts, and every kind of answer.
#include "ledger/witness_protocol.h"

#include <gtest/gtest.h>

#include "tlog/checkpoint.h"
#include "witness/add_checkpoint.h"

namespace parley::ledger {
namespace {

struct Tree {
  std::vector<std::vector<tlog::Hash>> levels = std::vector<std::vector<tlog::Hash>>(16);
  std::uint64_t size = 0;
  tlog::NodeReader reader() {
    return [this](int l, std::uint64_t i) { return levels.at(static_cast<std::size_t>(l)).at(i); };
  }
  void grow(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i, ++size)
      for (const auto& [l, h] : tlog::append_leaf(reader(), size, tlog::leaf_hash(std::to_string(size))))
        levels.at(static_cast<std::size_t>(l)).push_back(h);
  }
};

struct Protocol : ::testing::Test {
  tlog::Signer log = tlog::Signer::generate("parley.example/ledger", tlog::kEd25519);
  tlog::Signer witness = tlog::Signer::generate("cert.example/w", tlog::kCosignatureV1);
  Tree tree;
  std::string note(std::uint64_t size) {
    tlog::Checkpoint c{log.name(), size, tlog::root(tree.reader(), size), {}};
    return tlog::Note{c.text(), {log.sign(c.text())}}.format();
  }
  std::string text(std::uint64_t size) { return tlog::SignedCheckpoint::parse(note(size)).note.text; }
};

TEST_F(Protocol, ARealWitnessCosignsTheBodyAndTheAnswerVerifies) {
  tree.grow(13);
  witness::LogKeys logs{{log.name(), {log.verifier()}}};
  std::optional<std::string> state;
  auto send = [&](std::uint64_t old, std::uint64_t size) {
    auto out = witness::add_checkpoint(add_checkpoint_body(old, tlog::consistency_proof(tree.reader(), old, size), note(size)),
                                       logs, witness, [&](const std::string&) { return state; }, 1'700'000'000);
    if (out.status == 200) state = out.record;
    return out;
  };
  auto out = send(0, 5);
  ASSERT_EQ(out.status, 200) << out.body;
  auto a = interpret_witness_answer(out.status, out.content_type, out.body, text(5), witness.verifier(), 13);
  ASSERT_EQ(a.kind, WitnessAnswer::Kind::kCosigned) << a.reason;
  EXPECT_EQ(a.timestamp, 1'700'000'000u);
  EXPECT_EQ(a.line, out.body);
  out = send(5, 13);
  ASSERT_EQ(out.status, 200) << out.body;
  // Against another checkpoint's text, the same line is no cosignature.
  a = interpret_witness_answer(out.status, out.content_type, out.body, text(5), witness.verifier(), 13);
  EXPECT_EQ(a.kind, WitnessAnswer::Kind::kDown);
  // From another witness key: ignored, so no cosignature either.
  const auto other = tlog::Signer::generate("cert.example/w", tlog::kCosignatureV1);
  a = interpret_witness_answer(out.status, out.content_type, out.body, text(13), other.verifier(), 13);
  EXPECT_EQ(a.kind, WitnessAnswer::Kind::kDown);
  // A stale old size: the witness says 13; retry from there.
  out = send(5, 13);
  ASSERT_EQ(out.status, 409);
  a = interpret_witness_answer(out.status, out.content_type, out.body, text(13), witness.verifier(), 13);
  ASSERT_EQ(a.kind, WitnessAnswer::Kind::kRetry);
  EXPECT_EQ(a.size, 13u);
}

TEST_F(Protocol, RefusalsAndOutages) {
  const auto v = witness.verifier();
  // A 409 beyond our tree: the witness saw a longer log than ours (truncation): refused.
  auto a = interpret_witness_answer(409, "text/x.tlog.size", "50\n", "x\n", v, 20);
  EXPECT_EQ(a.kind, WitnessAnswer::Kind::kRefused);
  EXPECT_NE(a.reason.find("50"), std::string::npos);
  // A 409 without a size: refused.
  EXPECT_EQ(interpret_witness_answer(409, "text/plain", "conflict\n", "x\n", v, 20).kind, WitnessAnswer::Kind::kRefused);
  EXPECT_EQ(interpret_witness_answer(409, "text/x.tlog.size", "1e3\n", "x\n", v, 20).kind,
            WitnessAnswer::Kind::kRefused);
  for (int status : {400, 403, 404, 422}) {
    a = interpret_witness_answer(status, "text/plain", "the consistency proof does not verify\n", "x\n", v, 20);
    EXPECT_EQ(a.kind, WitnessAnswer::Kind::kRefused) << status;
    EXPECT_NE(a.reason.find(std::to_string(status)), std::string::npos);
    EXPECT_NE(a.reason.find("does not verify"), std::string::npos);
  }
  // Server errors and nonsense are outages: retried, no alarm.
  for (int status : {500, 502, 503, 301, 401})
    EXPECT_EQ(interpret_witness_answer(status, "text/plain", "", "x\n", v, 20).kind, WitnessAnswer::Kind::kDown);
  EXPECT_EQ(interpret_witness_answer(200, "text/plain", "not a signature\n", "x\n", v, 20).kind,
            WitnessAnswer::Kind::kDown);
  // A reason never carries control characters or more than a line.
  a = interpret_witness_answer(422, "text/plain", std::string("bad\x1b[31m\nsecond line"), "x\n", v, 20);
  EXPECT_EQ(a.reason.find('\x1b'), std::string::npos);
  EXPECT_EQ(a.reason.find("second"), std::string::npos);
}

TEST_F(Protocol, RequestBodyFollowsTheSpecification) {
  tree.grow(7);
  const auto proof = tlog::consistency_proof(tree.reader(), 3, 7);
  const auto body = add_checkpoint_body(3, proof, note(7));
  const auto req = witness::parse_add_checkpoint(body);
  EXPECT_EQ(req.old_size, 3u);
  EXPECT_EQ(req.proof, proof);
  EXPECT_EQ(req.checkpoint, note(7));
  EXPECT_TRUE(body.starts_with("old 3\n"));
}

}  // namespace
}  // namespace parley::ledger
