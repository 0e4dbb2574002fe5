#include "accounts/invitation_service.h"

#include <gtest/gtest.h>

#include "accounts/account_service.h"
#include "directory/directory_store.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::accounts {
namespace {

using auth::Principal;
using auth::Role;
using testing::status_of;

std::string secret_of(const std::string& link) { return link.substr(link.rfind('/') + 1); }

class InvitationTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  NullEventSink sink;
  ManualTimeSource clock;
  auth::AuthService auth{t.db(), auth::AuthConfig{}};
  directory::DirectoryService dir{t.db(), sink};
  InvitationService inv{t.db(), auth, dir, clock, mail::MailConfig{}, 72};
  AccountService accounts{t.db(), auth};
  Principal op{0, "cli", "", Role::kAdmin, "", "", false, "", 0, false};
  Principal sec_cica, focal_kaz;   // real accounts: invitations name their inviter

  void SetUp() override {
    inv.set_public_url("https://parley.example");
    t.db().write([](storage::Connection& c) {
      directory::DirectoryStore::upsert_state(c, "KAZ", "Kazakhstan", "state");
      directory::DirectoryStore::upsert_state(c, "USA", "United States of America", "state");
      directory::DirectoryStore::upsert_forum(c, "CICA", "CICA", "Secretariat", {"en", "ru"}, "");
      directory::DirectoryStore::add_member(c, "CICA", "KAZ");
    });
    auth.add_user("test", auth::NewUser{"secretariat.cica", "S", "", Role::kSecretariat, "", "CICA"}, "a long passphrase");
    auth.add_user("test", auth::NewUser{"focal.kaz", "F", "", Role::kFocalPoint, "KAZ", ""}, "a long passphrase");
    sec_cica = *auth.principal_of("secretariat.cica");
    focal_kaz = *auth.principal_of("focal.kaz");
  }

  Invited invite(const Principal& who, Role role, const std::string& state, const std::string& forum) {
    InvitationInput in;
    in.email = "someone@example.org";
    in.role = role;
    in.state = state;
    in.forum = forum;
    return inv.invite(who, in, false);
  }
};

TEST_F(InvitationTest, StoresOnlyTheHashOfTheSecretAndWorksOnce) {
  const auto r = invite(op, Role::kSecretariat, "", "CICA");
  ASSERT_TRUE(r.link.starts_with("https://parley.example/#/invitation/")) << r.link;
  const auto secret = secret_of(r.link);
  EXPECT_GE(secret.size(), 43u);
  const auto stored = t.db().read([](storage::Connection& c) { return c.query("SELECT * FROM invitations"); });
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_NE(stored[0].text("secret_hash"), secret);
  EXPECT_EQ(stored[0].text("secret_hash").size(), 64u);
  EXPECT_EQ(inv.lookup(secret, "1.2.3.4")["forum"], "CICA");
  inv.accept(secret, "new.sec", "New Secretariat", "a long passphrase", "1.2.3.4");
  const auto u = auth.principal_of("new.sec");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->forum, "CICA");
  EXPECT_TRUE(u->must_enrol_totp) << "an invited secretariat enrols a second factor first";
  EXPECT_EQ(status_of([&] { inv.accept(secret, "again", "Again", "a long passphrase", "1.2.3.4"); }), 410);
}

TEST_F(InvitationTest, ExpiresByTheServersClock) {
  const auto secret = secret_of(invite(op, Role::kAdmin, "", "").link);
  clock.advance(71LL * 3600 * 1000);
  EXPECT_EQ(inv.lookup(secret, "1.2.3.4")["role"], "admin");
  clock.advance(2LL * 3600 * 1000);
  EXPECT_EQ(status_of([&] { inv.lookup(secret, "1.2.3.4"); }), 410);
  EXPECT_EQ(status_of([&] { inv.accept(secret, "late", "Late", "a long passphrase", "1.2.3.4"); }), 410);
}

TEST_F(InvitationTest, NobodyInvitesAboveTheirRoleOrOutsideTheirScope) {
  EXPECT_EQ(status_of([&] { invite(sec_cica, Role::kAdmin, "", ""); }), 403);
  EXPECT_EQ(status_of([&] { invite(sec_cica, Role::kFocalPoint, "USA", ""); }), 403);
  EXPECT_EQ(status_of([&] { invite(sec_cica, Role::kSecretariat, "", "ARF"); }), 422);   // no such forum
  EXPECT_EQ(status_of([&] { invite(focal_kaz, Role::kFocalPoint, "KAZ", ""); }), 403);
  EXPECT_EQ(status_of([&] { invite(focal_kaz, Role::kSecretariat, "", "CICA"); }), 403);
  EXPECT_EQ(status_of([&] { invite(sec_cica, Role::kFocalPoint, "", ""); }), 422);   // a state is required
  EXPECT_EQ(status_of([&] { invite(sec_cica, Role::kFocalPoint, "KAZ", ""); }), 0);
}

TEST_F(InvitationTest, UnknownSecretsAreThrottledPerAddress) {
  for (int i = 0; i < 20; ++i) EXPECT_EQ(status_of([&] { inv.lookup("guess" + std::to_string(i), "6.6.6.6"); }), 404);
  EXPECT_EQ(status_of([&] { inv.lookup("guess", "6.6.6.6"); }), 429);
  EXPECT_EQ(status_of([&] { inv.lookup("guess", "7.7.7.7"); }), 404) << "another address is not locked";
}

TEST_F(InvitationTest, AnApprovedNominationWithAnEmailIsInvited) {
  dir.on_approved([this](storage::Connection& c, const Principal& who, const directory::Contact& k) {
    inv.nomination_approved(c, who, k);
  });
  directory::ContactInput k;
  k.state = "KAZ";
  k.name = "Daniyar";
  k.type = "technical";
  k.availability = "24/7";
  k.channels = std::vector<directory::Channel>{{"email", "daniyar@cert.kz", ""}};
  const auto nominated = dir.create(focal_kaz, k);
  ASSERT_EQ(nominated.status, "pending");
  EXPECT_TRUE(inv.list(sec_cica, true).empty());
  dir.decide(sec_cica, nominated.id, true, "");
  const auto open = inv.list(sec_cica, true);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["email"], "daniyar@cert.kz");
  EXPECT_EQ(open[0]["contact_id"], nominated.id);
  EXPECT_EQ(open[0]["role"], "poc");
}

}  // namespace
}  // namespace parley::accounts
