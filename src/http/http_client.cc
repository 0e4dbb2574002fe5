#include "http/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace parley::http {

namespace {
struct Sink {
  ClientResponse* res;
  std::size_t max;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const auto len = size * n;
  if (sink->res->body.size() + len > sink->max) {
    sink->too_large = true;
    return 0;   // aborts the transfer
  }
  sink->res->body.append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* res = static_cast<ClientResponse*>(user);
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos && res->headers.size() < 200) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    const auto b = value.find_first_not_of(" \t");
    const auto e = value.find_last_not_of(" \t\r\n");
    res->headers.emplace_back(name, b == std::string::npos ? "" : value.substr(b, e - b + 1));
  } else if (line.rfind("HTTP/", 0) == 0) {
    res->headers.clear();   // a new response (after 100 Continue)
  }
  return size * n;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};
}  // namespace

std::string ClientResponse::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return "";
}

HttpClient::HttpClient(std::chrono::milliseconds timeout, std::size_t max_body)
    : timeout_(timeout), max_body_(max_body) {
  static CurlGlobal global;
  curl_ = curl_easy_init();
  if (!curl_) throw HttpClientError("libcurl could not be initialised");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

ClientResponse HttpClient::get(const std::string& url, const std::vector<std::string>& headers) {
  return perform(url, nullptr, headers);
}

ClientResponse HttpClient::post(const std::string& url, const std::string& body, const std::vector<std::string>& headers) {
  return perform(url, &body, headers);
}

ClientResponse HttpClient::perform(const std::string& url, const std::string* body,
                                   const std::vector<std::string>& headers) {
  auto* curl = static_cast<CURL*>(curl_);
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw HttpClientError("only http:// and https:// URLs are fetched: " + url.substr(0, 100));
  ClientResponse res;
  Sink sink{&res, max_body_};
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout_.count(), 5000)));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &res);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "parley");
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    list = curl_slist_append(list, "Expect:");   // no 100-continue round trip
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  const auto rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  if (sink.too_large) throw HttpClientError(url + ": the response is larger than " + std::to_string(max_body_) + " bytes");
  if (rc != CURLE_OK) throw HttpClientError(url + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  res.status = static_cast<int>(status);
  res.content_type = res.header("content-type");
  return res;
}

}  // namespace parley::http
