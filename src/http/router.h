// Router: maps (method, path pattern) to a handler. Patterns are literal segments and
// `{name}` parameters ("/api/v1/contacts/{id}"); a literal segment wins over a
// parameter. Routes are added at start-up, then the router is only read: reads are
// thread-safe once the server runs.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace parley::http {

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  std::vector<std::string> segments;
  bool upload = false;   // its body may be large: streamed to a file, not read into memory
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;   // methods for the path when route is null (405)
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // A route whose request body is spooled to a file as it arrives (Request::body_file),
  // up to Limits::upload_bytes instead of body_bytes: bulk uploads in bounded memory.
  void add_upload(std::string method, std::string pattern, Handler handler);
  Match match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace parley::http
