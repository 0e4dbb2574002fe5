// Runs a program as a child process: its standard input given, its standard output
// collected, its standard error discarded, with resource limits (address space, CPU
// time, a lower scheduling priority) set before it reads its input and a wall-clock
// deadline after which it is killed, with any process it started (its own process
// group). It inherits no descriptor but the three standard ones (not the server's
// sockets) and an environment of a few variables only. For work that must not be able
// to take the server down with it (the library's text extraction:
// library/extract_process.h).
//
// Thread-safe: each call is independent. SIGPIPE, should the child exit before taking
// all its input, is blocked on the calling thread for the call and consumed.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

struct ChildLimits {
  std::size_t max_memory = std::size_t{2} << 30;   // RLIMIT_AS, bytes (0: none)
  int max_cpu_seconds = 120;                        // RLIMIT_CPU (0: none)
  std::chrono::milliseconds deadline{120'000};      // wall clock, from the call
  std::size_t max_output = std::size_t{64} << 20;   // bytes kept of its output; more: killed
  int nice = 10;                                    // added to its scheduling priority
};

struct ChildResult {
  bool started = false;        // false: the program could not be started (`error` says why)
  int exit_code = -1;          // when it exited
  int signal = 0;              // when a signal ended it (SIGKILL after the deadline)
  bool timed_out = false;      // killed at the deadline
  bool output_overflow = false;   // killed for writing more than max_output
  std::string out;             // its standard output
  std::string error;
  bool ok() const { return started && exit_code == 0 && signal == 0; }
  std::string describe() const;   // "exited with 3", "killed by signal 11", "ran out of time"...
};

// argv[0] is the program's path (no PATH search).
ChildResult run_child(const std::vector<std::string>& argv, std::string_view input, const ChildLimits& limits);

// The running executable, for running a subcommand of it: /proc/self/exe, which names it
// even after an upgrade replaced its file on disk.
std::string self_executable();

}  // namespace parley
