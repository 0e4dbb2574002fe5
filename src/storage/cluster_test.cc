// Several instances on one database, in one process: two Database objects opened on
// the same SQLite file are two instances as far as the database can tell (each its own
// connections and writer thread).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/throttle.h"
#include "mail/outbox.h"
#include "storage/cluster.h"
#include "storage/cluster_events.h"
#include "storage/open.h"
#include "testing/temp_db.h"

namespace parley::storage {
namespace {

mail::Mail a_mail() {
  mail::Mail m;
  m.to = "a@example.org";
  m.subject = "s";
  m.body = "b";
  return m;
}

// Another instance on the same database (the same SQLite file, or PostgreSQL database).
std::unique_ptr<Database> second_instance(testing::TempDb& t) { return open_database(t.url(), 4); }

TEST(ClusterLease, OneHolderAtATimeAndTakeOverAfterExpiry) {
  testing::TempDb t;
  auto other = second_instance(t);
  const std::int64_t now = 1'000'000;
  auto take = [](Database& db, const char* who, std::int64_t at) {
    return db.write([&](Connection& c) { return lease::acquire(c, "work", who, at, 5'000); });
  };
  EXPECT_TRUE(take(t.db(), "a", now));
  EXPECT_FALSE(take(*other, "b", now + 1));          // held by a
  EXPECT_TRUE(take(t.db(), "a", now + 2'000));       // a renews: until now + 7 s
  EXPECT_FALSE(take(*other, "b", now + 6'000));      // not expired yet
  EXPECT_TRUE(take(*other, "b", now + 7'001));       // a stopped renewing: b takes it over
  EXPECT_FALSE(take(t.db(), "a", now + 7'002));      // and a cannot take it back while b renews
  EXPECT_EQ(t.db().read([&](Connection& c) { return lease::holder(c, "work", now + 7'003); }), "b");
  t.db().write([&](Connection& c) { lease::release(c, "work", "a"); });   // not a's: nothing happens
  EXPECT_EQ(t.db().read([&](Connection& c) { return lease::holder(c, "work", now + 7'004); }), "b");
  other->write([&](Connection& c) { lease::release(c, "work", "b"); });
  EXPECT_TRUE(take(t.db(), "a", now + 7'005));       // released: free at once
}

TEST(ClusterLease, RacingInstancesNeverBothHoldIt) {
  testing::TempDb t;
  auto other = second_instance(t);
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      Database& db = i % 2 ? *other : t.db();
      const std::string me = "instance-" + std::to_string(i);
      if (db.write([&](Connection& c) { return lease::acquire(c, "race", me, wall_ms(), 60'000); })) ++winners;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(winners.load(), 1);
}

TEST(ClusterLease, KeeperHoldsWhileRenewingAndTheOtherTakesOverWhenItStops) {
  testing::TempDb t;
  auto other = second_instance(t);
  using namespace std::chrono_literals;
  LeaseKeeper a(t.db(), {"signer"}, "a", 3s, 100ms);
  LeaseKeeper b(*other, {"signer"}, "b", 3s, 100ms);
  a.start();
  b.start();
  EXPECT_TRUE(a.holds("signer"));
  EXPECT_FALSE(b.holds("signer"));
  EXPECT_FALSE(a.holds("other work"));
  std::this_thread::sleep_for(1s);   // a keeps renewing, b keeps trying
  EXPECT_TRUE(a.holds("signer"));
  EXPECT_FALSE(b.holds("signer"));
  a.stop();   // releases
  for (int i = 0; i < 50 && !b.holds("signer"); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(b.holds("signer"));
  EXPECT_FALSE(a.holds("signer"));
}

TEST(ClusterLease, AKeeperThatCannotRenewStopsBeforeItsLeaseExpires) {
  testing::TempDb t;
  using namespace std::chrono_literals;
  LeaseKeeper a(t.db(), {"signer"}, "a", 400ms, 100ms);
  a.renew();
  EXPECT_TRUE(a.holds("signer"));
  // Another instance took the row (e.g. after a's clock stalled): a's next renewal fails
  // and a stops at once.
  t.db().write([](Connection& c) { c.execute("UPDATE cluster_leases SET holder = 'b', expires_at = ?", {wall_ms() + 60'000}); });
  a.renew();
  EXPECT_FALSE(a.holds("signer"));
  // Without any renewal, holds() ends one period before the lease's expiry.
  LeaseKeeper c(t.db(), {"solo"}, "c", 400ms, 100ms);
  c.renew();
  EXPECT_TRUE(c.holds("solo"));
  std::this_thread::sleep_for(350ms);
  EXPECT_FALSE(c.holds("solo"));
}

TEST(OutboxClaim, EachMailIsClaimedByOneInstanceUntilItsClaimExpires) {
  testing::TempDb t;
  auto other = second_instance(t);
  t.db().write([](Connection& c) { mail::Outbox::enqueue(c, a_mail(), 1000); });
  const auto id = t.db().read([](Connection& c) { return mail::Outbox::due(c, 1000, 10, 0)[0].id; });
  const std::int64_t wall = 5'000'000;
  auto claim = [&](Database& db, const char* who, std::int64_t at) {
    return db.write([&](Connection& c) { return mail::Outbox::claim(c, id, who, at, at + 120'000); });
  };
  EXPECT_TRUE(claim(t.db(), "a", wall));
  EXPECT_FALSE(claim(*other, "b", wall + 1));
  // Claimed: not due for anyone until the claim expires.
  EXPECT_TRUE(other->read([&](Connection& c) { return mail::Outbox::due(c, 1000, 10, wall + 2); }).empty());
  // a died mid-send: after the claim, b sends it (at least once).
  EXPECT_EQ(other->read([&](Connection& c) { return mail::Outbox::due(c, 1000, 10, wall + 120'001); }).size(), 1u);
  EXPECT_TRUE(claim(*other, "b", wall + 120'001));
  other->write([&](Connection& c) { mail::Outbox::mark_sent(c, id, 2000); });
  // Sent: nobody claims it again, ever.
  EXPECT_FALSE(claim(t.db(), "a", wall + 10'000'000));
  EXPECT_TRUE(t.db().read([&](Connection& c) { return mail::Outbox::due(c, 1'000'000, 10, wall + 10'000'000); }).empty());
}

TEST(OutboxClaim, ConcurrentClaimsOfManyMailsGiveEachToExactlyOneInstance) {
  testing::TempDb t;
  auto other = second_instance(t);
  t.db().write([](Connection& c) {
    for (int i = 0; i < 50; ++i) mail::Outbox::enqueue(c, a_mail(), 1000);
  });
  std::atomic<int> claimed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      Database& db = i % 2 ? *other : t.db();
      const std::string me = "w" + std::to_string(i);
      const auto due = db.read([&](Connection& c) { return mail::Outbox::due(c, 1000, 100, wall_ms()); });
      for (const auto& m : due)
        if (db.write([&](Connection& c) { return mail::Outbox::claim(c, m.id, me, wall_ms(), wall_ms() + 60'000); }))
          ++claimed;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(claimed.load(), 50);
}

TEST(SharedThrottle, GuessesSpreadOverTwoInstancesCountOnce) {
  testing::TempDb t;
  auto other = second_instance(t);
  auth::Throttle a(5, std::chrono::seconds(30), std::chrono::minutes(15));
  auth::Throttle b(5, std::chrono::seconds(30), std::chrono::minutes(15));
  a.share(t.db(), "test");
  b.share(*other, "test");
  for (int i = 0; i < 5; ++i) {
    auto& th = i % 2 ? b : a;
    ASSERT_EQ(th.begin("k"), 0) << i;
    th.failure("k");
  }
  EXPECT_GE(a.begin("k"), 29);   // locked on both
  EXPECT_GE(b.begin("k"), 29);
  EXPECT_EQ(a.begin("other key"), 0);
  // In flight on one counts on the other.
  auth::Throttle c(2, std::chrono::seconds(30), std::chrono::minutes(15));
  auth::Throttle d(2, std::chrono::seconds(30), std::chrono::minutes(15));
  c.share(t.db(), "test2");
  d.share(*other, "test2");
  EXPECT_EQ(c.begin("k"), 0);
  EXPECT_EQ(d.begin("k"), 0);
  EXPECT_GT(c.begin("k"), 0);
  d.end("k");
  EXPECT_EQ(c.begin("k"), 0);
  c.success("k");
}

class Recorder final : public EventSink {
 public:
  // Delivers to one subscriber of state KAZ, as a hub with that one stream would.
  void publish(const Event& e) override {
    const Subscriber kaz{1, "poc.kaz", "poc", "KAZ", "", ""};
    if ((!e.audience || e.audience(kaz)) && e.on_sent) e.on_sent(kaz);
    std::lock_guard lock(mu);
    events.push_back(e);
  }
  std::mutex mu;
  std::vector<Event> events;
};

TEST(ClusterEvents, AnEventPublishedOnOneInstanceReachesTheOtherWithItsAudienceAsData) {
  testing::TempDb t;
  auto other = second_instance(t);
  EventKinds::add_audience("test.state", [](const nlohmann::json& args) {
    const auto state = args.at("state").get<std::string>();
    return [state](const Subscriber& s) { return s.state == state; };
  });
  std::vector<std::string> reached_names;
  EventKinds::add_delivery("test.record", [&](const nlohmann::json& args, const std::vector<Subscriber>& reached) {
    EXPECT_EQ(args.at("id"), 7);
    for (const auto& s : reached) reached_names.push_back(s.username);
  });
  Recorder local_a, local_b;
  ClusterEvents a(t.db(), local_a, "a");
  ClusterEvents b(*other, local_b, "b");
  // The tests drive the steps themselves; each loop's first pass runs at start, on its
  // own thread, possibly while the test's own steps run (they take turns: flush() and
  // tail_once() are one at a time), so the test counts what arrived, not who fetched it.
  a.start(std::chrono::hours(1));
  b.start(std::chrono::hours(1));
  const auto gen = other->generation();
  Event e;
  e.type = "test.happened";
  e.data = {{"id", 7}};
  e.audience_kind = "test.state";
  e.audience_args = {{"state", "KAZ"}};
  e.audience = [](const Subscriber& s) { return s.state == "KAZ"; };
  e.delivery_kind = "test.record";
  e.delivery_args = {{"id", 7}};
  a.publish(e);
  Event local_only;
  local_only.type = "test.local";
  local_only.audience = [](const Subscriber&) { return true; };   // a closure alone does not travel
  a.publish(local_only);
  ASSERT_EQ(local_a.events.size(), 2u);   // delivered here at once
  a.flush();
  EXPECT_EQ(a.tail_once(), 0);   // its own rows are skipped
  b.tail_once();   // (or the loop's first pass took it: delivered once either way)
  ASSERT_EQ(local_b.events.size(), 1u);
  const auto& got = local_b.events[0];
  EXPECT_EQ(got.type, "test.happened");
  EXPECT_EQ(got.data["id"], 7);
  ASSERT_TRUE(static_cast<bool>(got.audience));
  EXPECT_TRUE(got.audience(Subscriber{1, "poc.kaz", "poc", "KAZ", "", ""}));
  EXPECT_FALSE(got.audience(Subscriber{2, "poc.tha", "poc", "THA", "", ""}));
  // The delivery handler hears whom this instance reached (the recorder "reaches" one).
  ASSERT_EQ(reached_names, std::vector<std::string>{"poc.kaz"});   // recorded by b, which delivered
  EXPECT_GT(other->generation(), gen);   // caches on b learn of a's write
  EXPECT_EQ(b.tail_once(), 0);           // read once
  // Both see each other.
  a.heartbeat();
  b.heartbeat();
  EXPECT_EQ(a.peers(), 1);
  EXPECT_EQ(b.peers(), 1);
  a.stop();
  b.stop();
  EventKinds::clear();
}

TEST(ClusterEvents, TheWireFormRoundTrips) {
  Event e;
  e.type = "x.y";
  e.data = {{"a", {1, 2}}};
  e.audience_kind = "k";
  e.audience_args = {{"s", "KAZ"}};
  const auto back = ClusterEvents::decode(ClusterEvents::encode(e));
  EXPECT_EQ(back.type, "x.y");
  EXPECT_EQ(back.data, e.data);
  EXPECT_EQ(back.audience_kind, "k");
  EXPECT_EQ(back.audience_args, e.audience_args);
  EXPECT_TRUE(back.delivery_kind.empty());
}

}  // namespace
}  // namespace parley::storage
