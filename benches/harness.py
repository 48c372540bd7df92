#!/usr/bin/env python3
"""deluge-lang benchmark harness: one command, a markdown report.

    python3 benches/harness.py [--runs N] [--skip-build] [--no-install] [--only NAME,...]
                               [--callgrind]

Builds `dlg` in release mode, then measures, with hyperfine (median of N runs after a warm-up):
  * the programs in benches/programs/ in dlg, CPython 3, Lua 5.4, Node.js and Rhai (rhai-run);
  * start-up of `dlg run` on an empty script;
  * `dlg check` throughput over a large generated script (lines per second);
  * `dlg fmt --check` throughput over the same script, formatted first (lines per second);
  * peak memory (max RSS) of every program in every runtime;
  * invokeurl overhead: 2,000 sequential GETs to a local keep-alive server, in dlg, in a plain
    Rust reqwest loop (benches/http_peer, its own package) and in Python requests.
With --callgrind it also counts executed instructions (valgrind), which do not depend on load.

Missing tools are installed into target/bench-tools/ (rhai-run with cargo install, Python
requests in a venv) unless --no-install; a runtime that is still missing shows as n/a.
Debian packages (hyperfine, lua5.4, lua-cjson) are not installed: the report says what to
`apt-get install`. Results go to target/bench-results/<time>/ and the report to standard output.
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "benches" / "programs"
TOOLS = ROOT / "target" / "bench-tools"
RESULTS = ROOT / "target" / "bench-results"
BENCHES = ["fib", "loop", "strings", "list", "map", "jsonrt"]
RUNTIMES = ["deluge", "python", "lua", "node", "rhai"]
REQUESTS_VERSION = "2.32.3"
HTTP_COUNT_THOUSANDS = 2
CHECK_LINES = 300_000
# (hyperfine export name, command label) -> mean CPU seconds (user + system) per run
CPU = {}


def log(message):
    print(f"[harness] {message}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, **kw)


# ---------------------------------------------------------------------------------------------
# Tools


class Tools:
    """Where each runtime is, or None when it is unavailable."""

    def __init__(self, args):
        self.install = not args.no_install
        self.hyperfine = shutil.which("hyperfine")
        self.python = sys.executable  # the real interpreter, not a pyenv shim
        self.lua = shutil.which("lua5.4")
        self.lua_cjson = self.lua and subprocess.run(
            [self.lua, "-e", "require('cjson')"], capture_output=True).returncode == 0
        self.node = shutil.which("node")
        self.rhai = self.find_rhai()
        self.venv_python = self.find_requests()
        self.valgrind = shutil.which("valgrind")
        self.dlg = ROOT / "target" / "release" / "dlg"
        self.http_peer = None

    def find_rhai(self):
        cached = TOOLS / "bin" / "rhai-run"
        if cached.exists():
            return str(cached)
        if shutil.which("rhai-run"):
            return shutil.which("rhai-run")
        if not self.install:
            return None
        log("installing rhai-run into target/bench-tools (cargo install, a few minutes)")
        result = subprocess.run(["cargo", "install", "rhai", "--locked", "--features", "bin-features",
                                 "--bin", "rhai-run", "--root", str(TOOLS)])
        return str(cached) if result.returncode == 0 and cached.exists() else None

    def find_requests(self):
        venv = TOOLS / "venv"
        python = venv / "bin" / "python"
        probe = [str(python), "-c", "import requests"]
        if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
            return str(python)
        if not self.install:
            return None
        log(f"installing requests=={REQUESTS_VERSION} into target/bench-tools/venv")
        ok = subprocess.run([self.python, "-m", "venv", str(venv)]).returncode == 0 and \
            subprocess.run([str(python), "-m", "pip", "install", "-q",
                            f"requests=={REQUESTS_VERSION}"]).returncode == 0
        return str(python) if ok else None

    def build(self, skip):
        if not skip:
            log("cargo build --release")
            run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
        peer_target = TOOLS / "http-peer"
        log("cargo build --release (benches/http_peer, into target/bench-tools/http-peer)")
        result = subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                                 str(ROOT / "benches" / "http_peer" / "Cargo.toml"),
                                 "--target-dir", str(peer_target)])
        peer = peer_target / "release" / "http-peer"
        self.http_peer = str(peer) if result.returncode == 0 and peer.exists() else None

    def command(self, runtime, bench):
        """The command line running `bench` in `runtime`, or None when unavailable."""
        program = PROGRAMS / f"{bench}"
        if runtime == "deluge":
            return [str(self.dlg), "run", f"{program}.dg"]
        if runtime == "python":
            return [self.python, f"{program}.py"]
        if runtime == "lua" and self.lua and (bench != "jsonrt" or self.lua_cjson):
            return [self.lua, f"{program}.lua"]
        if runtime == "node" and self.node:
            return [self.node, f"{program}.js"]
        if runtime == "rhai" and self.rhai:
            return [self.rhai, f"{program}.rhai"]
        return None

    def missing(self):
        notes = []
        if not self.hyperfine:
            notes.append("hyperfine (apt-get install -y hyperfine)")
        if not self.lua:
            notes.append("lua5.4 (apt-get install -y lua5.4 lua-cjson)")
        elif not self.lua_cjson:
            notes.append("lua-cjson (apt-get install -y lua-cjson)")
        if not self.node:
            notes.append("node")
        if not self.rhai:
            notes.append("rhai-run")
        if not self.venv_python:
            notes.append("python requests")
        return notes


# ---------------------------------------------------------------------------------------------
# Measuring


def hyperfine(tools, out, name, commands, runs):
    """Runs hyperfine over {label: argv}; returns {label: median seconds}."""
    if not tools.hyperfine or not commands:
        return {}
    path = out / f"{name}.json"
    cmd = [tools.hyperfine, "-N", "--style", "none", "--runs", str(runs), "--warmup", "1",
           "--export-json", str(path)]
    for label, argv in commands.items():
        cmd += ["-n", label, " ".join(quote(a) for a in argv)]
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL)
    if result.returncode != 0 or not path.exists():
        log(f"hyperfine failed for {name}")
        return {}
    results = json.loads(path.read_text())["results"]
    for r in results:
        CPU[(name, r["command"])] = r["user"] + r["system"]
    return {r["command"]: r["median"] for r in results}


def quote(arg):
    return arg if all(c.isalnum() or c in "/._-=:" for c in arg) else "'" + arg.replace("'", "'\\''") + "'"


def max_rss_kib(argv):
    """Peak resident memory of one run, KiB, or None when the run failed. GNU time when present:
    a child forked straight from this Python process inherits Python's high-water mark."""
    if pathlib.Path("/usr/bin/time").exists():
        result = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        lines = result.stderr.strip().splitlines()
        return int(lines[-1]) if result.returncode == 0 and lines and lines[-1].isdigit() else None
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss if status == 0 else None


def output_of(argv):
    result = subprocess.run(argv, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else f"FAILED: {result.stderr.strip()[:200]}"


def callgrind(argv):
    """Instructions executed by one run (whole process), or None."""
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                            capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split("Collected :")[1])
    return None


def generated_check_script(out):
    """A large script made of the parser corpus repeated; returns (path, line count)."""
    corpus = sorted((ROOT / "tests" / "corpus").glob("*.dg"))
    texts = [p.read_text() for p in corpus]
    chunk = "\n".join(texts) + "\n"
    per_chunk = chunk.count("\n")
    repeats = max(1, CHECK_LINES // max(per_chunk, 1))
    path = out / "check_large.dg"
    path.write_text(chunk * repeats)
    return path, per_chunk * repeats


def fmt_row(tools, out, runs):
    """`dlg fmt --check` on the corpus script, formatted first so the run exits 0 having done all
    the work (parse, layout, token check, comparison)."""
    path, lines = generated_check_script(out)
    formatted = out / "fmt_large.dg"
    formatted.write_text(path.read_text())
    subprocess.run([str(tools.dlg), "fmt", str(formatted)], stderr=subprocess.DEVNULL)
    log(f"timing dlg fmt --check on {lines} lines")
    m = hyperfine(tools, out, "fmt", {"dlg fmt": [str(tools.dlg), "fmt", "--check", str(formatted)]}, runs)
    t = m.get("dlg fmt")
    cpu = CPU.get(("fmt", "dlg fmt"))
    rate = lines / t if t else None
    return (f"`dlg fmt --check` throughput ({lines:,} lines; wall median, CPU mean)",
            f"{rate:,.0f} lines/s; CPU {lines / cpu:,.0f} lines/s" if rate and cpu else "n/a",
            ">= 200,000 lines/s", rate is not None and rate >= 2e5)


class HttpServer:
    def __init__(self, tools):
        self.process = subprocess.Popen([tools.http_peer, "serve"], stdout=subprocess.PIPE, text=True)
        self.url = f"http://127.0.0.1:{self.process.stdout.readline().strip()}/"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()


# ---------------------------------------------------------------------------------------------
# Report


def fmt_time(seconds):
    return "n/a" if seconds is None else f"{seconds:.3f}"


def ratio(value, base):
    return f"{value / base:.2f}x" if value is not None and base else "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--no-install", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated: programs,startup,check,fmt,rss,http")
    parser.add_argument("--callgrind", action="store_true", help="also count instructions")
    args = parser.parse_args()
    parts = set(args.only.split(",")) if args.only else {"programs", "startup", "check", "fmt", "rss", "http"}

    tools = Tools(args)
    tools.build(args.skip_build)
    out = RESULTS / time.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    report = [f"Machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} at start; "
              f"{args.runs} runs per command (hyperfine median).", ""]
    if tools.missing():
        report += ["Unavailable: " + ", ".join(tools.missing()) + " (shown as n/a).", ""]

    medians = {}
    if "programs" in parts:
        for bench in ["startup"] + BENCHES:
            commands = {rt: c for rt in RUNTIMES if (c := tools.command(rt, bench))}
            log(f"timing {bench}")
            medians[bench] = hyperfine(tools, out, bench, commands, args.runs)
        report += program_table(medians)

    if "rss" in parts:
        report += rss_table(tools)

    extra = []
    if "startup" in parts:
        log("timing start-up")
        m = hyperfine(tools, out, "empty", {"dlg run empty.dg": [str(tools.dlg), "run", str(PROGRAMS / "empty.dg")]},
                      max(args.runs, 20))
        t = m.get("dlg run empty.dg")
        cpu = CPU.get(("empty", "dlg run empty.dg"))
        extra.append(("start-up: `dlg run` on an empty script (wall median; CPU mean)",
                      f"{t * 1000:.1f} ms; CPU {cpu * 1000:.1f} ms" if t and cpu is not None else "n/a",
                      "< 5 ms", t is not None and t < 0.005))
    if "check" in parts:
        path, lines = generated_check_script(out)
        log(f"timing dlg check on {lines} lines")
        m = hyperfine(tools, out, "check", {"dlg check": [str(tools.dlg), "check", str(path)]}, args.runs)
        t = m.get("dlg check")
        cpu = CPU.get(("check", "dlg check"))
        rate = lines / t if t else None
        extra.append((f"`dlg check` throughput ({lines:,} lines; wall median, CPU mean)",
                      f"{rate:,.0f} lines/s; CPU {lines / cpu:,.0f} lines/s" if rate and cpu else "n/a",
                      ">= 1,000,000 lines/s", rate is not None and rate >= 1e6))
    if "fmt" in parts:
        extra.append(fmt_row(tools, out, args.runs))
    if "http" in parts:
        extra += http_rows(tools, out, args.runs)
    if extra:
        report += ["| measure | result | target | met |", "|---|---|---|---|"]
        report += [f"| {a} | {b} | {c} | {'yes' if d else 'no'} |" for a, b, c, d in extra]
        report.append("")

    if args.callgrind and tools.valgrind:
        report += callgrind_table(tools)

    load_after = os.getloadavg()
    report.append(f"Load average at end: {load_after[0]:.2f}. Raw hyperfine JSON: {out.relative_to(ROOT)}/")
    text = "\n".join(report)
    (out / "report.md").write_text(text + "\n")
    print(text)


def program_table(medians):
    lines = ["Median wall time in seconds (ratio to CPython); the dlg column also gives the ratio to "
             "Rhai. Targets: dlg at most 1.0x CPython and at most 0.5x Rhai.", "",
             "| benchmark | dlg | vs Rhai | CPython | Lua 5.4 | Node.js | Rhai | met |",
             "|---|---|---|---|---|---|---|---|"]
    for bench in ["startup"] + BENCHES:
        m = medians.get(bench, {})
        base = m.get("python")
        cells = []
        for rt in RUNTIMES:
            t = m.get(rt)
            cells.append("n/a" if t is None else f"{t:.3f} ({ratio(t, base)})")
        dlg, rhai = m.get("deluge"), m.get("rhai")
        met = "" if bench == "startup" else (
            "yes" if dlg is not None and base and dlg <= base and (rhai is None or dlg <= 0.5 * rhai) else "no")
        lines.append(f"| {bench} | {cells[0]} | {ratio(dlg, rhai)} | " + " | ".join(cells[1:]) + f" | {met} |")
    lines += ["", "CPU time (user + system, mean per run) in seconds (ratio to CPython): less sensitive "
              "to other load on the machine than wall time.", "",
              "| benchmark | dlg | vs Rhai | CPython | Lua 5.4 | Node.js | Rhai |", "|---|---|---|---|---|---|---|"]
    for bench in ["startup"] + BENCHES:
        cpu = {rt: CPU.get((bench, rt)) for rt in RUNTIMES}
        base = cpu.get("python")
        cells = ["n/a" if t is None else f"{t:.3f} ({ratio(t, base)})" for t in cpu.values()]
        lines.append(f"| {bench} | {cells[0]} | {ratio(cpu['deluge'], cpu['rhai'])} | " + " | ".join(cells[1:]) + " |")
    return lines + [""]


def rss_table(tools):
    log("measuring peak memory")
    lines = ["Peak memory (max RSS, MiB, one run each):", "",
             "| benchmark | dlg | CPython | Lua 5.4 | Node.js | Rhai |", "|---|---|---|---|---|---|"]
    for bench in ["startup"] + BENCHES:
        cells = []
        for rt in RUNTIMES:
            argv = tools.command(rt, bench)
            kib = max_rss_kib(argv) if argv else None
            cells.append("n/a" if kib is None else f"{kib / 1024:.1f}")
        lines.append(f"| {bench} | " + " | ".join(cells) + " |")
    return lines + [""]


def http_rows(tools, out, runs):
    if not tools.http_peer:
        return [("invokeurl loop", "n/a (http_peer did not build)", "<= 1.15x reqwest", False)]
    count = HTTP_COUNT_THOUSANDS * 1000
    with HttpServer(tools) as server:
        commands = {
            "dlg invokeurl": [str(tools.dlg), "run", str(PROGRAMS / "invokeurl.dg"), "--call", "fetch",
                              "--arg", f"url={server.url}", "--arg", f"k={HTTP_COUNT_THOUSANDS}"],
            "reqwest": [tools.http_peer, "get", server.url, str(count)],
        }
        if tools.venv_python:
            commands["python requests"] = [tools.venv_python, str(PROGRAMS / "invokeurl.py"), server.url, str(count)]
        for label, argv in commands.items():
            got = output_of(argv)
            if got != str(count):
                log(f"{label} printed {got!r}, expected {count}")
        log(f"timing {count} GETs")
        m = hyperfine(tools, out, "invokeurl", commands, runs)
    dlg, plain, py = m.get("dlg invokeurl"), m.get("reqwest"), m.get("python requests")
    return [(f"invokeurl: {count:,} sequential GETs, dlg (reqwest {fmt_time(plain)} s, "
             f"Python requests {fmt_time(py)} s)", f"{fmt_time(dlg)} s ({ratio(dlg, plain)} reqwest)",
             "<= 1.15x reqwest", dlg is not None and plain is not None and dlg <= 1.15 * plain)]


def callgrind_table(tools):
    log("counting instructions with callgrind")
    lines = ["Instructions executed (millions, whole process; callgrind):", "",
             "| benchmark | dlg | CPython | Lua 5.4 | Rhai |", "|---|---|---|---|---|"]
    for bench in ["startup"] + BENCHES:
        cells = []
        for rt in ["deluge", "python", "lua", "rhai"]:
            argv = tools.command(rt, bench)
            n = callgrind(argv) if argv else None
            cells.append("n/a" if n is None else f"{n / 1e6:,.0f}M")
        lines.append(f"| {bench} | " + " | ".join(cells) + " |")
    return lines + [""]


if __name__ == "__main__":
    main()
