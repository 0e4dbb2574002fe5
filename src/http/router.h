// Router: maps (method, path pattern) to a handler. Patterns are literal segments and
// `{name}` parameters ("/api/v1/contacts/{id}"); a literal segment wins over a
// parameter. A last segment `{name...}` takes the rest of the path (one or more
// segments, joined by '/': "/ledger/tile/{path...}"). Routes are added at start-up, then the router is only read: reads are
// thread-safe once the server runs.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/message.h"

namespace parley::http {

using Handler = std::function<Response(Request&)>;
// An upload route's gate: decides from the request line and headers alone (no body
// yet) whether the upload may be sent — throws Problem (401, 403, 404…) to refuse it
// before a byte of the body is read — and returns who is uploading, the key under
// which concurrent uploads are capped (Limits::uploads_per_user).
// An Admission that answers in a format of its own (TAXII's errors) throws Refused.
using Admission = std::function<std::string(Request&)>;
struct Refused {
  Response response;
};

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  std::vector<std::string> segments;
  bool upload = false;   // its body may be large: streamed to a file, not read into memory
  Admission admit;       // upload routes: checked before the body is read
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
  // `admit` runs first, on the headers alone; the body is read only if it passes.
  void add_upload(std::string method, std::string pattern, Admission admit, Handler handler);
  Match match(const std::string& method, const std::string& path) const;
  // Runs the request's route with its path parameters; no route is a 404 problem, a
  // route for other methods a 405 with Allow. What the handler throws propagates.
  Response dispatch(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace parley::http
