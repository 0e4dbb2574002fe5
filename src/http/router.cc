#include "http/router.h"

#include <stdexcept>

#include "common/text.h"

namespace parley::http {

namespace {
std::vector<std::string> segments_of(const std::string& path) {
  std::vector<std::string> out;
  for (auto& s : split(path, '/'))
    if (!s.empty()) out.push_back(std::move(s));
  return out;
}

// Returns a score (higher is more specific) or -1 when the pattern does not match.
bool is_rest(const std::string& p) { return p.size() > 5 && p.front() == '{' && p.ends_with("...}"); }

int score(const Route& r, const std::vector<std::string>& segs, std::map<std::string, std::string>* params) {
  const bool rest = !r.segments.empty() && is_rest(r.segments.back());
  if (rest ? segs.size() < r.segments.size() : r.segments.size() != segs.size()) return -1;
  int literal = 0;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& p = r.segments[i];
    if (rest && i + 1 == r.segments.size()) {
      // {name...}: the rest of the path, its segments joined by '/'.
      std::string joined;
      for (std::size_t k = i; k < segs.size(); ++k) joined += (k == i ? "" : "/") + segs[k];
      if (params) (*params)[p.substr(1, p.size() - 5)] = joined;
      break;
    }
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (params) (*params)[p.substr(1, p.size() - 2)] = segs[i];
    } else if (p == segs[i]) {
      ++literal;
    } else {
      return -1;
    }
  }
  return literal;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern)
      throw std::logic_error("route added twice: " + method + " " + pattern);
  auto segs = segments_of(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler), std::move(segs), false, nullptr});
}

void Router::add_upload(std::string method, std::string pattern, Admission admit, Handler handler) {
  if (!admit) throw std::logic_error("an upload route needs an admission check: " + method + " " + pattern);
  add(std::move(method), std::move(pattern), std::move(handler));
  routes_.back().upload = true;
  routes_.back().admit = std::move(admit);
}

Response Router::dispatch(Request& req) const {
  const auto m = match(req.method, req.path);
  if (!m.route) {
    if (!m.allowed.empty()) {
      std::string allow;
      for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
      return Response::problem(Problem(405, "method-not-allowed", "Method not allowed",
                                       req.method + " is not allowed here; use " + allow + "."),
                               req.path)
          .with_header("Allow", allow);
    }
    return Response::problem(Problem::not_found("No API route " + req.path + "."), req.path);
  }
  req.params = m.params;
  return m.route->handler(req);
}

Match Router::match(const std::string& method, const std::string& path) const {
  const auto segs = segments_of(path);
  Match m;
  int best = -1;
  for (const auto& r : routes_) {
    const int s = score(r, segs, nullptr);
    if (s < 0) continue;
    if (r.method != method) {
      m.allowed.push_back(r.method);
      continue;
    }
    if (s > best) {
      best = s;
      m.route = &r;
    }
  }
  if (m.route) {
    m.allowed.clear();
    score(*m.route, segs, &m.params);
  }
  return m;
}

}  // namespace parley::http
