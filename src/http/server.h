// Server: the HTTP/1.1 + WebSocket front door (Boost.Beast on C++20 coroutines).
//
// It reads requests within the configured limits, routes /api/ and /taxii2/ paths
// through the Router, serves everything else from StaticFiles, upgrades /api/v1/stream to a
// WebSocket after the StreamAuthorizer accepts the request, and turns any Problem a
// handler throws into application/problem+json (other exceptions become a logged 500).
// Each I/O thread runs an io_context of its own; a connection is given to one of them
// (round robin) and stays there, so its handlers never hand over between threads.
// Safe methods (GET, HEAD)
// are handled there; state-changing ones on a pool of worker threads, since they may
// wait for the database's group commit, so that sockets and stream pushes never wait
// for them. start()/run()/stop() are called from one controlling thread;
// stop() may also be called from a signal or another thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/events.h"
#include "http/message.h"
#include "http/router.h"
#include "http/stream_hub.h"

namespace parley::http {

struct Limits {
  std::size_t body_bytes = 8 * 1024 * 1024;   // room for a 5 MiB hotline attachment
  std::size_t upload_bytes = 1024ull * 1024 * 1024;   // upload routes: written to a file, not memory
  int upload_seconds = 900;    // reading one upload's body
  std::size_t header_bytes = 16 * 1024;
  int idle_seconds = 60;       // keep-alive connection with no request
  int request_seconds = 30;    // reading one request and writing its response
  std::size_t stream_message_bytes = 64 * 1024;
  int uploads_per_user = 2;    // upload bodies being received at once, per user
  int uploads_total = 8;       // and in all (each may spool upload_bytes to disk)
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 2;     // I/O threads: sockets, TLS-free HTTP parsing, WebSocket frames
  int workers = 32;    // threads for state-changing requests, which may wait on a commit;
                       // they never delay I/O (pushes to the stream in particular) and
                       // run at a lower priority than the I/O threads (server.cc)
  Limits limits;
  std::string web_root = "web/dist";
  // Upload bodies are written here as they arrive (Parley's data directory, never a
  // shared /tmp); files left by a crash are removed at start. "" refuses uploads.
  std::string spool_dir;
  // Peers whose X-Forwarded-For names the client (reverse proxies); anyone else's
  // X-Forwarded-For is ignored, so a client cannot choose its own address.
  std::vector<std::string> trusted_proxies;
  std::string version;
  // Every path goes through the Router, none is a static file: for servers that are not
  // Parley's console (the C2SP witness, `parley witness serve`, routes /add-checkpoint).
  bool route_everything = false;
};

// Decides who may open the event stream; throws Problem (401/403) to refuse.
using StreamAuthorizer = std::function<Subscriber(Request&)>;

class Server {
 public:
  Server(ServerOptions options, const Router& router, StreamHub& hub, StreamAuthorizer authorize);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t start();   // binds and listens; returns the bound port (useful with port 0)
  void run();              // serves until SIGINT/SIGTERM or stop(); then drains (at most 3 s)
  void stop();

  struct Impl;   // defined in server.cc; public only so its coroutines can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::http
