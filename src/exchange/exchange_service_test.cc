#include "exchange/exchange_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "app/demo_data.h"
#include "auth/auth_service.h"
#include "storage/journal.h"
#include "testing/problems.h"
#include "testing/temp_db.h"

namespace parley::exchange {
namespace {

using auth::Principal;
using nlohmann::json;

class RecordingSink final : public EventSink {
 public:
  void publish(const Event& e) override { events.push_back(e); }
  std::vector<Event> events;
};

std::string uuid_n(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

json indicator(int n, Tlp tlp, const std::string& modified = "2024-05-01T10:00:00.000Z") {
  return {{"type", "indicator"},
          {"spec_version", "2.1"},
          {"id", "indicator--" + uuid_n(n)},
          {"created", "2024-05-01T10:00:00.000Z"},
          {"modified", modified},
          {"name", "ind " + std::to_string(n)},
          {"pattern", "[ipv4-addr:value = '198.51.100." + std::to_string(n % 250) + "']"},
          {"pattern_type", "stix"},
          {"valid_from", "2024-05-01T10:00:00Z"},
          {"object_marking_refs", {std::string(marking_of(tlp).marking_id)}}};
}

std::string bundle(const std::vector<json>& objects) {
  return json{{"type", "bundle"}, {"id", "bundle--" + uuid_n(999)}, {"objects", objects}}.dump();
}

class ExchangeTest : public ::testing::Test {
 protected:
  testing::TempDb t;
  RecordingSink sink;
  auth::AuthService auth{t.db(), auth::AuthConfig{}};
  ExchangeService ex{t.db(), sink};

  void SetUp() override { ASSERT_TRUE(app::load_demo_data(t.db(), auth)); }

  Principal user(const std::string& username) {
    return t.db().read([&](storage::Connection& c) {
      auto r = c.query("SELECT id, username, role, state, forum FROM users WHERE username = ?", {username});
      Principal who;
      who.user_id = r.at(0).integer("id");
      who.username = username;
      who.role = *auth::parse_role(r.at(0).text("role"));
      who.state = r.at(0).text("state");
      who.forum = r.at(0).text("forum");
      return who;
    });
  }

  IngestOutcome post(const Principal& who, const CollectionView& v, const std::vector<json>& objects) {
    const auto text = bundle(objects);
    auto reader = BundleReader::of(text);
    return ex.ingest(who, v, reader, false);
  }

  std::vector<std::string> visible_ids(const Principal& who, const CollectionView& v) {
    std::vector<std::string> ids;
    ObjectFilter f;
    f.versions = {"all"};
    for (const auto& o : ex.objects(who, v, f).objects) ids.push_back(o.stix_id);
    return ids;
  }
};

TEST_F(ExchangeTest, StoresTheValidObjectsOfABundleAndNamesTheInvalidOnes) {
  const auto kaz = user("poc.kaz");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  auto bad = indicator(2, Tlp::kGreen);
  bad.erase("pattern");
  auto unmarked = indicator(3, Tlp::kGreen);
  unmarked.erase("object_marking_refs");
  auto out = post(kaz, v, {indicator(1, Tlp::kGreen), bad, unmarked});
  EXPECT_EQ(out.total, 3u);
  EXPECT_EQ(out.stored, 1u);
  EXPECT_EQ(out.rejected, 2u);
  ASSERT_EQ(out.failures.size(), 2u);
  EXPECT_EQ(out.failures[0].id, "indicator--" + uuid_n(2));
  EXPECT_EQ(out.failures[0].property, "pattern");
  EXPECT_EQ(out.failures[1].property, "object_marking_refs");
  EXPECT_EQ(visible_ids(kaz, v), std::vector<std::string>{"indicator--" + uuid_n(1)});
  // One journal entry for the stored batch, and one announcement.
  auto n = t.db().read([](storage::Connection& c) {
    return c.query("SELECT count(*) AS n FROM journal WHERE action = 'exchange.objects.add'").at(0).integer("n");
  });
  EXPECT_EQ(n, 1);
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST_F(ExchangeTest, ResendingIsIdempotentAndNewerVersionsAreKept) {
  const auto kaz = user("focal.kaz");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  post(kaz, v, {indicator(1, Tlp::kGreen)});
  auto again = post(kaz, v, {indicator(1, Tlp::kGreen), indicator(1, Tlp::kGreen, "2024-06-01T00:00:00.000Z")});
  EXPECT_EQ(again.stored, 1u);
  EXPECT_EQ(again.duplicates, 1u);
  ObjectFilter last;
  auto page = ex.objects(kaz, v, last);
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].version, "2024-06-01T00:00:00.000Z");
  ObjectFilter first;
  first.versions = {"first"};
  EXPECT_EQ(ex.objects(kaz, v, first).objects.at(0).version, "2024-05-01T10:00:00.000Z");
  ObjectFilter all;
  EXPECT_EQ(ex.versions(kaz, v, "indicator--" + uuid_n(1), all).objects.size(), 2u);
}

TEST_F(ExchangeTest, PaginationWalksEveryObjectOnce) {
  const auto kaz = user("poc.kaz");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  std::vector<json> objects;
  for (int i = 0; i < 250; ++i) objects.push_back(indicator(i, Tlp::kGreen));
  post(kaz, v, objects);
  ObjectFilter f;
  f.limit = 100;
  std::set<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = ex.objects(kaz, v, f);
    ++pages;
    for (const auto& o : page.objects) EXPECT_TRUE(seen.insert(o.stix_id).second);
    if (!page.more) break;
    f.after = page.next;
  }
  EXPECT_EQ(seen.size(), 250u);
  EXPECT_EQ(pages, 3);
}

// A page resumes after its cursor within the instant the cursor's object was added,
// then goes on to the later instants (exchange_store.cc asks the two as index ranges).
TEST_F(ExchangeTest, PagesCrossFromOneInstantOfAddingToTheNext) {
  const auto kaz = user("poc.kaz");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  std::vector<json> first, second;
  for (int i = 0; i < 5; ++i) first.push_back(indicator(i, Tlp::kGreen));
  for (int i = 5; i < 10; ++i) second.push_back(indicator(i, Tlp::kGreen));
  post(kaz, v, first);
  post(kaz, v, second);
  ObjectFilter f;
  f.limit = 3;
  std::vector<std::string> walked;
  std::vector<std::int64_t> added;
  int pages = 0;
  for (;;) {
    auto page = ex.objects(kaz, v, f);
    ++pages;
    for (const auto& o : page.objects) {
      walked.push_back(o.stix_id);
      added.push_back(o.added_us);
    }
    if (!page.more) break;
    f.after = page.next;
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.push_back("indicator--" + uuid_n(i));
  EXPECT_EQ(walked, expected);   // each once, in the order added
  EXPECT_EQ(pages, 4);
  EXPECT_TRUE(std::is_sorted(added.begin(), added.end()));
  EXPECT_LT(added.front(), added.back());   // two instants: the walk crossed from one to the next
}

// only_version (exchange/schema.cc) spares the latest-version check for objects with one
// version: it must be 0 whenever another version is stored, or "last" would list both.
TEST_F(ExchangeTest, AnObjectIsMarkedOnlyVersionExactlyWhileItHasOne) {
  const auto kaz = user("focal.kaz");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  const auto marks = [&](int n) {
    return t.db().read([&](storage::Connection& c) {
      std::vector<std::int64_t> out;
      for (const auto& r : c.query("SELECT only_version FROM stix_objects WHERE stix_id = ? ORDER BY version_key",
                                   {"indicator--" + uuid_n(n)}))
        out.push_back(r.integer("only_version"));
      return out;
    });
  };
  const auto last_versions = [&](int n) {
    ObjectFilter f;
    f.ids = {"indicator--" + uuid_n(n)};
    std::vector<std::string> out;
    for (const auto& o : ex.objects(kaz, v, f).objects) out.push_back(o.version);
    return out;
  };
  post(kaz, v, {indicator(1, Tlp::kGreen)});
  EXPECT_EQ(marks(1), (std::vector<std::int64_t>{1}));
  // A newer version in a later bundle: both are marked.
  post(kaz, v, {indicator(1, Tlp::kGreen, "2024-06-01T00:00:00.000Z")});
  EXPECT_EQ(marks(1), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(last_versions(1), std::vector<std::string>{"2024-06-01T00:00:00.000Z"});
  // An older version arriving after a newer one: marked too, and not the last.
  post(kaz, v, {indicator(1, Tlp::kGreen, "2024-05-15T00:00:00.000Z")});
  EXPECT_EQ(marks(1), (std::vector<std::int64_t>{0, 0, 0}));
  EXPECT_EQ(last_versions(1), std::vector<std::string>{"2024-06-01T00:00:00.000Z"});
  // Two versions of a new object in one bundle, and a third object with one version.
  post(kaz, v, {indicator(2, Tlp::kGreen), indicator(2, Tlp::kGreen, "2024-07-01T00:00:00.000Z"),
                indicator(3, Tlp::kGreen)});
  EXPECT_EQ(marks(2), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(marks(3), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(last_versions(2), std::vector<std::string>{"2024-07-01T00:00:00.000Z"});
  // Two versions of an object in one bundle, 64 objects apart (the store checks bundles
  // in chunks of 64: the second finds the first stored).
  std::vector<json> long_bundle{indicator(100, Tlp::kGreen)};
  for (int i = 101; i < 169; ++i) long_bundle.push_back(indicator(i, Tlp::kGreen));
  long_bundle.push_back(indicator(100, Tlp::kGreen, "2024-09-01T00:00:00.000Z"));
  post(kaz, v, long_bundle);
  EXPECT_EQ(marks(100), (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(marks(101), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(last_versions(100), std::vector<std::string>{"2024-09-01T00:00:00.000Z"});
  // Deleting versions until one is left makes it the only one again.
  ObjectFilter newest;
  newest.versions = {"2024-07-01T00:00:00.000Z"};
  EXPECT_EQ(ex.remove(kaz, v, "indicator--" + uuid_n(2), newest), 1u);
  EXPECT_EQ(marks(2), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(last_versions(2), std::vector<std::string>{"2024-05-01T10:00:00.000Z"});
  ObjectFilter two;
  two.versions = {"2024-06-01T00:00:00.000Z", "2024-05-15T00:00:00.000Z"};
  EXPECT_EQ(ex.remove(kaz, v, "indicator--" + uuid_n(1), two), 2u);
  EXPECT_EQ(marks(1), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(last_versions(1), std::vector<std::string>{"2024-05-01T10:00:00.000Z"});
  // The last version is the last its reader may see: the secretariat does not see an
  // AMBER+STRICT newer version, so the GREEN one is the last for it.
  post(kaz, v, {indicator(4, Tlp::kGreen), indicator(4, Tlp::kAmberStrict, "2024-08-01T00:00:00.000Z")});
  const auto sec = user("secretariat.cica");
  auto vs = ex.collection(sec, "CICA", v.collection.id);
  ObjectFilter f;
  f.ids = {"indicator--" + uuid_n(4)};
  const auto seen = ex.objects(sec, vs, f).objects;
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].version, "2024-05-01T10:00:00.000Z");
  EXPECT_EQ(last_versions(4), std::vector<std::string>{"2024-08-01T00:00:00.000Z"});
}

// A TAXII envelope reads only each object's text, date added and row id.
TEST_F(ExchangeTest, AnEnvelopeOnlyPageHasTheTextsOfTheSameObjects) {
  const auto kaz = user("poc.kaz"), sec = user("secretariat.cica");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  post(kaz, v, {indicator(1, Tlp::kGreen), indicator(2, Tlp::kGreen), indicator(3, Tlp::kAmberStrict)});
  auto vs = ex.collection(sec, "CICA", v.collection.id);
  ObjectFilter full, slim;
  slim.envelope_only = true;
  const auto a = ex.objects(sec, vs, full), b = ex.objects(sec, vs, slim);
  ASSERT_EQ(a.objects.size(), 2u);   // not the AMBER+STRICT one
  ASSERT_EQ(b.objects.size(), a.objects.size());
  for (std::size_t i = 0; i < a.objects.size(); ++i) {
    EXPECT_EQ(b.objects[i].pk, a.objects[i].pk);
    EXPECT_EQ(b.objects[i].added_us, a.objects[i].added_us);
    EXPECT_EQ(b.objects[i].body, a.objects[i].body);
    EXPECT_TRUE(b.objects[i].stix_id.empty());
  }
}

// The read-path matrix at the service: each TLP label x each kind of caller.
TEST_F(ExchangeTest, TlpAndScopeDecideWhoSeesWhat) {
  const auto kaz = user("poc.kaz"), uzb = user("poc.uzb"), focal_uzb = user("focal.uzb"), tha = user("poc.tha"),
             jpn = user("poc.jpn"), sec = user("secretariat.cica"), arf = user("secretariat.arf"), admin = user("admin");
  // KAZ-UZB bilateral scope, naming poc.uzb for TLP:RED.
  CollectionInput in;
  in.title = "KAZ-UZB";
  in.kind = "bilateral";
  in.states = {"KAZ", "UZB"};
  in.people = {"poc.uzb"};
  auto bilateral = ex.create_collection(user("focal.kaz"), "CICA", in);
  auto bi = ex.collection(kaz, "CICA", bilateral.collection.id);
  post(kaz, bi, {indicator(10, Tlp::kClear), indicator(11, Tlp::kGreen), indicator(12, Tlp::kAmber),
                 indicator(13, Tlp::kAmberStrict), indicator(14, Tlp::kRed)});
  const auto sees = [&](const Principal& who) {
    std::string s;
    try {
      auto v = ex.collection(who, "CICA", bilateral.collection.id);
      for (const auto& id : visible_ids(who, v)) s += id.substr(id.size() - 1);
    } catch (const Problem& p) {
      s = std::to_string(p.status());
    }
    return s;
  };
  // Object n ends in digit n-10: 0 CLEAR, 1 GREEN, 2 AMBER, 3 AMBER+STRICT, 4 RED.
  EXPECT_EQ(sees(kaz), "01234");          // the producer sees all it stored
  EXPECT_EQ(sees(uzb), "01234");          // in scope and named for RED
  EXPECT_EQ(sees(focal_uzb), "0123");     // in scope, not named
  EXPECT_EQ(sees(sec), "012");            // secretariat: not AMBER+STRICT, not RED
  EXPECT_EQ(sees(tha), "404");            // a CICA state out of scope
  EXPECT_EQ(sees(jpn), "404");            // not a CICA state
  EXPECT_EQ(sees(arf), "404");            // another forum's secretariat
  EXPECT_EQ(sees(admin), "404");          // the platform admin has no reading right
  // Search follows the same rule.
  ObjectFilter f;
  f.text = "ind 1";
  EXPECT_EQ(ex.search(focal_uzb, "CICA", f).size(), 4u);
  EXPECT_EQ(ex.search(tha, "CICA", f).size(), 0u);
  // The stream: only those who may read the collection hear of the addition.
  ASSERT_FALSE(sink.events.empty());
  const auto& e = sink.events.back();
  const auto sub = [](const Principal& p) {
    return Subscriber{p.user_id, p.username, std::string(auth::role_name(p.role)), p.state, p.forum, ""};
  };
  EXPECT_TRUE(e.audience(sub(uzb)));
  EXPECT_TRUE(e.audience(sub(sec)));
  EXPECT_FALSE(e.audience(sub(tha)));
  EXPECT_FALSE(e.audience(sub(jpn)));
  EXPECT_FALSE(e.audience(sub(admin)));
}

TEST_F(ExchangeTest, RedNeedsNamedRecipientsAndWritesNeedScope) {
  const auto kaz = user("poc.kaz");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  auto out = post(kaz, v, {indicator(1, Tlp::kRed)});
  EXPECT_EQ(out.stored, 0u);
  ASSERT_EQ(out.failures.size(), 1u);
  EXPECT_NE(out.failures[0].rule.find("named"), std::string::npos);
  // An observer reads but does not write.
  EXPECT_THROW(ex.collection(user("poc.jpn"), "CICA", v.collection.id), Problem);
}

TEST_F(ExchangeTest, DeleteIsForTheProducerItsFocalPointAndTheSecretariat) {
  const auto kaz = user("poc.kaz"), uzb = user("poc.uzb");
  auto v = ex.collection(kaz, "CICA", ex.forum_collection("CICA").id);
  post(kaz, v, {indicator(1, Tlp::kGreen), indicator(2, Tlp::kGreen)});
  auto vu = ex.collection(uzb, "CICA", v.collection.id);
  ObjectFilter all;
  all.versions = {"all"};
  EXPECT_EQ(testing::status_of([&] { ex.remove(uzb, vu, "indicator--" + uuid_n(1), all); }), 403);
  EXPECT_EQ(ex.remove(kaz, v, "indicator--" + uuid_n(1), all), 1u);
  auto vs = ex.collection(user("secretariat.cica"), "CICA", v.collection.id);
  EXPECT_EQ(ex.remove(user("secretariat.cica"), vs, "indicator--" + uuid_n(2), all), 1u);
  EXPECT_EQ(testing::status_of([&] { ex.remove(kaz, v, "indicator--" + uuid_n(2), all); }), 404);
}

}  // namespace
}  // namespace parley::exchange
