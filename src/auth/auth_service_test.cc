#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include <functional>

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

// A session's principal as the Guard resolves it (with its credential).
Principal signed_in(AuthService& auth, const std::string& remote = "x") {
  return *auth.from_session(auth.sign_in("alice", "a-long-password", std::nullopt, remote).session_token);
}

TEST_F(AuthServiceTest, RepeatedFailuresAreThrottledEvenWithTheRightPassword) {
  for (int i = 0; i < 4; ++i) status_of([&] { auth.sign_in("alice", "wrong-password", std::nullopt, "10.0.0.2"); });
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "wrong-password", std::nullopt, "10.0.0.2"); }), 401);   // 5th
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", std::nullopt, "10.0.0.2"); }), 429);
  // The lock is on alice at that address: a guesser cannot lock alice out everywhere.
  EXPECT_EQ(auth.sign_in("alice", "a-long-password", std::nullopt, "10.0.0.3").user.username, "alice");
}

TEST_F(AuthServiceTest, ManyUsernamesFromOneAddressLockTheAddress) {
  for (int i = 0; i < 100; ++i)
    status_of([&] { auth.sign_in("guess" + std::to_string(i), "wrong-password", std::nullopt, "10.0.0.9"); });
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", std::nullopt, "10.0.0.9"); }), 429);
}

TEST_F(AuthServiceTest, ConcurrentGuessesGetNoMoreEvaluationsThanSequentialOnes) {
  // Five attempts in flight use up the free ones: a sixth, begun meanwhile, waits.
  Throttle th(5, std::chrono::seconds(30), std::chrono::minutes(15));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(th.begin("k"), 0);
  EXPECT_GT(th.begin("k"), 0);
  for (int i = 0; i < 5; ++i) th.failure("k");
  EXPECT_GE(th.locked_for("k"), 29);
  // An attempt that ends for another reason gives its place back.
  Throttle other(2, std::chrono::seconds(30), std::chrono::minutes(15));
  EXPECT_EQ(other.begin("k"), 0);
  EXPECT_EQ(other.begin("k"), 0);
  EXPECT_GT(other.begin("k"), 0);
  other.end("k");
  EXPECT_EQ(other.begin("k"), 0);
}

TEST_F(AuthServiceTest, ApiTokensResolveUntilRevoked) {
  auto who = signed_in(auth);
  auto tok = auth.create_token(who, "script", std::nullopt);
  const auto secret = tok["token"].get<std::string>();
  ASSERT_TRUE(auth.from_api_token(secret).has_value());
  EXPECT_TRUE(auth.from_api_token(secret)->via_token);
  EXPECT_FALSE(auth.from_api_token(secret + "x").has_value());
  auth.revoke_token(who, tok["id"].get<std::int64_t>());
  EXPECT_FALSE(auth.from_api_token(secret).has_value());
}

TEST_F(AuthServiceTest, TotpIsRequiredOnceEnabledAndCodesCannotBeReplayed) {
  auto who = signed_in(auth);
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

TEST_F(AuthServiceTest, TotpSeedsAreSealedAtRestUnderAKeyOutsideTheDatabase) {
  auto who = signed_in(auth);
  const auto secret = auth.totp_begin(who)["secret"].get<std::string>();
  const auto stored = t.db().read([](storage::Connection& c) {
    return c.query("SELECT totp_secret FROM users WHERE username = 'alice'")[0].text("totp_secret");
  });
  EXPECT_TRUE(stored.starts_with("v1:"));
  EXPECT_EQ(stored.find(secret), std::string::npos);
  // Another key (a copy of the database elsewhere) cannot use the seed.
  AuthConfig other;
  other.secret_key = std::string(32, 'k');
  AuthService elsewhere(t.db(), other);
  const auto now = unix_seconds(Clock::now());
  const auto code = crypto::totp_code(*crypto::base32_decode(secret), now);
  EXPECT_EQ(status_of([&] { elsewhere.totp_confirm(*elsewhere.from_session(
                                elsewhere.sign_in("alice", "a-long-password", std::nullopt, "k").session_token), code); }),
            422);
  auth.totp_confirm(who, code);
}

TEST_F(AuthServiceTest, SeedsStoredInClearByAnEarlierVersionAreSealedAtStart) {
  t.db().write([](storage::Connection& c) {
    c.execute("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'alice'");
  });
  AuthService again(t.db(), AuthConfig{});
  const auto stored = t.db().read([](storage::Connection& c) {
    return c.query("SELECT totp_secret FROM users WHERE username = 'alice'")[0].text("totp_secret");
  });
  EXPECT_TRUE(stored.starts_with("v1:"));
}

TEST_F(AuthServiceTest, CredentialsChangeOnlyFromARecentInteractiveSignIn) {
  auto who = signed_in(auth);
  const auto secret = auth.create_token(who, "script", std::nullopt)["token"].get<std::string>();
  const auto by_token = *auth.from_api_token(secret);
  for (const auto& change : std::vector<std::function<void()>>{
           [&] { auth.create_token(by_token, "more", std::nullopt); }, [&] { auth.totp_begin(by_token); },
           [&] { auth.change_password(by_token, "a-long-password", "another-long-password", "x"); }}) {
    try {
      change();
      ADD_FAILURE() << "a token changed a credential";
    } catch (const Problem& p) {
      EXPECT_EQ(p.slug(), "interactive-sign-in-required");
    }
  }
  // A session whose password check is older than the window must confirm it again.
  AuthConfig strict;
  strict.recent_sign_in_seconds = -1;
  AuthService picky(t.db(), strict);
  auto s = picky.sign_in("alice", "a-long-password", std::nullopt, "p");
  auto old = *picky.from_session(s.session_token);
  try {
    picky.create_token(old, "x", std::nullopt);
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.slug(), "recent-sign-in-required");
    EXPECT_EQ(p.status(), 403);
  }
  EXPECT_EQ(status_of([&] { picky.reauthenticate(old, "wrong-password", std::nullopt, "p"); }), 422);
  EXPECT_EQ(status_of([&] { picky.reauthenticate(by_token, "a-long-password", std::nullopt, "p"); }), 403);
}

TEST_F(AuthServiceTest, WrongSecondFactorCodesCountLikeWrongPasswords) {
  auto who = signed_in(auth);
  const auto seed = *crypto::base32_decode(auth.totp_begin(who)["secret"].get<std::string>());
  const auto now = unix_seconds(Clock::now());
  auth.totp_confirm(who, crypto::totp_code(seed, now));
  const auto wrong = crypto::totp_code(seed, now + 3600);   // a valid-looking code of another time
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", wrong, "10.1.1.1"); }), 401);
  // Knowing the password gives no more guesses at the code.
  EXPECT_EQ(status_of([&] { auth.sign_in("alice", "a-long-password", crypto::totp_code(seed, now + 30), "10.1.1.1"); }), 429);
  // Nor does a stolen session: re-authentication counts wrong codes too.
  auto other = *auth.from_session(auth.sign_in("alice", "a-long-password", crypto::totp_code(seed, now + 30), "10.1.1.2").session_token);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(status_of([&] { auth.reauthenticate(other, "a-long-password", wrong, "10.1.1.2"); }), 422);
  EXPECT_EQ(status_of([&] { auth.reauthenticate(other, "a-long-password", crypto::totp_code(seed, now), "10.1.1.2"); }), 429);
}

TEST_F(AuthServiceTest, TheEmailAddressChangesOnlyFromARecentSignIn) {
  auto who = signed_in(auth);
  const auto token = *auth.from_api_token(auth.create_token(who, "script", std::nullopt)["token"].get<std::string>());
  EXPECT_EQ(status_of([&] { auth.update_profile(token, "Alice", "thief@example.org"); }), 403);
  EXPECT_EQ(auth.update_profile(token, "Alice A.", "").display_name, "Alice A.");   // the name is not a credential
  EXPECT_EQ(auth.update_profile(who, "Alice", "alice@example.org").email, "alice@example.org");
}

TEST_F(AuthServiceTest, AStolenSessionCannotGuessThePasswordThroughAChange) {
  auto who = signed_in(auth, "10.2.2.2");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(status_of([&] { auth.change_password(who, "wrong-guess-" + std::to_string(i), "another-long-password", "10.2.2.2"); }), 422);
  EXPECT_EQ(status_of([&] { auth.change_password(who, "a-long-password", "another-long-password", "10.2.2.2"); }), 429);
}

TEST_F(AuthServiceTest, PasswordChangeEndsOtherSessionsAndEveryToken) {
  auto mine = signed_in(auth, "a");
  auto other = auth.sign_in("alice", "a-long-password", std::nullopt, "b").session_token;
  const auto token = auth.create_token(mine, "script", std::nullopt)["token"].get<std::string>();
  std::vector<std::int64_t> ended;
  auth.on_credentials_ended([&](std::int64_t user) { ended.push_back(user); });
  auth.change_password(mine, "a-long-password", "another-long-password", "a");
  EXPECT_FALSE(auth.from_session(other).has_value());
  EXPECT_FALSE(auth.from_api_token(token).has_value());
  EXPECT_TRUE(auth.credential_valid(mine.credential));   // the session that changed it stays
  EXPECT_EQ(ended, std::vector<std::int64_t>{mine.user_id});
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
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"fp", "F", "", Role::kFocalPoint, "XQZ", ""}, "long-enough-pw"); }), 422);
  EXPECT_EQ(status_of([&] { auth.add_user("t", NewUser{"sec", "S", "", Role::kSecretariat, "", "OSCE"}, "long-enough-pw"); }), 422);
}

}  // namespace
}  // namespace parley::auth
