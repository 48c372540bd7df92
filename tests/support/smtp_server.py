"""A loopback SMTP server for the sendmail tests, on aiosmtpd (pinned in smtp-requirements.txt).

    python smtp_server.py --maildir DIR [--refuse ADDR]... [--auth USER:PASS]
                          [--cert CERT --key KEY [--implicit-tls]]
    python smtp_server.py --parse FILE.eml

Each accepted message is written as DIR/<n>.json: the envelope, whether the session used TLS,
the login, and the message as Python's email package parses it (headers, then one entry per
part with its content type, charset, file name and decoded bytes in base64). Each AUTH
attempt is written as DIR/auth-<n>.json (login and TLS, never the password). --refuse makes
RCPT TO that address fail with 550. With --cert the server offers STARTTLS, with
--implicit-tls it speaks TLS from the first byte. Prints "READY <port>"; stops when its
standard input closes. --parse prints the same JSON for an .eml file (outbox tests).
"""

import argparse
import asyncio
import base64
import email
import email.policy
import itertools
import json
import os
import socket
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult

COUNTER = itertools.count(1)


def describe(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), []).append(str(value))
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "filename": part.get_filename(),
            "base64": base64.b64encode(payload).decode(),
            "text": payload.decode(part.get_content_charset() or "latin-1", "replace"),
        })
    return {"headers": headers, "parts": parts, "raw": raw.decode("utf-8", "replace")}


def uses_tls(server):
    transport = server.transport
    return transport is not None and transport.get_extra_info("ssl_object") is not None


def write_json(directory, name, value):
    temporary = os.path.join(directory, name + ".tmp")
    with open(temporary, "w") as handle:
        json.dump(value, handle)
    os.replace(temporary, os.path.join(directory, name))


class Handler:
    def __init__(self, maildir, refused):
        self.maildir = maildir
        self.refused = {address.lower() for address in refused}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = describe(envelope.original_content or envelope.content)
        record.update({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": getattr(session, "dlg_login", None),
            "tls": uses_tls(server),
        })
        write_json(self.maildir, "%d.json" % next(COUNTER), record)
        return "250 Message accepted"


def authenticator_for(credentials, maildir):
    user, password = credentials.split(":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        write_json(maildir, "auth-%d.json" % next(COUNTER),
                   {"login": login, "mechanism": mechanism, "tls": uses_tls(server)})
        good = login == user and auth_data.password.decode() == password
        if good:
            session.dlg_login = login
        return AuthResult(success=good, handled=False)

    return authenticate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir")
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--auth")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--parse")
    options = parser.parse_args()
    if options.parse:
        with open(options.parse, "rb") as handle:
            print(json.dumps(describe(handle.read())))
        return

    context = None
    if options.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.cert, options.key)
    handler = Handler(options.maildir, options.refuse)
    authenticator = authenticator_for(options.auth, options.maildir) if options.auth else None

    def factory():
        return SMTP(
            handler,
            hostname="smtp.test",
            tls_context=None if options.implicit_tls else context,
            authenticator=authenticator,
            auth_required=authenticator is not None,
            auth_require_tls=False,
        )

    loop = asyncio.new_event_loop()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    server = loop.run_until_complete(loop.create_server(
        factory, sock=listener, ssl=context if options.implicit_tls else None))
    print("READY %d" % listener.getsockname()[1], flush=True)

    def stop_when_stdin_closes():
        sys.stdin.buffer.read()
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
