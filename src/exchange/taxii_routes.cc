// TAXII 2.1 (OASIS, 2021), sections 4 (discovery, API roots, status) and 5
// (collections, objects, manifest, versions).
#include <algorithm>
#include <memory>

#include "common/text.h"
#include "common/versioned_cache.h"
#include "directory/membership.h"
#include "exchange/routes.h"
#include "exchange/stix_validate.h"
#include "exchange/taxii_filter.h"

namespace parley::exchange {

using auth::Principal;
using http::Request;
using http::Response;

namespace {

constexpr const char* kTaxii = "application/taxii+json;version=2.1";
constexpr const char* kStix = "application/stix+json;version=2.1";

std::string squeeze(std::string s) {
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; }), s.end());
  return to_lower(s);
}

// 406 unless the Accept header admits TAXII 2.1 (no header admits anything).
void check_accept(const Request& req) {
  const auto accept = req.header("accept");
  if (accept.empty()) return;
  for (auto& part : split(accept, ',')) {
    auto m = squeeze(part);
    // drop a quality parameter, keep version
    if (auto q = m.find(";q="); q != std::string::npos) m = m.substr(0, q);
    if (m == "application/taxii+json;version=2.1" || m == "application/taxii+json" || m == "*/*" ||
        m == "application/*")
      return;
  }
  throw Problem(406, "not-acceptable", "Not acceptable",
                "This TAXII server answers with application/taxii+json;version=2.1.",
                {{"Accept", "must admit application/taxii+json;version=2.1"}});
}

void check_content_type(const Request& req) {
  const auto ct = squeeze(req.header("content-type"));
  if (ct != "application/taxii+json;version=2.1" && ct != "application/taxii+json")
    throw Problem(415, "unsupported-media-type", "Unsupported media type",
                  "POST an envelope as application/taxii+json;version=2.1.",
                  {{"Content-Type", "must be application/taxii+json;version=2.1"}});
}

Response taxii_json(const nlohmann::json& j, int status = 200) {
  auto r = Response::json(j, status);
  r.content_type = kTaxii;
  return r;
}
Response taxii_text(std::string body, int status = 200) { return Response::text(std::move(body), kTaxii, status); }

// TAXII's error message (section 3.6.1), which also carries RFC 9457's members so that
// one shape serves TAXII clients and Parley's own.
Response taxii_error(const Problem& p, const std::string& instance) {
  nlohmann::json errors = nlohmann::json::array();
  nlohmann::json details = nlohmann::json::object();
  for (const auto& e : p.errors()) {
    errors.push_back({{"field", e.field}, {"reason", e.reason}});
    details[e.field] = e.reason;
  }
  nlohmann::json j = {{"title", p.title()},
                      {"description", p.detail()},
                      {"http_status", std::to_string(p.status())},
                      {"error_code", p.slug()},
                      {"type", "urn:parley:problem:" + p.slug()},
                      {"status", p.status()},
                      {"detail", p.detail()},
                      {"instance", instance}};
  if (!p.errors().empty()) {
    j["errors"] = errors;
    j["details"] = details;
  }
  auto r = taxii_json(j, p.status());
  if (p.status() == 401) r.with_header("WWW-Authenticate", "Basic realm=\"Parley TAXII\", charset=\"UTF-8\"");
  if (!p.retry_after.empty()) r.with_header("Retry-After", p.retry_after);
  return r;
}

// Every TAXII route: Accept checked first, errors as TAXII error messages.
http::Handler taxii(http::Handler h) {
  return [h = std::move(h)](Request& req) {
    try {
      check_accept(req);
      return h(req);
    } catch (const Problem& p) {
      return taxii_error(p, req.path);
    }
  };
}

// A page of objects as sent: its envelope, serialized once, and its date-added headers.
struct SentPage {
  std::shared_ptr<const std::string> body;
  std::string first, last;   // X-TAXII-Date-Added-First/-Last; "" for an empty page
};

void set_dates(SentPage& out, const ObjectPage& page) {
  if (page.objects.empty()) return;
  std::int64_t first = page.objects.front().added_us, last = first;
  for (const auto& o : page.objects) {
    first = std::min(first, o.added_us);
    last = std::max(last, o.added_us);
  }
  out.first = taxii_timestamp(first);
  out.last = taxii_timestamp(last);
}

Response with_date_headers(Response r, const SentPage& page) {
  if (page.first.empty()) return r;
  r.with_header("X-TAXII-Date-Added-First", page.first);
  r.with_header("X-TAXII-Date-Added-Last", page.last);
  return r;
}

Response with_date_headers(Response r, const ObjectPage& page) {
  SentPage dates;
  set_dates(dates, page);
  return with_date_headers(std::move(r), dates);
}

// Written into one buffer sized up front: a 1,000-object page is some 460 KB, and
// growing it by doubling cost copies and fresh pages from the kernel at each step.
std::string envelope(const ObjectPage& page) {
  std::size_t size = 64;
  for (const auto& o : page.objects) size += o.body.size() + 1;
  std::string body;
  body.reserve(size);
  if (page.more) body.append("{\"more\":true,\"next\":\"").append(page.next->text()).append("\"");
  else body.append("{\"more\":false");
  if (!page.objects.empty()) {
    body += ",\"objects\":[";
    for (std::size_t i = 0; i < page.objects.size(); ++i) {
      if (i) body += ',';
      body += page.objects[i].body;
    }
    body += ']';
  }
  body += '}';
  return body;
}

SentPage sent_page(const ObjectPage& page) {
  SentPage out;
  out.body = std::make_shared<const std::string>(envelope(page));
  set_dates(out, page);
  return out;
}

// Pages of objects already sent, for a caller that asks for the same page again while
// nothing has changed (TAXII clients poll a collection). Keyed on the caller — what a
// page holds depends on who reads it — and the request target (collection, filters,
// cursor); an entry is valid only at the database generation it was built at, so any
// write (an object added or removed, a right changed) makes it a miss. At most 32 pages
// of at most 1 MiB. The collection and the caller's right to read it are checked on
// every request, hit or miss. Thread-safe (VersionedCache).
using PageCache = VersionedCache<std::shared_ptr<const SentPage>>;
constexpr std::size_t kCachedPageMax = 1 << 20;

nlohmann::json collection_json(const CollectionView& v) {
  return {{"id", v.collection.id},
          {"title", v.collection.title},
          {"description", v.collection.description},
          {"can_read", v.rights.read},
          {"can_write", v.rights.write},
          {"media_types", {kStix}}};
}

// The API root is the forum; only its member states' people and its secretariat see it.
std::string root_of(const Request& req, const Principal& who, ExchangeService& ex) {
  const auto forum = to_upper(req.param("root"));
  auto views = ex.collections(who, forum);
  if (views.empty()) throw Problem::not_found("There is no API root " + req.param("root") + " for you.");
  return forum;
}

}  // namespace

void add_taxii_routes(http::Router& router, ExchangeService& ex, const auth::Guard& guard,
                      std::size_t max_content_length) {
  router.add("GET", "/taxii2", taxii(guard([&ex](Request&, const Principal& who) {
    // The forums whose API roots the caller can use: its state's forums or its secretariat's.
    std::vector<std::string> roots;
    ex.db().read([&](storage::Connection& c) {
      if (!who.forum.empty()) roots.push_back(who.forum);
      if (!who.state.empty())
        for (const auto& f : directory::membership::forums_of(c, who.state))
          if (std::find(roots.begin(), roots.end(), f) == roots.end()) roots.push_back(f);
    });
    nlohmann::json urls = nlohmann::json::array();
    for (const auto& f : roots) urls.push_back("/taxii2/" + f + "/");
    nlohmann::json j = {{"title", "Parley TAXII 2.1"},
                        {"description", "Threat exchange of the forums Parley serves: one API root per forum."},
                        {"api_roots", urls}};
    if (!roots.empty()) j["default"] = "/taxii2/" + roots.front() + "/";
    return taxii_json(j);
  })));

  router.add("GET", "/taxii2/{root}", taxii(guard([&ex, max_content_length](Request& req, const Principal& who) {
    const auto forum = root_of(req, who, ex);
    std::string title = forum;
    ex.db().read([&](storage::Connection& c) {
      if (const auto f = directory::membership::forum(c, forum)) title = f->name;
    });
    return taxii_json({{"title", title},
                       {"description", "Threat exchange of " + title + " (" + forum + ")."},
                       {"versions", {kTaxii}},
                       {"max_content_length", max_content_length}});
  })));

  router.add("GET", "/taxii2/{root}/status/{id}", taxii(guard([&ex](Request& req, const Principal& who) {
    return taxii_json(ex.status(who, root_of(req, who, ex), req.param("id")));
  })));

  router.add("GET", "/taxii2/{root}/collections", taxii(guard([&ex](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : ex.collections(who, to_upper(req.param("root")))) list.push_back(collection_json(v));
    if (list.empty()) throw Problem::not_found("There is no API root " + req.param("root") + " for you.");
    return taxii_json({{"collections", list}});
  })));

  router.add("GET", "/taxii2/{root}/collections/{id}", taxii(guard([&ex](Request& req, const Principal& who) {
    return taxii_json(collection_json(ex.collection(who, to_upper(req.param("root")), req.param("id"))));
  })));

  auto pages = std::make_shared<PageCache>(32);
  router.add("GET", "/taxii2/{root}/collections/{id}/objects", taxii(guard([&ex, pages](Request& req, const Principal& who) {
    auto f = taxii_filter(req, {"added_after", "limit", "next", "match[id]", "match[type]", "match[version]",
                                "match[spec_version]"});
    f.envelope_only = true;
    const auto generation = ex.db().generation();   // before the data is read
    auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
    if (!v.rights.read) throw Problem::forbidden("You may add to this collection but not read it.");
    const auto key = std::to_string(who.user_id) + "|" + std::string(auth::role_name(who.role)) + "|" + who.state + "|" +
                     who.forum + "|" + req.target;
    auto sent = pages->get(key, generation);
    if (!sent) {
      sent = std::make_shared<const SentPage>(sent_page(ex.objects(who, v, f)));
      if ((*sent)->body->size() <= kCachedPageMax) pages->put(key, generation, *sent);
    }
    return with_date_headers(Response::shared((*sent)->body, kTaxii), **sent);
  })));

  // Who may add to the collection is settled on the headers, before the body is read.
  // Refusals are TAXII errors, as every answer of the TAXII server is.
  const auto admit_envelope = [&ex, &guard](Request& req) {
    try {
      check_accept(req);
      const auto who = guard.authenticate(req);
      const auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
      if (!v.rights.write) throw Problem::forbidden("You may read this collection but not add to it.");
      return std::to_string(who.user_id);
    } catch (const Problem& p) {
      throw http::Refused{taxii_error(p, req.path)};
    }
  };
  router.add_upload("POST", "/taxii2/{root}/collections/{id}/objects", admit_envelope, taxii(guard([&ex](Request& req, const Principal& who) {
    check_content_type(req);
    req.refuse_unknown_params({});
    auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
    IngestOutcome out;
    try {
      auto reader = req.body_file.empty() ? BundleReader::of(req.body) : BundleReader::from_file(req.body_file);
      out = ex.ingest(who, v, reader, true);
    } catch (const BundleError& e) {
      throw Problem::bad_request("The body is not a TAXII envelope.", {{"objects", e.what()}});
    }
    return taxii_json(ex.status(who, v.collection.forum, out.status_id), 202);
  })));

  router.add("GET", "/taxii2/{root}/collections/{id}/objects/{object_id}",
             taxii(guard([&ex](Request& req, const Principal& who) {
               auto f = taxii_filter(req, {"added_after", "limit", "next", "match[version]", "match[spec_version]"});
               auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
               f.ids = {req.param("object_id")};
               f.envelope_only = true;
               auto page = ex.objects(who, v, f);
               if (page.objects.empty() && !f.after)
                 throw Problem::not_found("There is no object " + req.param("object_id") + " in this collection.");
               return with_date_headers(taxii_text(envelope(page)), page);
             })));

  router.add("DELETE", "/taxii2/{root}/collections/{id}/objects/{object_id}",
             taxii(guard([&ex](Request& req, const Principal& who) {
               auto f = taxii_filter(req, {"match[version]", "match[spec_version]"});
               auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
               ex.remove(who, v, req.param("object_id"), f);
               // TAXII specifies no body; an empty object keeps clients that parse
               // every answer as JSON (older taxii2-client releases) working.
               return taxii_text("{}", 200);
             })));

  router.add("GET", "/taxii2/{root}/collections/{id}/objects/{object_id}/versions",
             taxii(guard([&ex](Request& req, const Principal& who) {
               auto f = taxii_filter(req, {"added_after", "limit", "next", "match[spec_version]"});
               auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
               auto page = ex.versions(who, v, req.param("object_id"), f);
               nlohmann::json versions = nlohmann::json::array();
               for (const auto& o : page.objects) versions.push_back(o.taxii_version());
               nlohmann::json j = {{"more", page.more}};
               if (page.more) j["next"] = page.next->text();
               if (!versions.empty()) j["versions"] = versions;
               return with_date_headers(taxii_json(j), page);
             })));

  router.add("GET", "/taxii2/{root}/collections/{id}/manifest", taxii(guard([&ex](Request& req, const Principal& who) {
    auto f = taxii_filter(req, {"added_after", "limit", "next", "match[id]", "match[type]", "match[version]",
                                "match[spec_version]"});
    auto v = ex.collection(who, to_upper(req.param("root")), req.param("id"));
    auto page = ex.objects(who, v, f);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& o : page.objects)
      list.push_back({{"id", o.stix_id},
                      {"date_added", taxii_timestamp(o.added_us)},
                      {"version", o.taxii_version()},
                      {"media_type", kStix}});
    nlohmann::json j = {{"more", page.more}};
    if (page.more) j["next"] = page.next->text();
    if (!list.empty()) j["objects"] = list;
    return with_date_headers(taxii_json(j), page);
  })));
}

}  // namespace parley::exchange
