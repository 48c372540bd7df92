"""OAuth 1.0a test peer for deluge-lang (connections.md section 7.4). Loopback only.

oauthlib 4.0.1 does every protocol check (signatures, nonces, timestamps, tokens); this file only
wires its endpoints to an in-memory validator and a standard-library HTTP server.

Listens on 127.0.0.1 on an ephemeral port, prints `READY <port>` once serving, and exits when
its standard input closes so it never outlives the test process that started it.

Routes: POST /oauth/request_token, GET /oauth/authorize?oauth_token=... (auto-approves: 302 to
the callback, or 200 with the verifier for `oob`), POST /oauth/access_token; any other path is a
protected resource answering 200 with a JSON echo of what it received, or 401.
"""

import json
import os
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.common import generate_token
from oauthlib.oauth1 import (
    AccessTokenEndpoint,
    AuthorizationEndpoint,
    RequestTokenEndpoint,
    RequestValidator,
    ResourceEndpoint,
)
from oauthlib.oauth1.rfc5849 import errors

CLIENTS = {
    "dpf43f3p2l4k3l03": "kd94hf93k423kf44",
    "xvz1evFS4wEEPTGEFPHBog": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    "deluge-consumer": "deluge-consumer-secret",
}
ACCESS_TOKENS = {
    ("dpf43f3p2l4k3l03", "nnch734d00sl2jdk"): "pfkkdhi9sl3r4s00",
    (
        "xvz1evFS4wEEPTGEFPHBog",
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    ): "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
}


class Validator(RequestValidator):
    """In-memory state; relaxed format checks so the RFC's short values pass."""

    def __init__(self, timestamp_lifetime):
        super().__init__()
        self._lock = threading.Lock()
        self._lifetime = timestamp_lifetime
        self.request_tokens = {}  # token -> dict(client, secret, callback, verifier)
        self.access_tokens = dict(ACCESS_TOKENS)
        self.nonces = set()

    enforce_ssl = False
    allowed_signature_methods = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT")
    dummy_client = "dummy-client"
    dummy_request_token = "dummy-request-token"
    dummy_access_token = "dummy-access-token"

    @property
    def timestamp_lifetime(self):
        return self._lifetime

    def check_client_key(self, client_key):
        return bool(client_key)

    def check_request_token(self, request_token):
        return bool(request_token)

    def check_access_token(self, request_token):
        return bool(request_token)

    def check_nonce(self, nonce):
        return bool(nonce)

    def check_verifier(self, verifier):
        return bool(verifier)

    def get_client_secret(self, client_key, request):
        return CLIENTS.get(client_key, "dummy-secret")

    def get_request_token_secret(self, client_key, token, request):
        entry = self.request_tokens.get(token)
        if entry and entry["client"] == client_key:
            return entry["secret"]
        return "dummy-secret"

    def get_access_token_secret(self, client_key, token, request):
        return self.access_tokens.get((client_key, token), "dummy-secret")

    def get_default_realms(self, client_key, request):
        return []

    def get_realms(self, token, request):
        return []

    def get_redirect_uri(self, token, request):
        return self.request_tokens[token]["callback"]

    def invalidate_request_token(self, client_key, request_token, request):
        with self._lock:
            self.request_tokens.pop(request_token, None)

    def validate_client_key(self, client_key, request):
        return client_key in CLIENTS

    def validate_request_token(self, client_key, token, request):
        entry = self.request_tokens.get(token)
        return bool(entry) and entry["client"] == client_key

    def validate_access_token(self, client_key, token, request):
        return (client_key, token) in self.access_tokens

    def validate_timestamp_and_nonce(
        self, client_key, timestamp, nonce, request, request_token=None, access_token=None
    ):
        key = (client_key, timestamp, nonce, request_token or access_token)
        with self._lock:
            if key in self.nonces:
                return False
            self.nonces.add(key)
            return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return True

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def validate_verifier(self, client_key, token, verifier, request):
        entry = self.request_tokens.get(token)
        return bool(entry) and entry.get("verifier") == verifier and entry["client"] == client_key

    def verify_request_token(self, token, request):
        return token in self.request_tokens

    def verify_realms(self, token, realms, request):
        return True

    def save_request_token(self, token, request):
        with self._lock:
            self.request_tokens[token["oauth_token"]] = {
                "client": request.client_key,
                "secret": token["oauth_token_secret"],
                "callback": request.redirect_uri or "oob",
            }

    def save_verifier(self, token, verifier, request):
        with self._lock:
            self.request_tokens[token]["verifier"] = verifier["oauth_verifier"]

    def save_access_token(self, token, request):
        with self._lock:
            key = (request.client_key, token["oauth_token"])
            self.access_tokens[key] = token["oauth_token_secret"]


def signature_type(headers, path):
    """Where the client put the protocol parameters, as the tests want to see it echoed."""
    authorization = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    if authorization.startswith("OAuth "):
        return "AUTHORIZATION_HEADER"
    if "oauth_signature=" in urllib.parse.urlsplit(path).query:
        return "QUERY"
    return "BODY"


def make_handler(validator):
    request_token = RequestTokenEndpoint(validator)
    authorize = AuthorizationEndpoint(validator)
    access_token = AccessTokenEndpoint(validator)
    resource = ResourceEndpoint(validator)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def do_GET(self):
            self.dispatch()

        def do_POST(self):
            self.dispatch()

        def do_PUT(self):
            self.dispatch()

        def do_PATCH(self):
            self.dispatch()

        def do_DELETE(self):
            self.dispatch()

        def dispatch(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            scheme = self.headers.get("X-Forwarded-Proto", "http")
            uri = f"{scheme}://{self.headers.get('Host')}{self.path}"
            headers = {k: v for k, v in self.headers.items()}
            path = urllib.parse.urlsplit(self.path).path
            try:
                if path == "/oauth/request_token":
                    h, b, s = request_token.create_request_token_response(
                        uri, self.command, body, headers
                    )
                elif path == "/oauth/authorize":
                    h, b, s = authorize.create_authorization_response(uri, self.command, body, headers)
                elif path == "/oauth/access_token":
                    h, b, s = access_token.create_access_token_response(
                        uri, self.command, body, headers
                    )
                else:
                    h, b, s = self.protected(uri, body, headers)
            except errors.OAuth1Error as error:
                h, b, s = {"Content-Type": "application/x-www-form-urlencoded"}, error.urlencoded, error.status_code
            except Exception as error:  # a bug here must show up as a failed request, not a hang
                h, b, s = {"Content-Type": "text/plain"}, f"provider error: {error!r}", 500
            self.reply(s, h, b)

        def protected(self, uri, body, headers):
            valid, req = resource.validate_protected_resource_request(uri, self.command, body, headers)
            if not valid:
                return {"WWW-Authenticate": 'OAuth realm="test"'}, "invalid OAuth request", 401
            echo = {
                "method": self.command,
                "path": urllib.parse.urlsplit(self.path).path,
                "args": dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)),
                "body": body,
                "client_key": req.client_key,
                "token": req.resource_owner_key,
                "signature_method": req.signature_method,
                "signature_type": signature_type(headers, self.path),
            }
            return {"Content-Type": "application/json"}, json.dumps(echo), 200

        def reply(self, status, headers, body):
            data = (body or "").encode("utf-8")
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main():
    lifetime = int(os.environ.get("OAUTH1_TIMESTAMP_LIFETIME", "600"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(Validator(lifetime)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY {server.server_address[1]}", flush=True)
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
