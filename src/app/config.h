// Config: every setting of `parley`, with its default, read from an optional TOML file
// (--config) and then overridden by command-line flags. A value object.
//
//   [server]  listen = "127.0.0.1:8080", threads = 2, workers = 32, web_root = "web/dist",
//             trusted_proxies = ["127.0.0.1"] (their X-Forwarded-For names the client)
//   [server.limits] body_bytes, header_bytes, idle_seconds, request_seconds, upload_bytes,
//             upload_seconds, uploads_per_user = 2, uploads_total = 8
//   [database] url = "sqlite:var/parley.db", data_dir = "" (the SQLite file's folder)
//   [auth]    session_hours = 12, cookie_secure = false, recent_sign_in_seconds = 900,
//             key_file = "" (DATA_DIR/parley.key), invitation_hours = 72
//   [mail]    smtp_url = "smtp://relay:25", username, password, from, public_url
//   [hotline] max_attachment_bytes = 5242880
//   [directory] iso_codes = "/usr/share" (holds iso-codes/json/ and locale/: Debian's iso-codes)
//   [ledger]  key_file = "" (DATA_DIR/ledger.key): the log's signing key, made by `parley ledger init`
#pragma once

#include <string>

#include "auth/auth_service.h"
#include "hotline/hotline_service.h"
#include "http/server.h"

namespace parley::app {

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::string db_url = "sqlite:var/parley.db";
  // Parley's own files beside the database: the key that seals secrets (parley.key,
  // mode 0600) and the spool of uploads in progress (uploads/). "" = the folder of
  // the SQLite file.
  std::string data_dir;
  http::ServerOptions server;
  auth::AuthConfig auth;
  mail::MailConfig mail;
  hotline::HotlineConfig hotline;
  // Where Debian's iso-codes is: ISO 3166-1 and its translations (directory/iso3166.h).
  std::string iso_codes = "/usr/share";
  // The ledger's signing key (ledger/log_key.h); "" = DATA_DIR/ledger.key.
  std::string ledger_key_file;
  // Testing: time that tests move forward (POST /api/v1/testing/clock), starting
  // `clock_offset_seconds` ahead of the system clock. Never in production.
  bool manual_clock = false;
  std::int64_t clock_offset_seconds = 0;

  // Throws std::runtime_error naming the file, line and key on a bad file.
  void load_toml(const std::string& path);
  // Splits `listen` into server.host / server.port; throws std::invalid_argument.
  void resolve_listen();
  // data_dir, or the SQLite file's folder; throws std::invalid_argument when neither.
  std::string resolved_data_dir() const;
  // ledger_key_file, or DATA_DIR/ledger.key.
  std::string resolved_ledger_key() const;
};

std::string default_web_root();

}  // namespace parley::app
