// HttpClient: outgoing HTTP(S) requests, for the ledger's witness client (POST
// add-checkpoint) and `parley verify` (the ledger API). libcurl underneath, so that
// HTTPS, proxies (the usual environment variables) and keep-alive come for free.
// Bounded: a timeout per request and a cap on the response body; redirects are not
// followed. Errors reaching the server (refused, timed out, too large) throw
// HttpClientError; any HTTP status is a response. One instance per thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace parley::http {

class HttpClientError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;   // names lower-cased
  std::string header(const std::string& lower_name) const;   // "" when absent
};

class HttpClient {
 public:
  explicit HttpClient(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      std::size_t max_body = 16 << 20);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `headers` are "Name: value" lines.
  ClientResponse get(const std::string& url, const std::vector<std::string>& headers = {});
  ClientResponse post(const std::string& url, const std::string& body, const std::vector<std::string>& headers = {});

 private:
  ClientResponse perform(const std::string& url, const std::string* body, const std::vector<std::string>& headers);
  void* curl_;
  std::chrono::milliseconds timeout_;
  std::size_t max_body_;
};

}  // namespace parley::http
