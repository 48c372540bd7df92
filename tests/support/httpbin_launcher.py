"""Runs httpbin under gunicorn on 127.0.0.1:PORT until standard input closes.

The test process holds our standard input; when it drops the server handle or exits in any
way (even killed), the pipe closes and gunicorn is stopped with its workers. If gunicorn
exits first (port taken, import error), this script exits with its status.
"""

import signal
import subprocess
import sys
import threading


def main() -> int:
    port = sys.argv[1]
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{port}",
            "--workers", "2",
            "--threads", "4",
            "--log-level", "warning",
            "httpbin:app",
        ]
    )

    def stop_when_stdin_closes() -> None:
        sys.stdin.buffer.read()
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    try:
        return server.wait()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
