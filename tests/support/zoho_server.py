"""A local stand-in for Zoho's REST APIs, written from zoho-tasks.md, for deluge-lang's tests.

Python standard library only. Listens on 127.0.0.1 on an ephemeral port, prints `READY <port>`
once serving and exits when its standard input closes. Every API request is logged on stdout as
`REQUEST <json>` (method, path, query, headers that matter, body), which the tests read.

One server stands in for every product, as a service with `--api-base` does (§1.6):
  /oauth/v2/token                         client_credentials and refresh_token grants
  /crm/v2/..., /crm/v8/...                CRM records, search, related, upsert, attachments, convert
  /books/v3/..., /inventory/v1/...        Books and Inventory (organization_id=99)
  /api/v2/{owner}/{app}/...               Creator V2 (owner ada, app shop)
  /creator/v2.1/data/{owner}/{app}/...    Creator V2.1
  /api/v1/...                             Desk (header orgId: 7)
Data lives in memory; replies and error bodies follow Zoho's shapes. The CRM module `Broken`
answers HTML (not JSON) and `Slow` answers after 30 s.

Tokens: the token endpoint issues `tok-<n>`; API calls need `Authorization: Zoho-oauthtoken
<token>` with an issued token, else 401 INVALID_TOKEN. POST /_admin/expire forgets every issued
token. With ZOHO_TOKEN_CHECK_URL set, a token is valid when that URL (an OpenID userinfo
endpoint) accepts it as a Bearer token instead.
"""

import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
TOKENS = set()
COUNTER = [1000]
STAMP = "2024-05-02T11:17:33+05:30"
USER = {"name": "Ada Admin", "id": "7000"}


def next_id():
    with LOCK:
        COUNTER[0] += 1
        return str(4150868000000000000 + COUNTER[0])


CRM = {
    "Leads": {
        "42": {"id": "42", "Last_Name": "X", "Company": "Zylker", "Email": "lead@zylker.com",
               "Phone": "555-0100", "Owner": {"name": "A", "id": "7"}},
        "43": {"id": "43", "Last_Name": "Young", "Company": "Acme", "Email": "young@acme.com",
               "Phone": "555-0101", "Owner": {"name": "A", "id": "7"}},
    },
    "Accounts": {
        "300": {"id": "300", "Account_Name": "Zylker", "Phone": "555-0200"},
    },
    "Contacts": {
        "500": {"id": "500", "Last_Name": "Smith", "First_Name": "Ann", "Email": "ann@zylker.com",
                "Mailing_City": "Pune", "Account_Name": {"name": "Zylker", "id": "300"}},
        "501": {"id": "501", "Last_Name": "Jones", "First_Name": "Bob", "Email": "bob@zylker.com",
                "Mailing_City": "Pune", "Account_Name": {"name": "Zylker", "id": "300"}},
    },
    "Deals": {
        "5": {"id": "5", "Deal_Name": "Zylker renewal", "Stage": "Negotiation", "Amount": 1200.5,
              "Account_Name": {"name": "Zylker", "id": "300"},
              "Contact_Name": {"name": "Ann Smith", "id": "500"}},
    },
}
CRM_MANDATORY = {"Leads": "Last_Name", "Contacts": "Last_Name", "Deals": "Deal_Name",
                 "Accounts": "Account_Name"}
CRM_VARIABLES = [{"api_name": "Region", "value": "EMEA", "id": "900"},
                 {"api_name": "Tax_Rate", "value": "18", "id": "901"}]
ATTACHMENTS = []

BOOKS = {
    "contacts": {"460000000026049": {"contact_id": "460000000026049", "contact_name": "Zylker",
                                      "email": "ap@zylker.com", "zcrm_account_id": "300"}},
    "invoices": {"5": {"invoice_id": "5", "customer_id": "460000000026049", "status": "draft",
                       "total": 1200.5, "line_items": [{"name": "Renewal", "rate": 1200.5}]}},
    "items": {"77": {"item_id": "77", "name": "Renewal", "rate": 1200.5}},
    "estimates": {"8": {"estimate_id": "8", "customer_id": "460000000026049", "status": "draft"}},
    "transferorders": {"12": {"transfer_order_id": "12", "line_items": [{"item_id": "77", "quantity_transfer": 2}]}},
    "salesorders": {},
}
SINGULAR = {"contacts": "contact", "invoices": "invoice", "items": "item", "estimates": "estimate",
            "transferorders": "transfer_order", "salesorders": "salesorder"}
ORG = "99"

CREATOR = {"All_Orders": {"3001": {"ID": "3001", "Name": "Ada", "CRM_ID": "500", "Qty": 2}}}
CREATOR_FORMS = {"Order": "All_Orders"}

DESK = {
    "tickets": {"8": {"id": "8", "ticketNumber": "7", "subject": "Printer jammed", "status": "Open",
                      "contactId": "600", "departmentId": "1", "email": "ann@zylker.com"}},
    "contacts": {"600": {"id": "600", "lastName": "Smith", "email": "ann@zylker.com"}},
}
DESK_COMMENTS = []
DESK_ORG = "7"


def log(entry):
    sys.stdout.write("REQUEST " + json.dumps(entry, sort_keys=True) + "\n")
    sys.stdout.flush()


def crm_error(code, message, details=None, status="error"):
    return {"code": code, "details": details or {}, "message": message, "status": status}


def criteria_matches(record, criteria):
    """(Field:operator:value) joined with and/or; equals and starts_with."""
    groups = re.findall(r"\(([^:()]+):([a-z_]+):((?:\\.|[^()\\])*)\)", criteria)
    if not groups:
        return None
    joiner = "or" if re.search(r"\)\s*or\s*\(", criteria) else "and"
    results = []
    for field, op, value in groups:
        value = re.sub(r"\\(.)", r"\1", value)
        actual = record.get(field)
        if isinstance(actual, dict):
            actual = actual.get("id")
        actual = "" if actual is None else str(actual)
        if op == "equals":
            results.append(actual.lower() == value.lower())
        elif op == "starts_with":
            results.append(actual.lower().startswith(value.lower()))
        else:
            results.append(False)
    return any(results) if joiner == "or" else all(results)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # -- plumbing ---------------------------------------------------------------------------
    def reply(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def token_ok(self):
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("Zoho-oauthtoken "):
            return False
        token = auth[len("Zoho-oauthtoken "):]
        check = os.environ.get("ZOHO_TOKEN_CHECK_URL")
        if check:
            request = urllib.request.Request(check, headers={"Authorization": "Bearer " + token})
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    return answer.status == 200
            except (urllib.error.URLError, OSError):
                return False
        with LOCK:
            return token in TOKENS

    def handle_any(self, method):
        parsed = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parsed.path)
        segments = [urllib.parse.unquote(s) for s in parsed.path.split("/") if s]
        query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        raw = self.read_body()
        if path == "/oauth/v2/token":
            return self.token(raw)
        if path == "/_admin/expire":
            with LOCK:
                TOKENS.clear()
            return self.reply(200, {"expired": True})
        content_type = self.headers.get("Content-Type") or ""
        body = None
        if raw and "json" in content_type:
            body = json.loads(raw)
        elif raw and "multipart" in content_type:
            body = {"multipart": parse_multipart(raw, content_type)}
        elif raw:
            body = raw.decode("utf-8", "replace")
        log({"method": method, "path": path, "query": query, "body": body,
             "authorization": self.headers.get("Authorization"),
             "orgId": self.headers.get("orgId"), "environment": self.headers.get("environment"),
             "content_type": content_type or None})
        if not self.token_ok():
            return self.reply(401, crm_error("INVALID_TOKEN", "invalid oauth token"))
        try:
            if segments[:1] == ["crm"] and len(segments) >= 3:
                return self.crm(method, segments[2:], query, body)
            if segments[:2] in (["books", "v3"], ["inventory", "v1"]):
                return self.books(method, segments[2:], query, body)
            if segments[:2] == ["api", "v2"] and len(segments) >= 4:
                return self.creator(method, segments[2:], query, body)
            if segments[:3] == ["creator", "v2.1", "data"] and len(segments) >= 5:
                return self.creator(method, segments[3:], query, body)
            if segments[:2] == ["api", "v1"]:
                return self.desk(method, segments[2:], query, body)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
            return self.reply(400, {"code": "INVALID_REQUEST", "message": repr(error)})
        return self.reply(404, {"code": "INVALID_URL_PATTERN", "message": "Please check if the URL trying to access is a correct one", "status": "error", "details": {}})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def token(self, raw):
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        grant = form.get("grant_type")
        if grant not in ("client_credentials", "refresh_token"):
            return self.reply(400, {"error": "unsupported_grant_type"})
        if grant == "refresh_token" and not form.get("refresh_token", "").startswith("refresh-"):
            return self.reply(400, {"error": "invalid_code"})
        token = "tok-" + next_id()[-6:]
        with LOCK:
            TOKENS.add(token)
        host = self.headers.get("Host")
        sys.stdout.write("EVENT token " + grant + "\n")
        sys.stdout.flush()
        return self.reply(200, {"access_token": token, "refresh_token": "refresh-" + token,
                                "api_domain": "http://" + host, "token_type": "Bearer",
                                "expires_in": 3600})

    # -- CRM ----------------------------------------------------------------------------------
    def crm(self, method, path, query, body):
        if path[:2] == ["settings", "variables"]:
            return self.reply(200, {"variables": CRM_VARIABLES})
        module = path[0]
        if module == "Slow":
            time.sleep(30)
        if module == "Broken":
            data = b"<html><body>502 Bad Gateway</body></html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        if module not in CRM:
            return self.reply(400, crm_error("INVALID_MODULE", "the module name given seems to be invalid"))
        records = CRM[module]
        rest = path[1:]
        if method == "GET" and not rest:
            return self.crm_list(list(records.values()), query)
        if method == "GET" and rest == ["search"]:
            return self.crm_search(records, query)
        if method in ("POST", "PUT") and rest in ([], ["upsert"]):
            return self.crm_write(module, method, rest, body)
        record_id = rest[0]
        if record_id not in records and not (module == "Leads" and rest[1:3] == ["actions", "convert"]):
            return self.reply(400, crm_error("INVALID_DATA", "the related id given seems to be invalid",
                                             {"resource_path_index": 1}))
        if method == "GET" and len(rest) == 1:
            return self.reply(200, {"data": [records[record_id]]})
        if method == "PUT" and len(rest) == 1:
            return self.crm_write(module, method, rest, body)
        if method == "DELETE" and len(rest) == 1:
            del records[record_id]
            return self.reply(200, {"data": [{"code": "SUCCESS", "details": {"id": record_id},
                                              "message": "record deleted", "status": "success"}]})
        if rest[1:] == ["Attachments"] and method == "POST":
            return self.crm_attach(record_id, body)
        if rest[1:3] == ["actions", "convert"]:
            return self.crm_convert(record_id, body)
        if len(rest) >= 2:
            return self.crm_related(module, record_id, rest[1:], method, query, body)
        return self.reply(404, crm_error("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"))

    def crm_list(self, records, query):
        page = int(query.get("page", "1"))
        per_page = int(query.get("per_page", "200"))
        chunk = records[(page - 1) * per_page: page * per_page]
        if not chunk:
            return self.reply(204)
        fields = query.get("fields")
        if fields:
            names = fields.split(",") + ["id"]
            chunk = [{k: v for k, v in r.items() if k in names} for r in chunk]
        more = len(records) > page * per_page
        return self.reply(200, {"data": chunk, "info": {"per_page": per_page, "count": len(chunk),
                                                         "page": page, "more_records": more}})

    def crm_search(self, records, query):
        criteria = query.get("criteria")
        keys = [k for k in ("email", "phone", "word") if k in query]
        if criteria is None and not keys:
            return self.reply(400, crm_error("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                                             {"param": "criteria"}))
        found = []
        for record in records.values():
            if criteria is not None:
                matched = criteria_matches(record, criteria)
                if matched is None:
                    return self.reply(400, crm_error("INVALID_QUERY", "invalid query formed",
                                                     {"reason": "invalid criteria"}))
                if not matched:
                    continue
            if "email" in query and not any(str(v).lower() == query["email"].lower()
                                            for k, v in record.items() if "Email" in k):
                continue
            if "phone" in query and not any(str(v) == query["phone"] for k, v in record.items() if "Phone" in k):
                continue
            if "word" in query and query["word"].lower() not in json.dumps(record).lower():
                continue
            found.append(record)
        return self.crm_list(found, query)

    def crm_write(self, module, method, rest, body):
        items = []
        all_ok = True
        checks = body.get("duplicate_check_fields") or ["Email"]
        for values in body["data"]:
            item = self.crm_write_one(module, method, rest, values, checks)
            all_ok = all_ok and item["status"] == "success"
            items.append(item)
        if all_ok:
            status = 201 if method == "POST" and rest != ["upsert"] else 200
        else:
            status = 400 if len(items) == 1 else 207
        return self.reply(status, {"data": items})

    def crm_write_one(self, module, method, rest, values, checks):
        records = CRM[module]
        target = None
        action = "insert"
        if method == "PUT":
            target = rest[0] if rest else values.get("id")
            if target not in records:
                return crm_error("INVALID_DATA", "the id given seems to be invalid", {"id": target})
            action = "update"
        elif rest == ["upsert"]:
            for record in records.values():
                if values.get("id") == record["id"] or any(
                        f in values and record.get(f) == values[f] for f in checks):
                    target = record["id"]
                    action = "update"
                    break
        if action == "insert":
            mandatory = CRM_MANDATORY.get(module)
            if mandatory and not values.get(mandatory):
                return crm_error("MANDATORY_NOT_FOUND", "required field not found", {"api_name": mandatory})
            target = next_id()
            records[target] = {"id": target}
        records[target].update({k: v for k, v in values.items() if k != "id"})
        details = {"Modified_Time": STAMP, "Modified_By": USER, "Created_Time": STAMP, "id": target,
                   "Created_By": USER}
        message = "record added" if action == "insert" else "record updated"
        item = {"code": "SUCCESS", "details": details, "message": message, "status": "success"}
        if rest == ["upsert"]:
            item["action"] = action
            item["duplicate_field"] = None if action == "insert" else checks[0]
        return item

    def crm_attach(self, record_id, body):
        parts = (body or {}).get("multipart") or []
        files = [p for p in parts if p.get("filename")]
        if not files:
            return self.reply(400, {"data": [crm_error("INVALID_DATA", "the file is missing")]})
        attachment = {"id": next_id(), "File_Name": files[0]["filename"], "Parent_Id": record_id,
                      "Size": len(files[0]["content"])}
        ATTACHMENTS.append(attachment)
        details = {"Modified_Time": STAMP, "Modified_By": USER, "Created_Time": STAMP,
                   "id": attachment["id"], "Created_By": USER}
        return self.reply(200, {"data": [{"code": "SUCCESS", "details": details,
                                          "message": "attachment uploaded successfully",
                                          "status": "success"}]})

    def crm_convert(self, lead_id, body):
        lead = CRM["Leads"].get(lead_id)
        if lead is None:
            return self.reply(400, crm_error("INVALID_DATA", "the id given seems to be invalid", {"id": lead_id}))
        values = (body or {}).get("data", [{}])[0]
        account = values.get("Accounts") or next_id()
        CRM["Accounts"].setdefault(account, {"id": account, "Account_Name": lead.get("Company")})
        contact = next_id()
        CRM["Contacts"][contact] = {"id": contact, "Last_Name": lead.get("Last_Name"),
                                    "Email": lead.get("Email"),
                                    "Account_Name": {"name": lead.get("Company"), "id": account}}
        deal = None
        if isinstance(values.get("Deals"), dict):
            deal = next_id()
            CRM["Deals"][deal] = dict(values["Deals"], id=deal)
        del CRM["Leads"][lead_id]
        return self.reply(200, {"data": [{"Contacts": contact, "Deals": deal, "Accounts": account}]})

    def crm_related(self, module, record_id, rest, method, query, body):
        relation = rest[0]
        if relation not in CRM:
            return self.reply(400, crm_error("INVALID_DATA", "the related name given seems to be invalid",
                                             {"resource_path_index": 2}))
        related = [r for r in CRM[relation].values()
                   if any(isinstance(v, dict) and v.get("id") == record_id for v in r.values())]
        if method == "GET" and len(rest) == 1:
            return self.crm_list(related, query)
        if method == "PUT" and len(rest) == 2:
            related_id = rest[1]
            if related_id not in CRM[relation]:
                return self.reply(400, {"data": [crm_error("INVALID_DATA", "the id given seems to be invalid",
                                                           {"id": related_id})]})
            CRM[relation][related_id].update(body["data"][0])
            return self.reply(200, {"data": [{"code": "SUCCESS", "details": {"id": related_id},
                                              "message": "relation updated", "status": "success"}]})
        return self.reply(404, crm_error("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"))

    # -- Books and Inventory -----------------------------------------------------------------
    def books(self, method, path, query, body):
        if path == ["organizations"]:
            return self.reply(200, {"code": 0, "message": "success",
                                    "organizations": [{"organization_id": ORG, "name": "Zylker"}]})
        if query.get("organization_id") != ORG:
            return self.reply(400, {"code": 6041, "message": "This user is not associated with the CompanyID/CompanyName:%s." % query.get("organization_id")})
        module = path[0]
        if module not in BOOKS:
            return self.reply(404, {"code": 5, "message": "Invalid URL Passed"})
        records = BOOKS[module]
        singular = SINGULAR[module]
        key = singular + "_id"
        rest = path[1:]
        if rest == ["templates"]:
            return self.reply(200, {"code": 0, "message": "success",
                                    "templates": [{"template_id": "1", "template_name": "Standard"}]})
        if method == "GET" and not rest:
            filters = {k: v for k, v in query.items() if k not in ("organization_id", "page", "per_page")}
            found = [r for r in records.values() if all(str(r.get(k)) == v for k, v in filters.items())]
            return self.reply(200, {"code": 0, "message": "success", module: found,
                                    "page_context": {"page": 1, "per_page": 200, "has_more_page": False}})
        if method == "POST" and not rest:
            if module == "invoices" and not body.get("customer_id"):
                return self.reply(400, {"code": 4, "message": "Invalid value passed for customer_id"})
            new_id = next_id()
            record = dict(body, **{key: new_id})
            if module == "invoices":
                record.setdefault("status", "draft")
            records[new_id] = record
            return self.reply(201, {"code": 0, "message": "The %s has been created." % singular.replace("_", " "),
                                    singular: record})
        record_id = rest[0]
        if record_id not in records:
            return self.reply(404, {"code": 1002, "message": "%s does not exist." % singular.capitalize()})
        if method == "GET" and len(rest) == 1:
            return self.reply(200, {"code": 0, "message": "success", singular: records[record_id]})
        if method == "PUT" and len(rest) == 1:
            records[record_id].update(body)
            return self.reply(200, {"code": 0, "message": "%s information has been updated." % singular.capitalize(),
                                    singular: records[record_id]})
        if method == "POST" and len(rest) == 3 and rest[1] == "status":
            allowed = {"invoices": ["void", "sent", "draft"], "estimates": ["accepted", "declined", "sent"]}
            if rest[2] not in allowed.get(module, []):
                return self.reply(400, {"code": 4, "message": "Invalid status %s" % rest[2]})
            records[record_id]["status"] = rest[2]
            return self.reply(200, {"code": 0, "message": "%s status has been changed to %s." % (singular.capitalize(), rest[2].capitalize())})
        return self.reply(404, {"code": 5, "message": "Invalid URL Passed"})

    # -- Creator -----------------------------------------------------------------------------
    def creator(self, method, path, query, body):
        owner, app, kind, name = path[0], path[1], path[2], path[3]
        rest = path[4:]
        if (owner, app) != ("ada", "shop"):
            return self.reply(404, {"code": 2892, "message": "No application named %s found for %s." % (app, owner)})
        if kind == "form":
            report = CREATOR_FORMS.get(name)
            if report is None or method != "POST":
                return self.reply(404, {"code": 3330, "message": "No form named %s found." % name})
            data = body.get("data")
            if isinstance(data, list):
                return self.reply(200, {"result": [self.creator_add(report, d) for d in data]})
            return self.reply(200, self.creator_add(report, data))
        records = CREATOR.get(name)
        if records is None:
            return self.reply(404, {"code": 3330, "message": "No report named %s found." % name})
        if method == "GET" and not rest:
            found = [r for r in records.values() if creator_matches(r, query.get("criteria", ""))]
            start = int(query.get("from", "1")) - 1
            limit = int(query.get("limit", query.get("max_records", "200")))
            found = found[max(start, 0):max(start, 0) + limit]
            if not found:
                return self.reply(200, {"code": 3100, "message": "No Data Available"})
            return self.reply(200, {"code": 3000, "data": found})
        if method == "PATCH" and not rest:
            found = [r for r in records.values() if creator_matches(r, body.get("criteria", ""))]
            if not found:
                return self.reply(200, {"code": 3100, "message": "No Data Available"})
            for record in found:
                record.update(body["data"])
            return self.reply(200, {"result": [{"code": 3000, "data": {"ID": r["ID"]},
                                                "message": "Data Updated Successfully!"} for r in found]})
        record_id = rest[0]
        if record_id not in records:
            return self.reply(200, {"code": 3100, "message": "No Data Available"})
        if method == "GET":
            return self.reply(200, {"code": 3000, "data": records[record_id]})
        if method == "PATCH":
            records[record_id].update(body["data"])
            return self.reply(200, {"code": 3000, "data": {"ID": record_id}, "message": "Data Updated Successfully!"})
        return self.reply(404, {"code": 2945, "message": "Invalid request"})

    def creator_add(self, report, data):
        if not data or not data.get("Name"):
            return {"code": 3001, "error": {"Name": "Enter a value for Name"}, "message": "Data not added"}
        new_id = next_id()
        CREATOR[report][new_id] = dict(data, ID=new_id)
        return {"code": 3000, "data": {"ID": new_id}, "message": "Data Added Successfully!"}

    # -- Desk --------------------------------------------------------------------------------
    def desk(self, method, path, query, body):
        if self.headers.get("orgId") != DESK_ORG:
            return self.reply(400, {"errorCode": "INVALID_DATA", "message": "The orgId header is invalid or missing"})
        module = path[0]
        if module not in DESK:
            return self.reply(404, {"errorCode": "URL_NOT_FOUND", "message": "The URL you requested could not be found"})
        records = DESK[module]
        rest = path[1:]
        if method == "GET" and rest in ([], ["search"]):
            filters = {k: v for k, v in query.items() if k not in ("from", "limit", "sortBy", "include")}
            found = [r for r in records.values() if all(str(r.get(k)) == v for k, v in filters.items())]
            start = int(query.get("from", "0" if rest else "1")) - (0 if rest else 1)
            found = found[max(start, 0):max(start, 0) + int(query.get("limit", "10"))]
            if not found:
                return self.reply(204)
            return self.reply(200, {"data": found})
        if method == "POST" and not rest:
            if module == "tickets":
                missing = [f for f in ("subject", "departmentId") if not body.get(f)]
                if missing or not (body.get("contactId") or body.get("contact")):
                    return self.reply(422, {"errorCode": "INVALID_DATA", "message": "An invalid value has been provided",
                                            "errors": [{"fieldName": "/" + (missing or ["contactId"])[0],
                                                        "errorType": "missing", "errorMessage": ""}]})
            new_id = next_id()
            record = dict(body, id=new_id)
            if module == "tickets":
                record.update(ticketNumber=str(100 + len(records)), status=body.get("status", "Open"))
            records[new_id] = record
            return self.reply(200, record)
        record_id = rest[0]
        if record_id not in records:
            return self.reply(404, {"errorCode": "RESOURCE_NOT_FOUND", "message": "The requested resource does not exist."})
        if method == "GET" and len(rest) == 1:
            return self.reply(200, records[record_id])
        if method == "PATCH" and len(rest) == 1:
            records[record_id].update(body)
            return self.reply(200, records[record_id])
        if method == "POST" and rest[1:] == ["comments"]:
            comment = {"id": next_id(), "content": body.get("content"), "isPublic": body.get("isPublic", False),
                       "ticketId": record_id}
            DESK_COMMENTS.append(comment)
            return self.reply(200, comment)
        return self.reply(404, {"errorCode": "URL_NOT_FOUND", "message": "The URL you requested could not be found"})


def creator_matches(record, criteria):
    criteria = (criteria or "").strip()
    if not criteria:
        return True
    match = re.fullmatch(r'\(?\s*(\w+)\s*(==|!=)\s*"?([^"]*?)"?\s*\)?', criteria)
    if not match:
        return False
    field, op, value = match.groups()
    actual = str(record.get(field, ""))
    return (actual == value) if op == "==" else (actual != value)


def parse_multipart(raw, content_type):
    boundary = content_type.split("boundary=", 1)[1].strip().strip('"').encode()
    parts = []
    for chunk in raw.split(b"--" + boundary):
        if b"\r\n\r\n" not in chunk:
            continue
        head, content = chunk.split(b"\r\n\r\n", 1)
        head = head.decode("utf-8", "replace")
        name = re.search(r'name="([^"]*)"', head)
        filename = re.search(r'filename="([^"]*)"', head)
        parts.append({"name": name.group(1) if name else None,
                      "filename": filename.group(1) if filename else None,
                      "content": content[:-2].decode("utf-8", "replace") if content.endswith(b"\r\n") else content.decode("utf-8", "replace")})
    return parts


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write("READY %d\n" % server.server_address[1])
    sys.stdout.flush()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
