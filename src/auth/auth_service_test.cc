#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include "crypto/totp.h"
#include "common/time.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::auth {
namespace {

class AuthServiceTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  AuthService auth{t.db(), AuthConfig{}};
  void SetUp() override {
    auth.add_user("test", NewUser{"alice", "Alice", "", Role::kObserver, "", ""}, "a-long-password");
  }
};

using testing::status_of;

TEST_F(AuthServiceTest, SignInIssuesSessionAndCsrf) {
  auto s = auth.sign_in("alice", "a-long-password", std::nullopt, "127.0.0.1");
  EXPECT_EQ(s.user.username, "alice");
  EXPECT_EQ(s.csrf_token, AuthService::csrf_for(s.session_token));
  auto who = auth.from_session(s.session_token);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->username, "alice");
  auth.sign_out(s.session_token);
  EXPECT_FALSE(auth.from_session(s.session_token).has_value());
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserAre401) {
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "wrong-password", std::nullopt, "10.0.0.1"); }), 401);
  EXPECT_EQ(status_of([&] { auth.sign_in("nobody", "whatever-pass", std::nullopt, "10.0.0.1"); }), 401);
}

TEST_F(AuthServiceTest, RepeatedFailuresAreThrottledEvenWithTheRightPassword) {
  for (int i = 0; i < 4; ++i) status_of([&] { auth.sign_in("alice", "wrong-password", std::nullopt, "10.0.0.2"); });
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "wrong-password", std::nullopt, "10.0.0.2"); }), 401);   // 5th
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", std::nullopt, "10.0.0.3"); }), 429);
}

TEST_F(AuthServiceTest, ApiTokensResolveUntilRevoked) {
  auto who = auth.sign_in("alice", "a-long-password", std::nullopt, "x").user.principal(false);
  auto tok = auth.create_token(who, "script", std::nullopt);
  const auto secret = tok["token"].get<std::string>();
  ASSERT_TRUE(auth.from_api_token(secret).has_value());
  EXPECT_TRUE(auth.from_api_token(secret)->via_token);
  EXPECT_FALSE(auth.from_api_token(secret + "x").has_value());
  auth.revoke_token(who, tok["id"].get<std::int64_t>());
  EXPECT_FALSE(auth.from_api_token(secret).has_value());
}

TEST_F(AuthServiceTest, TotpIsRequiredOnceEnabledAndCodesCannotBeReplayed) {
  auto who = auth.sign_in("alice", "a-long-password", std::nullopt, "x").user.principal(false);
  auto enrol = auth.totp_begin(who);
  const auto secret = *crypto::base32_decode(enrol["secret"].get<std::string>());
  const auto now = unix_seconds(Clock::now());
  EXPECT_EQ(status_of([&] { auth.totp_confirm(who, "000000" == crypto::totp_code(secret, now) ? "111111" : "000000"); }), 422);
  auth.totp_confirm(who, crypto::totp_code(secret, now));
  try {
    auth.sign_in("alice", "a-long-password", std::nullopt, "y");
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.slug(), "totp-required");
  }
  // The code used to confirm enrolment cannot be used again to sign in.
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", crypto::totp_code(secret, now), "y"); }), 401);
  auto s = auth.sign_in("alice", "a-long-password", crypto::totp_code(secret, now + 30), "y");
  EXPECT_EQ(s.user.username, "alice");
}

TEST_F(AuthServiceTest, DisabledUsersLoseSessionsAndCannotSignIn) {
  auto s = auth.sign_in("alice", "a-long-password", std::nullopt, "x");
  auth.set_disabled("test", "alice", true);
  EXPECT_FALSE(auth.from_session(s.session_token).has_value());
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", std::nullopt, "z"); }), 401);
}

TEST_F(AuthServiceTest, PasswordPolicyAndUsernameRules) {
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"bob", "Bob", "", Role::kObserver, "", ""}, "short"); }), 422);
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"Bob Smith", "Bob", "", Role::kObserver, "", ""}, "long-enough-pw"); }), 422);
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"alice", "A", "", Role::kObserver, "", ""}, "long-enough-pw"); }), 409);
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"fp", "F", "", Role::kFocalPoint, "", ""}, "long-enough-pw"); }), 422);
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"fp", "F", "", Role::kFocalPoint, "FRA", ""}, "long-enough-pw"); }), 422);
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"sec", "S", "", Role::kSecretariat, "", "OSCE"}, "long-enough-pw"); }), 422);
}

}  // namespace
}  // namespace parley::auth
