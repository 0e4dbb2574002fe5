#include "exchange/routes.h"

#include <algorithm>
#include <map>

#include "common/text.h"
#include "common/time.h"
#include "crypto/random.h"

namespace parley::exchange {

using auth::Principal;
using http::Request;
using http::Response;

namespace {

std::string forum_of(const Request& req, const Principal& who) {
  auto forum = req.query_param("forum");
  if (!forum && !who.forum.empty()) forum = who.forum;
  if (!forum || trim(*forum).empty()) throw Problem::bad_request("Name the forum.", {{"forum", "is required"}});
  return to_upper(trim(*forum));
}

// An object's listing entry, its STIX JSON embedded as stored (byte for byte).
void append_entry(std::string& out, const StoredObject& o, const std::string& collection) {
  nlohmann::json meta = {{"id", o.stix_id},
                         {"type", o.type},
                         {"name", o.name},
                         {"tlp", std::string(marking_of(o.tlp).label)},
                         {"version", o.taxii_version()},
                         {"collection", collection},
                         {"date_added", taxii_timestamp(o.added_us)},
                         {"producer_state", o.producer_state}};
  auto text = meta.dump();
  text.pop_back();
  out += text;
  out += ",\"object\":";
  out += o.body;
  out += '}';
}

// `opening` + the objects' entries (with their collections' ids) + "]}".
std::string entries(std::string opening, const std::vector<StoredObject>& found, const std::vector<CollectionView>& views) {
  std::map<std::int64_t, std::string> uuids;
  for (const auto& v : views) uuids[v.collection.pk] = v.collection.id;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i) opening += ',';
    append_entry(opening, found[i], uuids[found[i].collection_pk]);
  }
  return opening + "]}";
}

ObjectFilter api_filter(const Request& req) {
  req.refuse_unknown_params({"forum", "collection", "type", "q", "tlp", "limit"});
  ObjectFilter f;
  std::vector<FieldError> errors;
  if (auto t = req.query_param("type")) f.types = split(*t, ',');
  if (auto q = req.query_param("q")) {
    f.text = trim(*q);
    if (f.text.size() > 200) errors.push_back({"q", "is longer than 200 characters"});
  }
  if (auto t = req.query_param("tlp")) {
    f.tlp = tlp_from_label(*t);
    if (!f.tlp) errors.push_back({"tlp", "must be a TLP 2.0 label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)"});
  }
  f.limit = static_cast<std::size_t>(req.int_query("limit", 100, 1, 1000));
  if (!errors.empty()) throw Problem::bad_request("Some query parameters are not valid.", std::move(errors));
  return f;
}

nlohmann::json view_json(const CollectionView& v) {
  auto j = to_json(v.collection);
  j["can_read"] = v.rights.read;
  j["can_write"] = v.rights.write;
  nlohmann::json labels = nlohmann::json::array();
  for (int t : v.rights.tlps) labels.push_back(std::string(marking_of(static_cast<Tlp>(t)).label));
  j["tlp_visible"] = labels;
  return j;
}

nlohmann::json outcome_json(const IngestOutcome& o) {
  nlohmann::json ok = nlohmann::json::array(), bad = nlohmann::json::array();
  for (const auto& s : o.successes) ok.push_back({{"id", s.id}, {"version", s.version}, {"duplicate", s.duplicate}});
  for (const auto& f : o.failures)
    bad.push_back({{"id", f.id}, {"index", f.index}, {"property", f.property}, {"rule", f.rule}});
  return {{"total", o.total}, {"stored", o.stored},     {"duplicates", o.duplicates},
          {"rejected", o.rejected}, {"successes", ok}, {"failures", bad}};
}

}  // namespace

void add_routes(http::Router& router, ExchangeService& exchange, const auth::Guard& guard) {
  router.add("GET", "/api/v1/exchange/collections", guard([&exchange](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : exchange.collections(who, forum_of(req, who))) list.push_back(view_json(v));
    return Response::json({{"collections", list}});
  }));
  router.add("POST", "/api/v1/exchange/collections", guard([&exchange](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    const auto forum = forum_of(req, who);
    auto in = req.json();
    auto c = CollectionInput::parse(in);
    auto v = exchange.create_collection(who, forum, c);
    return Response::json(view_json(v), 201).with_header("Location", "/api/v1/exchange/collections/" + v.collection.id);
  }));

  // Stores a STIX bundle in a collection (the forum-wide one unless ?collection=).
  // Who may write there is settled on the headers, before the body is read.
  const auto admit_bundle = [&exchange, &guard](Request& req) {
    const auto who = guard.authenticate(req);
    req.refuse_unknown_params({"forum", "collection"});
    const auto forum = forum_of(req, who);
    const auto cid = req.query_param("collection");
    const auto view = exchange.collection(who, forum, cid ? *cid : exchange.forum_collection(forum).id);
    if (!view.rights.write) throw Problem::forbidden("You may read this collection but not add to it.");
    return std::to_string(who.user_id);
  };
  router.add_upload("POST", "/api/v1/exchange/objects", admit_bundle, guard([&exchange](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "collection"});
    const auto ct = to_lower(req.header("content-type"));
    if (ct.find("json") == std::string::npos)
      throw Problem(415, "unsupported-media-type", "Unsupported media type", "Send a STIX 2.1 bundle as JSON.",
                    {{"Content-Type", "must be application/json or application/stix+json"}});
    const auto forum = forum_of(req, who);
    const auto cid = req.query_param("collection");
    auto view = exchange.collection(who, forum, cid ? *cid : exchange.forum_collection(forum).id);
    IngestOutcome out;
    try {
      auto reader = req.body_file.empty() ? BundleReader::of(req.body) : BundleReader::from_file(req.body_file);
      out = exchange.ingest(who, view, reader, false);
    } catch (const BundleError& e) {
      throw Problem::bad_request("The body is not a STIX bundle.", {{"objects", e.what()}});
    }
    if (out.total == 0) throw Problem::invalid("objects", "the bundle has no objects");
    if (out.stored + out.duplicates == 0) {
      std::vector<FieldError> errors;
      for (const auto& f : out.failures)
        errors.push_back({"objects." + std::to_string(f.index) + (f.property.empty() ? "" : "." + f.property),
                          (f.id.empty() ? "" : f.id + ": ") + f.rule});
      throw Problem::invalid(std::move(errors));
    }
    return Response::json(outcome_json(out), out.rejected ? 200 : 201);
  }));

  router.add("GET", "/api/v1/exchange/objects", guard([&exchange](Request& req, const Principal& who) {
    auto f = api_filter(req);
    const auto forum = forum_of(req, who);
    const auto views = exchange.collections(who, forum);
    std::vector<StoredObject> found;
    if (auto cid = req.query_param("collection"))
      found = exchange.objects(who, exchange.collection(who, forum, *cid), f).objects;
    else
      found = exchange.search(who, views, f);
    return Response::text(entries("{\"objects\":[", found, views), "application/json");
  }));

  router.add("GET", "/api/v1/exchange/objects/{id}", guard([&exchange](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    const auto forum = forum_of(req, who);
    ObjectFilter f;
    f.ids = {req.param("id")};
    f.versions = {"all"};
    f.limit = 1000;
    const auto views = exchange.collections(who, forum);
    auto found = exchange.search(who, views, f);
    if (found.empty()) throw Problem::not_found("There is no object " + req.param("id") + " shared with you in " + forum + ".");
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.pk < b.pk; });
    return Response::text(entries("{\"id\":" + nlohmann::json(req.param("id")).dump() + ",\"versions\":[", found, views),
                          "application/json");
  }));

  // A STIX bundle of the latest version of everything the caller may read in the forum
  // (or one collection), with the TLP marking definitions it uses.
  router.add("GET", "/api/v1/exchange/export", guard([&exchange](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum", "collection", "type"});
    const auto forum = forum_of(req, who);
    ObjectFilter f;
    if (auto t = req.query_param("type")) f.types = split(*t, ',');
    f.limit = 100000;
    std::vector<CollectionView> views;
    if (auto cid = req.query_param("collection")) views.push_back(exchange.collection(who, forum, *cid));
    else views = exchange.collections(who, forum);
    std::string objects;
    bool used[5] = {};
    for (const auto& v : views) {
      if (!v.rights.read) continue;
      ObjectFilter g = f;
      for (;;) {
        auto page = exchange.objects(who, v, g);
        for (const auto& o : page.objects) {
          if (tlp_from_marking_id(o.stix_id)) continue;   // the standard definitions come first, once
          if (!objects.empty()) objects += ',';
          objects += o.body;
          used[static_cast<int>(o.tlp)] = true;
        }
        if (!page.more) break;
        g.after = page.next;
      }
    }
    std::string body = "{\"type\":\"bundle\",\"id\":\"bundle--" + crypto::uuid4() + "\",\"objects\":[";
    bool first = true;
    for (int t = 0; t < 5; ++t)
      if (used[t]) {
        body += first ? "" : ",";
        body += marking_of(static_cast<Tlp>(t)).json;
        first = false;
      }
    if (!objects.empty()) body += (first ? "" : ",") + objects;
    body += "]}";
    return Response::text(std::move(body), "application/json")
        .with_header("Content-Disposition", http::content_disposition("attachment", "parley-" + to_lower(forum) + "-stix.json"));
  }));
}

}  // namespace parley::exchange
