#include "http/stream_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace parley::http {
namespace {

class RecordingClient final : public StreamClient {
 public:
  explicit RecordingClient(Subscriber s) : who_(std::move(s)) {}
  const Subscriber& subscriber() const override { return who_; }
  bool send(std::shared_ptr<const std::string> frame) override {
    std::lock_guard lock(mu);
    frames.push_back(*frame);
    tid = gettid();
    nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    return !closed;
  }
  void close() override { closed = true; }

  std::atomic<bool> closed{false};
  std::mutex mu;
  std::vector<std::string> frames;
  pid_t tid = 0;
  int nice = 0;

 private:
  Subscriber who_;
};

Subscriber subscriber(std::int64_t id, std::string state) {
  Subscriber s;
  s.user_id = id;
  s.username = std::to_string(id);
  s.username.insert(0, 1, 'u');
  s.role = "poc";
  s.state = std::move(state);
  return s;
}

// The fan-out happens on the hub's thread, at the priority of the thread that created
// the hub, and publish() returns only when every subscriber in the audience has the
// frame and on_sent has been called for it.
TEST(StreamHub, FansOutOnItsOwnThreadAndReturnsWhenDone) {
  errno = 0;
  const int creator = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  ASSERT_EQ(errno, 0);
  StreamHub hub;
  std::vector<std::shared_ptr<RecordingClient>> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(std::make_shared<RecordingClient>(subscriber(i, i % 2 ? "KAZ" : "UZB")));
    hub.add(clients.back());
  }
  std::atomic<int> sent{0};
  pid_t publisher = 0;
  std::thread handler([&] {
    publisher = gettid();
    ASSERT_EQ(setpriority(PRIO_PROCESS, static_cast<id_t>(publisher), creator + 4), 0);
    Event e;
    e.type = "test.event";
    e.data = {{"id", 7}};
    e.audience = [](const Subscriber& s) { return s.state == "KAZ"; };
    e.on_sent = [&](const Subscriber&) { ++sent; };
    hub.publish(e);
    EXPECT_EQ(sent.load(), 50);   // all of them, before publish() returned
  });
  handler.join();
  for (int i = 0; i < 100; ++i) {
    auto& c = *clients[static_cast<std::size_t>(i)];
    std::lock_guard lock(c.mu);
    if (i % 2 == 0) {
      EXPECT_TRUE(c.frames.empty()) << "client " << i << " is outside the audience";
      continue;
    }
    ASSERT_EQ(c.frames.size(), 1u);
    EXPECT_NE(c.frames[0].find(R"("type":"test.event")"), std::string::npos);
    EXPECT_NE(c.tid, publisher);
    EXPECT_EQ(c.nice, creator);
  }
}

TEST(StreamHub, PublishersOnManyThreadsAreAllServed) {
  StreamHub hub;
  auto client = std::make_shared<RecordingClient>(subscriber(1, "KAZ"));
  hub.add(client);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&hub] {
      for (int i = 0; i < 50; ++i) {
        Event e;
        e.type = "test.many";
        hub.publish(e);
      }
    });
  for (auto& t : threads) t.join();
  std::lock_guard lock(client->mu);
  EXPECT_EQ(client->frames.size(), 400u);
}

TEST(StreamHub, RevalidateClosesTheStreamsWhoseCredentialEndedAndOnlyThose) {
  StreamHub hub;
  const auto with = [](Subscriber s, std::string credential) {
    s.credential = std::move(credential);
    return std::make_shared<RecordingClient>(std::move(s));
  };
  auto signed_out = with(subscriber(1, "KAZ"), "s:gone");
  auto other_tab = with(subscriber(1, "KAZ"), "s:live");
  auto someone = with(subscriber(2, "UZB"), "s:gone");   // not checked: another user
  for (const auto& c : {signed_out, other_tab, someone}) hub.add(c);
  hub.revalidate([](const Subscriber& s) { return s.credential != "s:gone"; }, std::int64_t{1});
  EXPECT_TRUE(signed_out->closed);
  EXPECT_FALSE(other_tab->closed);
  EXPECT_FALSE(someone->closed);
  // A closed stream gets nothing more, and no delivery is recorded to it.
  std::vector<std::int64_t> reached;
  Event e;
  e.type = "x";
  e.on_sent = [&](const Subscriber& s) { reached.push_back(s.user_id); };
  hub.publish(e);
  EXPECT_TRUE(signed_out->frames.empty());
  EXPECT_EQ(reached, (std::vector<std::int64_t>{1, 2}));   // other_tab and someone
}

TEST(StreamHub, OneUserHoldsAtMostSixteenStreams) {
  StreamHub hub;
  std::vector<std::shared_ptr<RecordingClient>> tabs;
  for (std::size_t i = 0; i <= StreamHub::kMaxStreamsPerUser; ++i) {
    tabs.push_back(std::make_shared<RecordingClient>(subscriber(7, "KAZ")));
    hub.add(tabs.back());
  }
  EXPECT_TRUE(tabs.front()->closed);   // the oldest made room
  EXPECT_FALSE(tabs.back()->closed);
  EXPECT_EQ(hub.size(), StreamHub::kMaxStreamsPerUser);
}

}  // namespace
}  // namespace parley::http
