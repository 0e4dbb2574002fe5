#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <ctime>
#include <stdexcept>

#include "common/text.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace parley::mail {

namespace {

struct Upload {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t len = std::min(size * n, u->data->size() - u->pos);
  std::copy_n(u->data->data() + u->pos, len, buf);
  u->pos += len;
  return len;
}

// Header values are one line; anything that could start a new header is removed.
std::string header_safe(const std::string& s) {
  std::string out;
  for (char ch : s) out += (ch == '\r' || ch == '\n') ? ' ' : ch;
  return out;
}

bool is_ascii(const std::string& s) {
  for (unsigned char ch : s)
    if (ch >= 0x80) return false;
  return true;
}

// Subject with non-ASCII text as RFC 2047 encoded words: at most 39 bytes of whole UTF-8
// characters each (52 characters of base64, 64 with the wrapping, within the 75 allowed),
// on folded lines, the first with "Subject: " 73 characters long (RFC 2047 section 2: a
// line holding encoded words is at most 76).
std::string subject_header(const std::string& s) {
  const auto clean = header_safe(s);
  if (is_ascii(clean)) return clean;
  std::string out;
  for (std::string_view rest = clean; !rest.empty();) {
    auto chunk = utf8_prefix(rest, 39);
    if (chunk.empty()) chunk = std::string(rest.substr(0, 1));   // not UTF-8: keep moving
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + crypto::base64(chunk) + "?=";
    rest.remove_prefix(chunk.size());
  }
  return out;
}

}  // namespace

SmtpSender::SmtpSender(MailConfig config) : config_(std::move(config)), curl_(curl_easy_init()) {
  if (!curl_) throw std::runtime_error("libcurl could not be initialised");
}

SmtpSender::~SmtpSender() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

std::string SmtpSender::format(const MailConfig& config, const Mail& m, const std::string& date,
                               const std::string& message_id) {
  std::string body;
  // CRLF line ends; a line of a single '.' is dot-stuffed by curl.
  for (std::size_t i = 0; i < m.body.size(); ++i) {
    if (m.body[i] == '\n' && (i == 0 || m.body[i - 1] != '\r')) body += '\r';
    body += m.body[i];
  }
  const auto head = "Date: " + date + "\r\nFrom: Parley <" + header_safe(config.from) + ">\r\nTo: <" + header_safe(m.to) +
                    ">\r\nMessage-ID: <" + message_id + ">\r\nSubject: " + subject_header(m.subject) +
                    "\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n";
  const std::string text_part = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n";
  if (m.attachment_name.empty()) return head + text_part + "\r\n" + body + "\r\n";
  // multipart/mixed (RFC 2046): the text, then the attachment in base64 lines of 76.
  // The boundary is derived from the message id, which the text cannot contain.
  const auto boundary = "parley-" + crypto::sha256_hex(message_id).substr(0, 32);
  const auto encoded = crypto::base64(m.attachment);
  std::string lines;
  for (std::size_t i = 0; i < encoded.size(); i += 76) lines += encoded.substr(i, 76) + "\r\n";
  const auto name = header_safe(m.attachment_name);
  return head + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n" + text_part + "\r\n" +
         body + "\r\n--" + boundary + "\r\nContent-Type: " + header_safe(m.attachment_type) + "; name=\"" + name +
         "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + lines +
         "--" + boundary + "--\r\n";
}

void SmtpSender::send(const Mail& m) {
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  char date[64];
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  const auto domain = config_.from.substr(config_.from.find('@') + 1);
  const std::string message = format(config_, m, date, crypto::random_token(16) + "@" + domain);
  Upload upload{&message};
  const std::string from = "<" + config_.from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  curl_easy_setopt(c, CURLOPT_URL, config_.smtp_url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (config_.smtp_url.rfind("smtp://", 0) == 0) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  if (rc != CURLE_OK) throw std::runtime_error(std::string("SMTP relay: ") + curl_easy_strerror(rc));
}

}  // namespace parley::mail
