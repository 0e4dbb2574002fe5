// `parley witness serve`: a C2SP tlog-witness over HTTP (c2sp.org/tlog-witness).
//   POST /add-checkpoint           add_checkpoint.h decides; 200 answers the cosignature
//   GET  /<sha256 hex of origin>/checkpoint   the last checkpoint cosigned for that log
// It runs on http::Server with every path routed (ServerOptions::route_everything), no
// event stream, and bodies capped at 64 KiB. One mutex covers looking up a log's record,
// deciding, and persisting the new record, which happens before the answer is sent.
// Handlers run on the server's threads; the witness's state is behind the mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "http/message.h"
#include "http/router.h"
#include "tlog/note.h"
#include "witness/add_checkpoint.h"
#include "witness/state_store.h"

namespace parley::witness {

struct WitnessOptions {
  tlog::Signer key;
  LogKeys logs;
  std::string state_dir = "witness-state";
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

class Witness {
 public:
  // Throws std::runtime_error when the state directory cannot be used.
  explicit Witness(WitnessOptions options, std::function<std::uint64_t()> clock = {});
  http::Response add_checkpoint(const std::string& body);
  http::Response checkpoint(const std::string& origin_hash);
  void add_routes(http::Router& router);
  const WitnessOptions& options() const { return options_; }

 private:
  WitnessOptions options_;
  std::function<std::uint64_t()> clock_;
  std::mutex mutex_;
  StateStore store_;
};

// Serves until SIGINT/SIGTERM; prints "witness NAME listening on http://HOST:PORT" once
// it listens. Returns the process's exit code.
int serve_witness(WitnessOptions options);

}  // namespace parley::witness
