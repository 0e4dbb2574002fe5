#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace parley {

namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return true;
}

// SIGPIPE blocked on this thread while the object lives; one raised meanwhile is
// consumed before it is unblocked, so that it is never delivered.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_, old_;
};

}  // namespace

std::string ChildResult::describe() const {
  if (!started) return "could not be started: " + error;
  if (timed_out) return "ran out of time and was stopped";
  if (output_overflow) return "wrote too much and was stopped";
  if (signal == SIGKILL) return "was killed (out of memory?)";
  if (signal) return "was ended by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  return "exited with " + std::to_string(exit_code);
}

std::string self_executable() { return "/proc/self/exe"; }

namespace {

// The child's environment: what a C++ program and the sanitizers read, nothing else (the
// server's may hold secrets: PARLEY_PASSWORD, database URLs).
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (const char* name : {"PATH", "LANG", "LC_ALL", "TZ", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  return env;
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, std::string_view input, const ChildLimits& limits) {
  ChildResult result;
  if (argv.empty()) {
    result.error = "no program";
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + limits.deadline;
  Fd in_read, in_write, out_read, out_write;
  if (!make_pipe(in_read, in_write) || !make_pipe(out_read, out_write)) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // Nothing else: Asio's sockets are not close-on-exec, and a child holding the
  // listener or a client's connection would keep them open (or use them).
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  // The child starts with default signal handling and nothing blocked.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  // A process group of its own, so that a kill reaches whatever it started.
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto env_strings = child_environment();
  std::vector<char*> env;
  for (const auto& e : env_strings) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    result.error = argv[0] + ": " + std::strerror(rc);
    return result;
  }
  result.started = true;
  in_read.reset();
  out_write.reset();
  // The limits are in place before the child has its input, hence before it does any
  // of the work they bound.
  const rlimit memory{limits.max_memory, limits.max_memory};
  const rlimit cpu{static_cast<rlim_t>(limits.max_cpu_seconds), static_cast<rlim_t>(limits.max_cpu_seconds) + 1};
  const rlimit no_core{0, 0};
  const bool limited = (!limits.max_memory || ::prlimit(pid, RLIMIT_AS, &memory, nullptr) == 0) &&
                       (!limits.max_cpu_seconds || ::prlimit(pid, RLIMIT_CPU, &cpu, nullptr) == 0) &&
                       ::prlimit(pid, RLIMIT_CORE, &no_core, nullptr) == 0;
  if (limits.nice) ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid), std::min(19, ::getpriority(PRIO_PROCESS, 0) + limits.nice));
  if (!limited) {
    // A child without its limits does not get its input: it is stopped at once.
    result.error = std::string("prlimit: ") + std::strerror(errno);
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.started = false;
    return result;
  }

  SigpipeBlocked no_sigpipe;
  ::fcntl(in_write.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
  std::size_t written = 0;
  if (input.empty()) in_write.reset();
  // Whether the child has ended, without reaping it (its process group stays killable).
  auto ended = [pid](bool wait) {
    siginfo_t info{};
    for (;;) {
      info.si_pid = 0;
      const int r = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT | (wait ? 0 : WNOHANG));
      if (r == 0) return info.si_pid == pid;
      if (errno != EINTR) return true;   // no such child: nothing left to wait for
    }
  };
  char buffer[64 * 1024];
  auto read_some = [&]() {
    const auto n = ::read(out_read.get(), buffer, sizeof buffer);
    if (n > 0) {
      result.out.append(buffer, static_cast<std::size_t>(n));
      if (result.out.size() > limits.max_output) result.output_overflow = true;
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      out_read.reset();   // the child closed its output: it is ending
    }
    return n > 0;
  };
  while (out_read.get() >= 0 && !result.output_overflow) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd fds[2];
    nfds_t count = 0;
    fds[count++] = {out_read.get(), POLLIN, 0};
    if (in_write.get() >= 0) fds[count++] = {in_write.get(), POLLOUT, 0};
    const int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left.count(), 100)));
    if (ready < 0 && errno != EINTR) break;
    if (ready == 0 && ended(false)) {
      // The child is gone but something it started holds its output open: what the
      // child wrote is read, and the rest is not waited for.
      while (out_read.get() >= 0 && !result.output_overflow && read_some()) {
      }
      break;
    }
    if (ready <= 0) continue;
    if (count > 1 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const auto n = ::write(in_write.get(), input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in_write.reset();
    }
    if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) read_some();
  }
  bool killed = false;
  if (result.timed_out || result.output_overflow) {
    ::kill(-pid, SIGKILL);
    killed = true;
  }
  in_write.reset();
  out_read.reset();
  // A child that closed its output but lingers is given what is left of the deadline.
  while (!ended(killed)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      killed = true;
      continue;
    }
    ::usleep(10'000);
  }
  // Whatever it started and left behind goes with it; then the child is reaped.
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      result.error = std::string("waitpid: ") + std::strerror(errno);
      return result;
    }
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace parley
