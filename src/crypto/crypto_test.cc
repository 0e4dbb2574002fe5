#include <gtest/gtest.h>

#include <filesystem>

#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/secret_box.h"
#include "crypto/totp.h"

namespace parley::crypto {
namespace {

TEST(Hash, Sha256KnownAnswer) {
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Totp, Rfc6238TestVectors) {
  // RFC 6238 appendix B, SHA-1 seed; 8-digit codes.
  const std::string seed = "12345678901234567890";
  EXPECT_EQ(totp_code(seed, 59, 8), "94287082");
  EXPECT_EQ(totp_code(seed, 1111111109, 8), "07081804");
  EXPECT_EQ(totp_code(seed, 1234567890, 8), "89005924");
  EXPECT_EQ(totp_code(seed, 20000000000, 8), "65353130");
}

TEST(Totp, VerifyAcceptsNeighbouringStepsOnly) {
  const std::string seed = "12345678901234567890";
  const std::int64_t t = 1111111109;
  EXPECT_TRUE(totp_verify(seed, totp_code(seed, t), t).has_value());
  EXPECT_TRUE(totp_verify(seed, totp_code(seed, t - 30), t).has_value());
  EXPECT_FALSE(totp_verify(seed, totp_code(seed, t - 90), t).has_value());
  EXPECT_FALSE(totp_verify(seed, "12345", t).has_value());
}

TEST(Base32, Rfc4648Vectors) {
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("MZXW6YTBOI").value(), "foobar");
  EXPECT_EQ(base32_decode("mzxw6ytboi======").value(), "foobar");
  EXPECT_FALSE(base32_decode("M1").has_value());
}

TEST(Password, Argon2idRoundTrip) {
  const auto h = hash_password("correct horse battery");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password(h, "correct horse battery"));
  EXPECT_FALSE(verify_password(h, "correct horse batterz"));
  EXPECT_FALSE(verify_password("not a hash", "x"));
  EXPECT_NE(hash_password("same"), hash_password("same"));   // salted
}

TEST(Random, TokensAreUrlSafeAndDistinct) {
  const auto a = random_token(32), b = random_token(32);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
}

TEST(SecretBox, SealsOpensAndRefusesAnotherKeyOrPurpose) {
  SecretBox box(std::string(32, 'a'));
  const auto sealed = box.seal("JBSWY3DPEHPK3PXP", "users.totp_secret");
  EXPECT_TRUE(SecretBox::is_sealed(sealed));
  EXPECT_EQ(sealed.find("JBSWY3DPEHPK3PXP"), std::string::npos);
  EXPECT_NE(sealed, box.seal("JBSWY3DPEHPK3PXP", "users.totp_secret"));   // a fresh nonce each time
  EXPECT_EQ(box.open(sealed, "users.totp_secret"), "JBSWY3DPEHPK3PXP");
  EXPECT_FALSE(box.open(sealed, "another.column").has_value());
  EXPECT_FALSE(SecretBox(std::string(32, 'b')).open(sealed, "users.totp_secret").has_value());
  auto tampered = sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.open(tampered, "users.totp_secret").has_value());
  EXPECT_FALSE(box.open("JBSWY3DPEHPK3PXP", "users.totp_secret").has_value());
  EXPECT_THROW(SecretBox(std::string(16, 'a')), std::invalid_argument);
}

TEST(SecretBox, KeyFileIsCreatedPrivateAndReadBack) {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / ("parley-key-" + random_token(8));
  const auto path = (dir / "sub" / "parley.key").string();
  const auto key = load_or_create_key_file(path);
  EXPECT_EQ(key.size(), SecretBox::kKeyBytes);
  EXPECT_EQ(fs::status(path).permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  EXPECT_EQ(load_or_create_key_file(path), key);
  fs::permissions(path, fs::perms::others_read, fs::perm_options::add);
  EXPECT_THROW(load_or_create_key_file(path), std::runtime_error);   // readable by others: refused
  fs::remove_all(dir);
}

}  // namespace
}  // namespace parley::crypto
