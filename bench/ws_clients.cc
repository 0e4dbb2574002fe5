// parley_bench_ws: the WebSocket clients of bench/hotline.mjs. Opens one connection to
// /api/v1/stream per session cookie (read from stdin, one per line), then receives on
// all of them in one epoll loop and reports every text frame as one line on stdout:
//
//   <client index> <receipt time, ms since the epoch> <frame payload>
//
// The receipt time is taken when recv() returns the bytes, before any parsing. A
// measuring instrument, not part of Parley: it is written in C++ so that a thousand
// clients on the same two cores as the server cost the measurement little (the Node.js
// clients it replaces spent more time per frame than the server did). Lines are
// written when the connections go quiet, so that output does not compete with receipt.
//
//   parley_bench_ws HOST PORT < cookies
//
// Prints "ready" once every connection has its stream.ready frame. Minimal RFC 6455:
// unmasked frames from the server; a close frame or EOF ends that client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

struct Client {
  int fd = -1;
  std::string in;       // bytes received and not yet parsed
  bool upgraded = false;
  bool ready = false;
};

double now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

[[noreturn]] void die(const std::string& what) {
  std::cerr << "parley_bench_ws: " << what << ": " << std::strerror(errno) << "\n";
  std::exit(1);
}

std::string key() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string k;
  for (int i = 0; i < 21; ++i) k += b64[rng() % 64];
  return k + "A==";   // 16 bytes, base64
}

// Parses the frames in c.in; appends text payloads to `out`, stamped with `t`.
// Returns false if the connection is to be dropped.
bool parse(Client& c, std::size_t index, double t, std::string& out, std::size_t& ready_count) {
  if (!c.upgraded) {
    const auto end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) {
      std::cerr << "parley_bench_ws: client " << index << " refused: " << c.in.substr(0, end) << "\n";
      std::exit(1);
    }
    c.upgraded = true;
    c.in.erase(0, end + 4);
  }
  std::size_t pos = 0;
  for (;;) {
    if (c.in.size() - pos < 2) break;
    const auto* p = reinterpret_cast<const unsigned char*>(c.in.data() + pos);
    const int opcode = p[0] & 0x0f;
    std::uint64_t len = p[1] & 0x7f;
    std::size_t off = 2;
    if (len == 126) {
      if (c.in.size() - pos < 4) break;
      len = (std::uint64_t{p[2]} << 8) | p[3];
      off = 4;
    } else if (len == 127) {
      if (c.in.size() - pos < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
      off = 10;
    }
    if (c.in.size() - pos < off + len) break;
    if (opcode == 8) return false;
    if (opcode == 1) {
      if (!c.ready) {
        c.ready = true;
        ++ready_count;
      } else {
        char head[64];
        std::snprintf(head, sizeof head, "%zu %.3f ", index, t);
        out += head;
        out.append(c.in, pos + off, len);
        out += '\n';
      }
    }
    pos += off + len;
  }
  c.in.erase(0, pos);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: parley_bench_ws HOST PORT < cookies\n";
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::atoi(argv[2]);
  std::vector<std::string> cookies;
  for (std::string line; std::getline(std::cin, line);)
    if (!line.empty()) cookies.push_back(line);

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) die("bad address " + host);

  const int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  std::vector<Client> clients(cookies.size());
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    auto& c = clients[i];
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c.fd < 0) die("socket");
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("connect");
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const std::string req = "GET /api/v1/stream HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key() +
                            "\r\nSec-WebSocket-Version: 13\r\nCookie: " + cookies[i] + "\r\n\r\n";
    if (send(c.fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size())) die("send");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev) != 0) die("epoll_ctl");
  }

  std::size_t ready = 0;
  std::size_t open = clients.size();
  bool announced = false;
  std::string out;
  std::vector<epoll_event> events(1024);
  std::vector<char> buf(1 << 16);
  while (open > 0) {
    const int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), out.empty() ? 1000 : 20);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    if (n == 0 && !out.empty()) {   // quiet for 20 ms: hand over what arrived
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fflush(stdout);
      out.clear();
    }
    for (int k = 0; k < n; ++k) {
      const auto i = static_cast<std::size_t>(events[static_cast<std::size_t>(k)].data.u64);
      auto& c = clients[i];
      const ssize_t got = recv(c.fd, buf.data(), buf.size(), 0);
      const double t = now_ms();
      if (got <= 0) {
        if (got < 0 && errno == EINTR) continue;
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        --open;
        continue;
      }
      c.in.append(buf.data(), static_cast<std::size_t>(got));
      if (!parse(c, i, t, out, ready)) {
        epoll_ctl(ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        --open;
      }
    }
    if (!announced && ready == clients.size()) {
      announced = true;
      std::fputs("ready\n", stdout);
      std::fflush(stdout);
    }
  }
  if (!out.empty()) std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
