#include <utility>  // before any Asio header (Boost 1.74 + g++ 12)

#include "http/server.h"

#include "common/ledger_capture.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "common/log_line.h"
#include "common/text.h"
#include "common/unavailable.h"
#include "http/static_files.h"

namespace parley::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using BeastRequest = bhttp::request<bhttp::string_body>;
// Responses are written from the Response's own bytes (or the cache's it shares): the
// Beast message only points at them, so a body is never copied on its way out.
using BeastResponse = bhttp::response<bhttp::span_body<const char>>;

namespace {

std::shared_ptr<spdlog::logger> access_log() {
  auto l = spdlog::get("access");
  return l ? l : spdlog::default_logger();
}

template <class Body>
Request to_request(const bhttp::request<Body>& in, const std::string& remote) {
  Request r = request_from_line(std::string(in.method_string()), std::string(in.target()), remote);
  for (const auto& f : in) r.headers.emplace_back(to_lower(std::string_view(f.name_string().data(), f.name_string().size())),
                           std::string(f.value()));
  if constexpr (std::is_same_v<Body, bhttp::string_body>) r.body = in.body();
  return r;
}

// `res` must outlive the returned message, whose body points into it.
BeastResponse to_beast(Response& res, unsigned version, bool keep_alive, const std::string& server) {
  BeastResponse out{static_cast<bhttp::status>(res.status), version};
  out.set(bhttp::field::server, server);
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  out.set("X-Content-Type-Options", "nosniff");
  out.set("Referrer-Policy", "no-referrer");
  out.set("X-Frame-Options", "DENY");
  // A response may name a stricter policy of its own (a printable page with its own
  // style sheet and no script); otherwise the console's.
  bool has_cache = false, has_policy = false;
  for (auto& [k, v] : res.headers) {
    const auto name = to_lower(k);
    if (name == "cache-control") has_cache = true;
    if (name == "content-security-policy") has_policy = true;
    out.insert(k, v);
  }
  if (!has_policy)
    out.set("Content-Security-Policy",
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  if (!has_cache) out.set(bhttp::field::cache_control, "no-store");
  const auto payload = res.payload();
  out.body() = {payload.data(), payload.size()};
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// Logging lives outside the coroutines: g++ 12 miscompiles fmt's compile-time format
// strings inside a coroutine frame ("array used as initializer").
void log_access(const std::string& remote, const Request& req, int status, std::size_t bytes, long us) {
  access_log()->info("{}", log_line({{"remote", remote},
                                      {"method", req.method},
                                      {"path", req.path},
                                      {"status", status},
                                      {"bytes", bytes},
                                      {"ms", static_cast<double>(us) / 1000.0},
                                      {"user", req.user}}));
}

void log_stream(const std::string& remote, int status, const std::string& user) {
  access_log()->info("{}", log_line({{"remote", remote},
                                      {"method", "GET"},
                                      {"path", "/api/v1/stream"},
                                      {"status", status},
                                      {"user", user},
                                      {"ws", true}}));
}

void log_accept_error(const std::string& message) {
  spdlog::warn("{}", log_line({{"event", "accept_error"}, {"error", message}}));
}

Problem too_large(std::size_t limit) {
  return Problem(413, "payload-too-large", "Payload too large",
                 "The body exceeds " + std::to_string(limit) + " bytes.", {{"body", "too large"}});
}

Problem internal_error() {
  return Problem(500, "internal-error", "Internal error", "The server failed to handle the request; it has been logged.");
}

// The database (or another dependency) cannot be reached now: a retry may succeed.
// Logged as a warning (an outage, not a bug); its detail stays in the log.
Problem dependency_unavailable(const std::string& method, const std::string& path, const std::string& what) {
  spdlog::warn("{}", log_line({{"event", "dependency_unavailable"}, {"method", method}, {"path", path}, {"error", what}}));
  Problem p(503, "service-unavailable", "Service unavailable",
            "The server cannot reach its database just now; try again in a few seconds.");
  p.retry_after = "5";
  return p;
}

Problem headers_too_large(std::size_t limit) {
  return Problem(431, "headers-too-large", "Request header fields too large",
                 "The headers exceed " + std::to_string(limit) + " bytes.");
}

// One open WebSocket on /api/v1/stream. Frames queue under a mutex; on the connection's
// strand, pump() writes them one after the other with completion handlers (no timer
// and no coroutine per frame: a forum-wide event is a thousand of these).
class WsClient final : public StreamClient, public std::enable_shared_from_this<WsClient> {
 public:
  // On the bare socket, not a beast::tcp_stream: the websocket stream has timeouts of
  // its own, and tcp_stream's per-operation bookkeeping was a fifth of the user-space
  // cost of a frame, paid a thousand times per forum-wide event.
  WsClient(tcp::socket&& socket, Subscriber who) : ws(std::move(socket)), who_(std::move(who)) {}

  const Subscriber& subscriber() const override { return who_; }

  bool send(std::shared_ptr<const std::string> frame) override {
    {
      std::lock_guard lock(mu);
      if (closed) return false;
      if (queue.size() >= 1024) {   // a client that cannot keep up is dropped
        closed = true;
      } else {
        queue.push_back(std::move(frame));
      }
    }
    net::post(ws.get_executor(), [self = shared_from_this()] { self->pump(); });
    return true;
  }

  void close() override {
    {
      std::lock_guard lock(mu);
      closed = true;
    }
    net::post(ws.get_executor(), [self = shared_from_this()] { self->pump(); });
  }

  // On the strand: closes the socket once closed, else starts the next write unless one
  // is in flight.
  void pump() {
    std::shared_ptr<const std::string> frame;
    {
      std::lock_guard lock(mu);
      if (closed) {
        beast::error_code ec;
        ws.next_layer().close(ec);
        return;
      }
      if (writing || queue.empty()) return;
      frame = std::move(queue.front());
      queue.pop_front();
      writing = true;
    }
    ws.text(true);
    const auto* data = frame.get();
    ws.async_write(net::buffer(*data), [self = shared_from_this(), frame = std::move(frame)](beast::error_code ec,
                                                                                           std::size_t) {
      {
        std::lock_guard lock(self->mu);
        self->writing = false;
        if (ec) self->closed = true;
      }
      if (!ec) self->pump();
    });
  }

  websocket::stream<tcp::socket> ws;
  std::mutex mu;
  std::deque<std::shared_ptr<const std::string>> queue;
  bool closed = false;
  bool writing = false;

 private:
  Subscriber who_;
};

// Caps the upload bodies being received at once, per uploader and in all: each may
// spool up to Limits::upload_bytes to disk. A Slot gives its place back when it ends.
class UploadGate {
 public:
  UploadGate(int per_user, int total) : per_user_max_(per_user), total_max_(total) {}

  class Slot {
   public:
    Slot() = default;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot() {
      if (gate_) gate_->release(who_);
    }

   private:
    friend class UploadGate;
    UploadGate* gate_ = nullptr;
    std::string who_;
  };

  bool acquire(const std::string& who, Slot& slot) {
    std::lock_guard lock(mu_);
    auto& mine = per_user_[who];
    if (mine >= per_user_max_ || total_ >= total_max_) {
      if (mine == 0) per_user_.erase(who);
      return false;
    }
    ++mine;
    ++total_;
    slot.gate_ = this;
    slot.who_ = who;
    return true;
  }

 private:
  void release(const std::string& who) {
    std::lock_guard lock(mu_);
    if (auto it = per_user_.find(who); it != per_user_.end() && --it->second <= 0) per_user_.erase(it);
    --total_;
  }
  std::mutex mu_;
  std::map<std::string, int> per_user_;
  int total_ = 0;
  int per_user_max_;
  int total_max_;
};

// The threads that run state-changing requests. They run five nice levels below
// the I/O threads and the database's writer thread (kWorkerNice): under a burst of
// writes, the commit everybody waits for, GETs (served on the I/O threads) and stream
// frames are not preempted by requests that are still being validated.
class WorkerPool {
 public:
  static constexpr int kWorkerNice = 5;

  explicit WorkerPool(int threads) : ctx_(threads) {
    for (int t = 0; t < threads; ++t)
      threads_.emplace_back([this] {
        // Per thread on Linux (a thread id is a process id for setpriority); a failure
        // leaves the thread at the default priority, which is merely slower.
        const auto tid = static_cast<id_t>(gettid());
        errno = 0;
        const int current = getpriority(PRIO_PROCESS, tid);
        if (errno == 0) setpriority(PRIO_PROCESS, tid, current + kWorkerNice);
        ctx_.run();
      });
  }
  ~WorkerPool() { join(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  net::io_context::executor_type get_executor() { return ctx_.get_executor(); }
  // Lets the threads end once the work they have is done, and waits for them.
  void join() {
    guard_.reset();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  net::io_context ctx_;
  net::executor_work_guard<net::io_context::executor_type> guard_{ctx_.get_executor()};
  std::vector<std::thread> threads_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, const Router& r, StreamHub& h, StreamAuthorizer a)
      : options(std::move(o)), router(r), hub(h), authorize(std::move(a)), files(options.web_root),
        acceptor(ioc), signals(ioc, SIGINT, SIGTERM), drain_timer(ioc) {
    for (int t = 1; t < std::max(1, options.threads); ++t) {
      more.push_back(std::make_unique<net::io_context>(1));
      keep.push_back(net::make_work_guard(*more.back()));
    }
  }

  ServerOptions options;
  const Router& router;
  StreamHub& hub;
  WorkerPool workers{std::max(1, options.workers)};
  StreamAuthorizer authorize;
  StaticFiles files;   // the console's files, indexed once, here
  UploadGate uploads{options.limits.uploads_per_user, options.limits.uploads_total};
  std::atomic<std::uint64_t> next_upload{0};

  // Open connections, so that a stop can close idle keep-alive ones at once and end
  // as soon as the busy ones are done. Declared before ioc: pending sessions destroyed
  // with the io_context still unregister here.
  struct Slot {
    beast::tcp_stream* stream;
    bool idle;
  };
  std::mutex sessions_mu;
  std::map<std::uint64_t, Slot> sessions;
  std::uint64_t next_session = 0;
  std::atomic<bool> running{false};

  std::uint64_t add_session(beast::tcp_stream* s) {
    std::lock_guard lock(sessions_mu);
    sessions[++next_session] = Slot{s, false};
    return next_session;
  }
  void set_idle(std::uint64_t id, bool idle) {
    std::lock_guard lock(sessions_mu);
    sessions.at(id).idle = idle;
  }
  void remove_session(std::uint64_t id) {
    std::lock_guard lock(sessions_mu);
    sessions.erase(id);
    if (stopping.load() && running.load() && sessions.empty()) stop_all();
  }

  std::atomic<bool> stopping{false};

  // One io_context per I/O thread: a connection lives on one of them for its life, so
  // its handlers never hand over between threads (which cost a kernel wake-up each).
  // `ioc` also runs the acceptor, the signals and the drain timer. The others are
  // declared first, so destroyed last: the accept waiting in `ioc` holds a socket of the
  // context the next connection goes to, and goes with `ioc` (a stop destroyed it after
  // that context once: heap-use-after-free; tests/api/journal_and_cli.test.mjs).
  std::vector<std::unique_ptr<net::io_context>> more;   // the other I/O threads' contexts
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep;
  net::io_context ioc{1};
  std::atomic<std::size_t> next_context{0};

  net::io_context& context_for_next_connection() {
    const auto n = next_context.fetch_add(1, std::memory_order_relaxed) % (more.size() + 1);
    return n == 0 ? ioc : *more[n - 1];
  }
  void stop_all() {
    ioc.stop();
    for (auto& c : more) c->stop();
  }
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer drain_timer;
  std::string server_name;

  Response dispatch(Request& req);
  Response dispatch_unguarded(Request& req);
  void begin_stop();
};

Response Server::Impl::dispatch(Request& req) {
  // Nothing a request contains may end the connection without an answer.
  try {
    // A request whose writes were recorded says where: the last ledger index it appended.
    ledger_capture::reset();
    auto res = dispatch_unguarded(req);
    if (ledger_capture::last_index >= 0 && res.status < 400)
      res.headers.emplace_back("Parley-Ledger-Index", std::to_string(ledger_capture::last_index));
    return res;
  } catch (const Problem& p) {
    return Response::problem(p, req.path);
  } catch (const DependencyUnavailable& e) {
    return Response::problem(dependency_unavailable(req.method, req.path, e.what()), req.path);
  } catch (const std::exception& e) {
    // Anything else is a bug: logged, and answered without internal detail.
    spdlog::error("{}", log_line({{"event", "handler_error"}, {"method", req.method}, {"path", req.path},
                                  {"error", e.what()}}));
    return Response::problem(internal_error(), req.path);
  }
}

Response Server::Impl::dispatch_unguarded(Request& req) {
  const bool routed = options.route_everything || req.path.starts_with("/api/") || req.path == "/taxii2" || req.path.starts_with("/taxii2/") ||
                      req.path.starts_with("/ledger/");
  if (!routed) {
    if (req.method != "GET" && req.method != "HEAD")
      return Response::problem(Problem(405, "method-not-allowed", "Method not allowed",
                                       "Static files are read-only."), req.path);
    return files.serve(req.path);
  }
  return router.dispatch(req);   // a Problem or another exception is answered by dispatch()
}

namespace {

net::awaitable<void> write_problem(beast::tcp_stream& stream, const Problem& p, const std::string& server) {
  beast::error_code ec;
  auto problem = Response::problem(p, "");
  auto res = to_beast(problem, 11, false, server);
  co_await bhttp::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
}

net::awaitable<void> run_stream(Server::Impl* impl, beast::tcp_stream stream, BeastRequest breq,
                                std::string remote) {
  Request req = to_request(breq, remote);
  Subscriber who;
  std::optional<Problem> refused;
  try {
    who = impl->authorize(req);
  } catch (const Problem& p) {
    refused = p;
  } catch (const DependencyUnavailable& e) {   // the console's reconnect while the database is away
    refused = dependency_unavailable(req.method, req.path, e.what());
  }
  if (refused) {  // co_await is not allowed inside a catch block
    log_stream(remote, refused->status(), "");
    co_await write_problem(stream, *refused, impl->server_name);
    co_return;
  }
  stream.expires_never();
  auto client = std::make_shared<WsClient>(stream.release_socket(), who);
  client->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  client->ws.read_message_max(impl->options.limits.stream_message_bytes);
  beast::error_code ec;
  co_await client->ws.async_accept(breq, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return;
  log_stream(remote, 101, who.username);
  impl->hub.add(client);
  // Say hello so that clients know the subscription is live.
  client->send(std::make_shared<const std::string>(
      nlohmann::json{{"type", "stream.ready"}, {"data", {{"user", who.username}}}}.dump()));
  for (;;) {
    beast::flat_buffer buffer;
    co_await client->ws.async_read(buffer, net::redirect_error(net::use_awaitable, ec));
    if (ec) break;
    // Clients have nothing to say yet except keep-alive text; ignore it.
  }
  client->close();
}

// Admits an upload from its headers alone (Route::admit, then the caps): the refusal to
// answer with — before any of the body is read — or nothing. Not a coroutine, so that
// it may catch.
std::optional<Response> admit_upload(Server::Impl* impl, const Match& m, const BeastRequest& head,
                                     const std::string& client, UploadGate::Slot& slot) {
  Request req = to_request(head, client);
  req.params = m.params;
  std::optional<Response> refused;
  try {
    const auto who = m.route->admit(req);
    if (impl->options.spool_dir.empty())
      refused = Response::problem(
          Problem(503, "uploads-unavailable", "Uploads unavailable", "This server has no upload spool."), req.path);
    else if (!impl->uploads.acquire(who, slot))
      refused = Response::problem(
          Problem::too_many_requests("Too many uploads at once; send this one when another has finished.", 5),
          req.path);
  } catch (const Refused& r) {
    refused = r.response;
  } catch (const Problem& p) {
    refused = Response::problem(p, req.path);
  } catch (const DependencyUnavailable& e) {
    refused = Response::problem(dependency_unavailable(req.method, req.path, e.what()), req.path);
  } catch (const std::exception& e) {
    spdlog::error("{}", log_line({{"event", "upload_admission_error"}, {"path", req.path}, {"error", e.what()}}));
    refused = Response::problem(internal_error(), req.path);
  }
  if (refused) log_access(client, req, refused->status, refused->payload().size(), 0);
  return refused;
}

// Runs the route handler on a worker thread (co_spawned there, awaited by the session).
net::awaitable<Response> run_handler(Server::Impl* impl, std::shared_ptr<Request> req) {
  co_return impl->dispatch(*req);
}

net::awaitable<void> run_session(Server::Impl* impl, tcp::socket socket) {
  beast::error_code ec;
  std::string remote;
  {
    auto ep = socket.remote_endpoint(ec);
    remote = ec ? "?" : ep.address().to_string();
  }
  beast::tcp_stream stream(std::move(socket));
  struct Registration {
    Server::Impl* impl;
    std::uint64_t id;
    ~Registration() { impl->remove_session(id); }
  } registration{impl, impl->add_session(&stream)};
  beast::flat_buffer buffer;
  const auto& limits = impl->options.limits;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    // Beast checks Content-Length against the limit with the header; the route, known
    // only then, decides which limit applies (below).
    parser.body_limit(std::max(limits.body_bytes, limits.upload_bytes));
    stream.expires_after(std::chrono::seconds(limits.idle_seconds));
    impl->set_idle(registration.id, true);
    if (impl->stopping.load()) break;   // checked after marking idle: see begin_stop
    co_await bhttp::async_read_header(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    impl->set_idle(registration.id, false);
    const auto started = std::chrono::steady_clock::now();
    // An upload route's body goes to a file as it arrives, so that its size does not
    // become memory (Router::add_upload); every other body is read into memory.
    BeastRequest breq;
    std::string spooled;
    bool upload = false;
    std::string client = remote;   // the peer, or the client a trusted proxy names
    std::optional<Response> refused;
    UploadGate::Slot slot;
    if (!ec) {
      const auto& head = parser.get();
      if (!impl->options.trusted_proxies.empty()) {
        std::string forwarded;
        const auto lines = head.equal_range("x-forwarded-for");
        for (auto f = lines.first; f != lines.second; ++f)
          forwarded.append(forwarded.empty() ? "" : ",").append(f->value().data(), f->value().size());
        client = client_address(remote, forwarded, impl->options.trusted_proxies);
      }
      const auto target = std::string(head.target());
      const auto m = impl->router.match(std::string(head.method_string()),
                                        percent_decode(std::string_view(target).substr(0, target.find('?')), false));
      upload = m.route && m.route->upload;
      // Who may upload, and whether there is room, is settled on the headers: an
      // anonymous or unauthorised sender never gets to write a byte to disk.
      if (upload) refused = admit_upload(impl, m, head, client, slot);
    }
    if (refused) {
      auto out = to_beast(*refused, parser.get().version(), false, impl->server_name);
      co_await bhttp::async_write(stream, out, net::redirect_error(net::use_awaitable, ec));
      break;   // the body was not read: the connection cannot carry another request
    }
    if (!ec && upload && beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
      co_await bhttp::async_write(stream, go_on, net::redirect_error(net::use_awaitable, ec));
    }
    if (!ec && upload) {
      bhttp::request_parser<bhttp::file_body> file_parser{std::move(parser)};
      file_parser.body_limit(limits.upload_bytes);
      spooled = (std::filesystem::path(impl->options.spool_dir) /
                 ("upload-" + std::to_string(impl->next_upload.fetch_add(1)) + "-" + std::to_string(::getpid())))
                    .string();
      file_parser.get().body().open(spooled.c_str(), beast::file_mode::write, ec);
      if (!ec) {
        stream.expires_after(std::chrono::seconds(limits.upload_seconds));
        co_await bhttp::async_read(stream, buffer, file_parser, net::redirect_error(net::use_awaitable, ec));
      }
      auto file_req = file_parser.release();
      file_req.body().close();
      breq = BeastRequest(std::move(file_req.base()));
    } else if (!ec) {
      const auto length = parser.content_length();
      if (length && *length > limits.body_bytes) {
        ec = bhttp::error::body_limit;
      } else {
        parser.body_limit(limits.body_bytes);   // a chunked body is counted as it comes
        stream.expires_after(std::chrono::seconds(limits.request_seconds));
        co_await bhttp::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
        if (!ec) breq = parser.release();
      }
    }
    // Removes the spooled body however this request ends.
    struct Spool {
      std::string path;
      ~Spool() {
        std::error_code rm;
        if (!path.empty()) std::filesystem::remove(path, rm);
      }
    } spool{spooled};
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        co_await write_problem(stream, too_large(upload ? limits.upload_bytes : limits.body_bytes), impl->server_name);
      } else if (ec == bhttp::error::header_limit) {
        co_await write_problem(stream, headers_too_large(limits.header_bytes), impl->server_name);
      } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                 ec != net::error::operation_aborted && ec != net::error::eof &&
                 ec != net::error::connection_reset && (upload || parser.got_some())) {
        co_await write_problem(stream, Problem::bad_request("The request is not valid HTTP/1.1."),
                               impl->server_name);
      }
      break;
    }
    if (websocket::is_upgrade(breq)) {
      if (breq.target() == "/api/v1/stream" || breq.target().starts_with("/api/v1/stream?")) {
        co_await run_stream(impl, std::move(stream), std::move(breq), client);
        co_return;
      }
      co_await write_problem(stream, Problem::not_found("No WebSocket endpoint here."), impl->server_name);
      break;
    }
    auto req = std::make_shared<Request>(to_request(breq, client));
    req->body_file = spooled;
    // Reads run here: under WAL they never wait for the write lock, and most are served
    // from caches. Changes go to the worker pool, where they may wait for a group commit.
    // (Not a ?: expression: g++ 12 miscompiles co_await inside a conditional operator.)
    Response res;
    if (req->is_safe_method())
      res = impl->dispatch(*req);
    else
      res = co_await net::co_spawn(impl->workers.get_executor(), run_handler(impl, req), net::use_awaitable);
    const bool keep_alive = breq.keep_alive() && !impl->stopping.load();
    const auto status = res.status;
    auto out = to_beast(res, breq.version(), keep_alive, impl->server_name);
    if (breq.method() == bhttp::verb::head) out.body() = {};
    const auto bytes = out.body().size();
    co_await bhttp::async_write(stream, out, net::redirect_error(net::use_awaitable, ec));
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    log_access(client, *req, status, bytes, us);
    if (ec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<void> accept_loop(Server::Impl* impl) {
  for (;;) {
    beast::error_code ec;
    auto socket = co_await impl->acceptor.async_accept(impl->context_for_next_connection(),
                                                       net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !impl->acceptor.is_open()) co_return;
      log_accept_error(ec.message());
      continue;
    }
    // Responses and stream frames are written whole; Nagle would only hold the last
    // segment of a large one back until the client's (delayed) ACK.
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    net::co_spawn(executor, run_session(impl, tcp::socket(std::move(socket))), net::detached);
  }
}

}  // namespace

void Server::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  spdlog::info("{}", log_line({{"event", "stopping"}}));
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  hub.close_all();
  {
    // Idle keep-alive connections are closed now; busy ones finish their request
    // (answered with Connection: close) and the last one to end stops the server.
    std::lock_guard lock(sessions_mu);
    if (sessions.empty()) {
      stop_all();
      return;
    }
    for (auto& [id, slot] : sessions) {
      if (!slot.idle) continue;
      net::post(slot.stream->get_executor(), [this, id = id] {
        std::lock_guard again(sessions_mu);
        auto it = sessions.find(id);
        beast::error_code ec;
        if (it != sessions.end() && it->second.idle) it->second.stream->socket().cancel(ec);
      });
    }
  }
  // A request that does not finish in time is abandoned.
  drain_timer.expires_after(std::chrono::seconds(3));
  drain_timer.async_wait([this](beast::error_code) { stop_all(); });
}

Server::Server(ServerOptions options, const Router& router, StreamHub& hub, StreamAuthorizer authorize)
    : impl_(std::make_unique<Impl>(std::move(options), router, hub, std::move(authorize))) {
  impl_->server_name = "parley/" + impl_->options.version;
}

Server::~Server() = default;

std::uint16_t Server::start() {
  auto& i = *impl_;
  if (!i.options.spool_dir.empty()) {
    // Parley's own folder, readable by Parley only; what a crash left in it goes.
    namespace fs = std::filesystem;
    fs::create_directories(i.options.spool_dir);
    fs::permissions(i.options.spool_dir, fs::perms::owner_all, fs::perm_options::replace);
    for (const auto& f : fs::directory_iterator(i.options.spool_dir))
      if (f.path().filename().string().starts_with("upload-")) fs::remove(f.path());
  }
  const auto address = net::ip::make_address(i.options.host);
  const tcp::endpoint ep(address, i.options.port);
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(net::socket_base::reuse_address(true));
  i.acceptor.bind(ep);
  i.acceptor.listen(net::socket_base::max_listen_connections);
  return i.acceptor.local_endpoint().port();
}

void Server::run() {
  auto& i = *impl_;
  i.signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->begin_stop();
  });
  net::co_spawn(i.ioc, accept_loop(&i), net::detached);
  i.running = true;
  std::vector<std::thread> threads;
  for (auto& c : i.more) threads.emplace_back([ctx = c.get()] { ctx->run(); });
  i.ioc.run();
  i.stop_all();
  for (auto& t : threads) t.join();
  i.workers.join();
  i.running = false;
}

void Server::stop() {
  net::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

}  // namespace parley::http
