#include "witness/witness_server.h"

#include <chrono>
#include <iostream>

#include <spdlog/spdlog.h>

#include "common/log_line.h"
#include "http/server.h"
#include "http/stream_hub.h"

namespace parley::witness {

namespace {
std::uint64_t unix_now() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}
}  // namespace

Witness::Witness(WitnessOptions options, std::function<std::uint64_t()> clock)
    : options_(std::move(options)), clock_(clock ? std::move(clock) : unix_now), store_(options_.state_dir) {}

http::Response Witness::add_checkpoint(const std::string& body) {
  Outcome out;
  {
    // Check and update as one step: two requests may not both extend the same record.
    std::lock_guard lock(mutex_);
    out = witness::add_checkpoint(body, options_.logs, options_.key,
                                  [this](const std::string& origin) { return store_.load(origin); }, clock_());
    if (out.status == 200) store_.save(out.origin, *out.record);   // before answering
  }
  spdlog::info("{}", log_line({{"event", "witness_add_checkpoint"}, {"status", std::to_string(out.status)},
                               {"origin", out.origin},
                               {"detail", out.status == 200 ? std::string() : out.body.substr(0, 200)}}));
  return http::Response::text(std::move(out.body), out.content_type, out.status);
}

http::Response Witness::checkpoint(const std::string& origin_hash) {
  std::lock_guard lock(mutex_);
  for (const auto& [origin, keys] : options_.logs) {
    if (StateStore::file_name(origin) != origin_hash) continue;
    if (auto note = store_.load(origin)) return http::Response::text(std::move(*note), "text/plain; charset=utf-8");
    break;
  }
  return http::Response::text("no checkpoint cosigned for this log\n", "text/plain; charset=utf-8", 404);
}

void Witness::add_routes(http::Router& router) {
  router.add("POST", "/add-checkpoint", [this](http::Request& req) { return add_checkpoint(req.body); });
  router.add("GET", "/{origin}/checkpoint", [this](http::Request& req) { return checkpoint(req.param("origin")); });
}

int serve_witness(WitnessOptions options) {
  Witness witness(std::move(options));
  http::Router router;
  witness.add_routes(router);
  http::StreamHub hub;
  http::ServerOptions server_options;
  server_options.host = witness.options().host;
  server_options.port = witness.options().port;
  server_options.threads = 1;
  server_options.workers = 4;
  server_options.limits.body_bytes = kMaxBodyBytes;
  server_options.limits.upload_bytes = kMaxBodyBytes;
  server_options.web_root = "";
  server_options.route_everything = true;
  http::StreamAuthorizer refuse = [](http::Request&) -> Subscriber {
    throw Problem(404, "not-found", "Not found", "A witness has no event stream.");
  };
  http::Server server(server_options, router, hub, refuse);
  const auto port = server.start();
  std::cout << "witness " << witness.options().key.name() << " listening on http://" << server_options.host << ":"
            << port << std::endl;
  server.run();
  return 0;
}

}  // namespace parley::witness
