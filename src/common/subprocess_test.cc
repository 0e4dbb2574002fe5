#include "common/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace parley {
namespace {

TEST(Subprocess, InputGoesInAndOutputComesBack) {
  const auto r = run_child({"/bin/cat"}, "hello, child", {});
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, "hello, child");
}

TEST(Subprocess, MegabytesBothWaysWithoutDeadlock) {
  // More than a pipe holds in each direction: the parent must write and read together.
  std::string big;
  for (int i = 0; i < 200'000; ++i) big += "line " + std::to_string(i) + "\n";
  const auto r = run_child({"/bin/cat"}, big, {});
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, big);
}

TEST(Subprocess, ExitCodesAndSignalsAreReported) {
  const auto exited = run_child({"/bin/sh", "-c", "exit 3"}, "", {});
  EXPECT_TRUE(exited.started);
  EXPECT_EQ(exited.exit_code, 3);
  EXPECT_FALSE(exited.ok());
  EXPECT_EQ(exited.describe(), "exited with 3");

  const auto crashed = run_child({"/bin/sh", "-c", "kill -SEGV $$"}, "", {});
  EXPECT_EQ(crashed.signal, SIGSEGV);
  EXPECT_FALSE(crashed.ok());
  EXPECT_NE(crashed.describe().find("signal 11"), std::string::npos) << crashed.describe();
}

TEST(Subprocess, AChildPastItsDeadlineIsKilled) {
  ChildLimits limits;
  limits.deadline = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_child({"/bin/sh", "-c", "exec sleep 30"}, "", limits);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(Subprocess, AChildThatWritesTooMuchIsKilled) {
  ChildLimits limits;
  limits.max_output = 1 << 20;
  const auto r = run_child({"/usr/bin/yes"}, "", limits);
  EXPECT_TRUE(r.output_overflow);
  EXPECT_FALSE(r.ok());
  EXPECT_GT(r.out.size(), std::size_t{1} << 20);
  EXPECT_LT(r.out.size(), std::size_t{2} << 20);
}

TEST(Subprocess, TheMemoryLimitHoldsInTheChild) {
  ChildLimits limits;
  limits.max_memory = std::size_t{256} << 20;
  // Half a gibibyte of address space (reserved, never touched), more than the limit:
  // the child fails; with room it succeeds.
  const std::vector<std::string> grow = {"/usr/bin/python3", "-c",
                                         "import mmap; m = mmap.mmap(-1, 512 << 20); print(len(m))"};
  const auto refused = run_child(grow, "", limits);
  EXPECT_FALSE(refused.ok());
  limits.max_memory = std::size_t{2} << 30;
  const auto allowed = run_child(grow, "", limits);
  EXPECT_TRUE(allowed.ok()) << allowed.describe();
  EXPECT_EQ(allowed.out, std::to_string(512 << 20) + "\n");
}

TEST(Subprocess, AChildThatIgnoresItsInputDoesNotKillTheParent) {
  // Writing to a pipe nobody reads raises SIGPIPE, which would end this process.
  const std::string big(8 << 20, 'x');
  const auto r = run_child({"/bin/true"}, big, {});
  EXPECT_TRUE(r.ok()) << r.describe();
}

TEST(Subprocess, TheChildInheritsNoDescriptorAndNoSecret) {
  // A descriptor of the parent without close-on-exec (as Asio's sockets are).
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 3);
  ::setenv("PARLEY_TEST_SECRET", "do not leak", 1);
  const auto fd_path = "/proc/$$/fd/" + std::to_string(fd);
  const auto r = run_child({"/bin/sh", "-c",
                            "if [ -e " + fd_path + " ]; then echo inherited; else echo closed; fi; "
                            "echo ${PARLEY_TEST_SECRET:-absent}"},
                           "", {});
  ::close(fd);
  ::unsetenv("PARLEY_TEST_SECRET");
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, "closed\nabsent\n");
}

TEST(Subprocess, WhatTheChildStartedEndsWithIt) {
  ChildLimits limits;
  limits.deadline = std::chrono::seconds(20);
  const auto start = std::chrono::steady_clock::now();
  // The child exits at once; its own child keeps the output open.
  const auto r = run_child({"/bin/sh", "-c", "sleep 30 & echo $!"}, "", limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  ASSERT_TRUE(r.ok()) << r.describe();
  const auto grandchild = std::stoi(r.out);
  // Killed with the child's process group: gone, or a zombie waiting for its reaper.
  std::string state = "gone";
  for (int i = 0; i < 100; ++i) {
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) break;
    state = line.substr(line.rfind(')') + 2, 1);
    if (state == "Z") break;
    ::usleep(20'000);
  }
  EXPECT_TRUE(state == "gone" || state == "Z") << state;
}

TEST(Subprocess, AProgramThatDoesNotExistIsNotStarted) {
  const auto r = run_child({"/nonexistent/program"}, "", {});
  EXPECT_FALSE(r.started);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("/nonexistent/program"), std::string::npos);
}

}  // namespace
}  // namespace parley
