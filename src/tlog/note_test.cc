// Signed notes, keys and cosignatures against the examples of c2sp.org/signed-note and
// c2sp.org/tlog-checkpoint, and against what an attacker would change.
#include "tlog/note.h"

#include <gtest/gtest.h>

#include "tlog/checkpoint.h"

namespace parley::tlog {
namespace {

const char* kSpecVkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const char* kSpecNote =
    "This is an example message.\n"
    "\n"
    "\xe2\x80\x94 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

TEST(SignedNote, VerifiesTheSpecificationsExample) {
  const auto v = Verifier::parse(kSpecVkey);
  EXPECT_EQ(v.name, "example.com/foo");
  EXPECT_EQ(v.key_id, 0x530d903au);
  EXPECT_EQ(v.type, kEd25519);
  EXPECT_EQ(v.vkey(), kSpecVkey);
  const auto note = parse_note(kSpecNote);
  EXPECT_EQ(note.text, "This is an example message.\n");
  ASSERT_EQ(note.signatures.size(), 1u);
  EXPECT_TRUE(v.verify(note.text, note.signatures[0]));
  EXPECT_EQ(note.format(), kSpecNote);
  EXPECT_FALSE(v.verify("This is an example message!\n", note.signatures[0]));
}

TEST(SignedNote, ParsesTheSpecificationsMultiParagraphText) {
  const std::string text =
      "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \xc3\xa8 subito sera.\n";
  const auto note = parse_note(text + "\n\xe2\x80\x94 quasimodo.example/salvatore "
                                      "NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n");
  EXPECT_EQ(note.text, text);   // the text keeps its own blank line
  EXPECT_EQ(note.signatures[0].name, "quasimodo.example/salvatore");
}

TEST(SignedNote, KeysRoundTripAndKeyIdsFollowTheSpecification) {
  const auto log = Signer::generate("parley.example/ledger", kEd25519);
  const auto again = Signer::parse(log.private_key());
  EXPECT_EQ(again.verifier().vkey(), log.verifier().vkey());
  EXPECT_EQ(Verifier::parse(log.verifier().vkey()).public_key, log.verifier().public_key);
  const auto v = log.verifier();
  EXPECT_EQ(v.key_id, key_id(v.name, 0x01, v.public_key));
  const auto witness = Signer::generate("cert.example.kz/witness", kCosignatureV1);
  EXPECT_EQ(witness.verifier().type, kCosignatureV1);
  EXPECT_NE(witness.verifier().key_id, key_id(witness.name(), kEd25519, witness.verifier().public_key));
  // A vkey whose ID does not match its key, or a private key edited, is refused.
  auto vkey = v.vkey();
  vkey[vkey.find('+') + 1] = vkey[vkey.find('+') + 1] == '0' ? '1' : '0';
  EXPECT_THROW(Verifier::parse(vkey), NoteError);
  EXPECT_THROW(Verifier::parse("no-plus"), NoteError);
  EXPECT_THROW(Signer::parse("PRIVATE+KEY+x+00000000+AAAA"), NoteError);
  EXPECT_THROW(Signer::generate("has space", kEd25519), NoteError);
  EXPECT_THROW(Signer::generate("has+plus", kEd25519), NoteError);
}

TEST(SignedNote, RefusesMalformedNotes) {
  EXPECT_THROW(parse_note("no blank line\n\xe2\x80\x94 a AAAAAAA=\n"), NoteError);
  EXPECT_THROW(parse_note("text\n\n"), NoteError);                         // no signature
  EXPECT_THROW(parse_note("text\n\n- a AAAAAAAA\n"), NoteError);           // not an em dash
  EXPECT_THROW(parse_note("te\x01xt\n\n\xe2\x80\x94 a AAAAAAAA\n"), NoteError);   // control character
  EXPECT_THROW(parse_note("text\n\n\xe2\x80\x94 a AAAAAAAA"), NoteError);   // no final newline
  EXPECT_THROW(parse_note("text\n\n\xe2\x80\x94 a !!!!\n"), NoteError);     // not base64
  EXPECT_THROW(parse_note("te\xffxt\n\n\xe2\x80\x94 a AAAAAAAA\n"), NoteError);   // not UTF-8
  std::string many = "text\n\n";
  for (int i = 0; i < 65; ++i) many += "\xe2\x80\x94 a AAAAAAAA\n";
  EXPECT_THROW(parse_note(many), NoteError);
}

TEST(SignedNote, SignsCheckpointsAndCosignaturesThatOnlyTheRightKeysVerify) {
  const auto log = Signer::generate("parley.example/ledger", kEd25519);
  const auto w1 = Signer::generate("w1.example", kCosignatureV1);
  const auto w2 = Signer::generate("w2.example", kCosignatureV1);
  Checkpoint cp{"parley.example/ledger", 5, leaf_hash("x"), {}};
  Note note{cp.text(), {log.sign(cp.text())}};
  note.signatures.push_back(w1.cosign(cp.text(), 1700000000));
  const auto parsed = SignedCheckpoint::parse(note.format());
  EXPECT_EQ(parsed.checkpoint.size, 5u);
  EXPECT_EQ(parsed.checkpoint.root, cp.root);
  EXPECT_EQ(parsed.verify(log.verifier(), {w1.verifier(), w2.verifier()}), 1u);
  std::uint64_t ts = 0;
  EXPECT_TRUE(w1.verifier().verify(cp.text(), parsed.note.signatures[1], &ts));
  EXPECT_EQ(ts, 1700000000u);
  // The cosigned message is the specification's.
  EXPECT_EQ(cosigned_message(cp.text(), 1679315147),
            "cosignature/v1\ntime 1679315147\nparley.example/ledger\n5\n" + to_base64(cp.root) + "\n");
  // Another log key, another size, or a cosignature moved to another checkpoint fail.
  const auto other = Signer::generate("parley.example/ledger", kEd25519);
  EXPECT_THROW(parsed.verify(other.verifier(), {}), CheckpointError);
  Checkpoint bigger = cp;
  bigger.size = 6;
  Note moved{bigger.text(), {log.sign(bigger.text()), note.signatures[1]}};
  EXPECT_THROW(SignedCheckpoint::parse(moved.format()).verify(log.verifier(), {w1.verifier()}), CheckpointError);
  EXPECT_THROW(log.cosign(cp.text(), 1), NoteError);
  EXPECT_THROW(w1.sign(cp.text()), NoteError);
}

TEST(Checkpoint, ParsesTheSpecificationsExampleAndRefusesMalformed) {
  const auto cp = Checkpoint::parse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  EXPECT_EQ(cp.origin, "example.com/behind-the-sofa");
  EXPECT_EQ(cp.size, 20852163u);
  EXPECT_EQ(to_base64(cp.root), "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_THROW(Checkpoint::parse("o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"), CheckpointError);
  EXPECT_THROW(Checkpoint::parse("o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"), CheckpointError);
  EXPECT_THROW(Checkpoint::parse("o\n1\nAAAA\n"), CheckpointError);
  EXPECT_THROW(Checkpoint::parse("o\n1\n"), CheckpointError);
  EXPECT_THROW(Checkpoint::parse("\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"), CheckpointError);
}

TEST(Receipt, RoundTripsTheTlogProofFormat) {
  Receipt r;
  r.extra = std::string("{\"seq\":1}");
  r.index = 73894;
  r.proof = {leaf_hash("a"), leaf_hash("b")};
  r.checkpoint = "example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n\xe2\x80\x94 x AAAAAAAA\n";
  const auto text = r.format();
  EXPECT_EQ(text.substr(0, 23), "c2sp.org/tlog-proof@v1\n");
  const auto back = Receipt::parse(text);
  EXPECT_EQ(back.extra, r.extra);
  EXPECT_EQ(back.index, r.index);
  EXPECT_EQ(back.proof, r.proof);
  EXPECT_EQ(back.checkpoint, r.checkpoint);
  EXPECT_THROW(Receipt::parse("c2sp.org/tlog-proof@v2\nindex 1\n\nx"), CheckpointError);
  EXPECT_THROW(Receipt::parse("c2sp.org/tlog-proof@v1\nindex 01\n\nx"), CheckpointError);
  EXPECT_THROW(Receipt::parse("c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nx"), CheckpointError);
}

TEST(Tiles, PathsFollowTheSpecification) {
  EXPECT_EQ(tile_index_path(1234067), "x001/x234/067");
  EXPECT_EQ(tile_index_path(0), "000");
  EXPECT_EQ(tile_index_path(1000), "x001/000");
  auto t = parse_tile_path("0/x001/x234/067");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->level, 0);
  EXPECT_EQ(t->index, 1234067u);
  EXPECT_EQ(t->width, 256);
  t = parse_tile_path("2/000.p/17");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->level, 2);
  EXPECT_EQ(t->width, 17);
  t = parse_tile_path("entries/x001/000");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->level, -1);
  EXPECT_EQ(t->index, 1000u);
  for (const char* bad : {"0/1234", "0/01", "64/000", "0/000.p/0", "0/000.p/256", "0/x1/000", "0/../000", "0/",
                          "0/000/", "01/000", "0/x000x/000"})
    EXPECT_FALSE(parse_tile_path(bad)) << bad;
}

}  // namespace
}  // namespace parley::tlog
