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
};

struct Match {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;   // methods for the path when route is null (405)
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  Match match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace parley::http
