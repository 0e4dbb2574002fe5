#include "library/routes.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/json_input.h"
#include "common/problem.h"
#include "common/text.h"

namespace parley::library {

using auth::Principal;
using http::Request;
using http::Response;

void add_routes(http::Router& router, LibraryService& library, const auth::Guard& guard) {
  router.add("GET", "/api/v1/library/contributions", guard([&library](Request& req, const Principal& who) {
    req.refuse_unknown_params({"q", "limit", "offset"});
    return Response::json(library.search(who, req.query_param("q").value_or(""), req.int_query("limit", 20, 1, 100),
                                         req.int_query("offset", 0, 0, 100000)));
  }));
  router.add("POST", "/api/v1/library/contributions", guard([&library](Request& req, const Principal& who) {
    auto in = req.json();
    auto j = library.submit(who, ContributionInput::parse(in));
    return Response::json(j, 201).with_header("Location",
                                              "/api/v1/library/contributions/" + std::to_string(j["id"].get<std::int64_t>()));
  }));
  router.add("GET", "/api/v1/library/contributions/{id}", guard([&library](Request& req, const Principal& who) {
    return Response::json(library.get(who, req.id_param("id")));
  }));
  router.add("PATCH", "/api/v1/library/contributions/{id}", guard([&library](Request& req, const Principal& who) {
    const auto patch = parse_json_strictly(req.body);
    if (!patch.is_object()) throw Problem::bad_request("The body is a JSON object of the fields to change.");
    return Response::json(library.edit(who, req.id_param("id"), patch));
  }));
  router.add("GET", "/api/v1/library/contributions/{id}/versions/{lang}/text",
             guard([&library](Request& req, const Principal& who) {
               req.refuse_unknown_params({"page"});
               return Response::json(library.text(who, req.id_param("id"), req.param("lang"), req.int_query("page", 1, 1, 1000000)));
             }));
  router.add("GET", "/api/v1/library/contributions/{id}/revisions", guard([&library](Request& req, const Principal& who) {
    return Response::json(library.revisions(who, req.id_param("id")));
  }));
  router.add("GET", "/api/v1/library/contributions/{id}/revisions/{revision}/versions/{lang}/file",
             guard([&library](Request& req, const Principal& who) {
               auto d = library.revision_file(who, req.id_param("id"), req.id_param("revision"), req.param("lang"));
               return Response::text(std::move(d.bytes), d.media_type)
                   .with_header("Content-Disposition", http::content_disposition("attachment", d.filename))
                   .with_header("X-Content-Type-Options", "nosniff");
             }));
  // The caller's weekly digest of new contributions: on (the default) or off.
  router.add("GET", "/api/v1/library/digest", guard([&library](Request&, const Principal& who) {
    return Response::json(library.digest_setting(who));
  }));
  router.add("PUT", "/api/v1/library/digest", guard([&library](Request& req, const Principal& who) {
    auto in = req.json();
    const auto weekly = in.boolean("weekly", true);
    in.finish();
    return Response::json(library.set_digest(who, *weekly));
  }));
  router.add("POST", "/api/v1/library/contributions/{id}/publish", guard([&library](Request& req, const Principal& who) {
    return Response::json(library.publish(who, req.id_param("id")));
  }));
  router.add("POST", "/api/v1/library/contributions/{id}/return", guard([&library](Request& req, const Principal& who) {
    auto in = req.json();
    const auto note = trim(in.text("note", true, 2000, 1).value_or(""));
    in.finish();
    return Response::json(library.send_back(who, req.id_param("id"), note));
  }));
  // A language version's file, as the body (spooled to disk as it arrives): who may add
  // one to this contribution, in this language, is settled on the headers, before the
  // body is read (and again when it is stored). Its size is settled there too: a body is
  // spooled only when it says its length and that length is within the library's limit.
  const auto admit = [&guard, &library](Request& req) {
    const auto who = guard.authenticate(req);
    auth::require_role(who, {auth::Role::kFocalPoint, auth::Role::kSecretariat}, "add versions to contributions");
    req.refuse_unknown_params({"translation", "filename"});
    library.check_version(who, req.id_param("id"), req.param("lang"), req.query_param("translation").value_or("original"));
    const auto length = req.header("content-length");
    if (length.empty())
      throw Problem(411, "length-required", "Length required", "Send the file with a Content-Length.",
                    {{"Content-Length", "is required"}});
    const auto bytes = std::strtoull(length.c_str(), nullptr, 10);
    if (bytes > library.max_file_bytes())
      throw Problem(413, "payload-too-large", "File too large",
                    "The file is " + length + " bytes; the limit is " + std::to_string(library.max_file_bytes()) + " bytes.",
                    {{"file", "is larger than " + std::to_string(library.max_file_bytes()) + " bytes"}});
    return std::to_string(who.user_id);
  };
  router.add_upload("PUT", "/api/v1/library/contributions/{id}/versions/{lang}", admit,
                    guard([&library](Request& req, const Principal& who) {
                      req.refuse_unknown_params({"translation", "filename"});
                      std::string bytes = req.body;
                      if (!req.body_file.empty()) {
                        std::error_code ec;
                        const auto size = std::filesystem::file_size(req.body_file, ec);
                        if (ec || size > library.max_file_bytes())
                          throw Problem(413, "payload-too-large", "File too large",
                                        "The limit is " + std::to_string(library.max_file_bytes()) + " bytes.",
                                        {{"file", "is larger than " + std::to_string(library.max_file_bytes()) + " bytes"}});
                        std::ifstream in(req.body_file, std::ios::binary);
                        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
                      }
                      return Response::json(library.add_version(who, req.id_param("id"), req.param("lang"),
                                                                req.query_param("translation").value_or("original"),
                                                                req.query_param("filename").value_or("document"), bytes));
                    }));
  router.add("GET", "/api/v1/library/contributions/{id}/versions/{lang}/file",
             guard([&library](Request& req, const Principal& who) {
               auto d = library.file(who, req.id_param("id"), req.param("lang"));
               return Response::text(std::move(d.bytes), d.media_type)
                   .with_header("Content-Disposition", http::content_disposition("attachment", d.filename))
                   .with_header("X-Content-Type-Options", "nosniff");
             }));
}

}  // namespace parley::library
