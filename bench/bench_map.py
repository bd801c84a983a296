"""Benchmark: time until a 2,000-actor / 8,000-tie map is drawn and settled in headless Chromium.

Compares, in the same run:
- ours: positions computed once in Python (igraph, timed separately, next to networkx's
  spring_layout, the plain networkx way), page rendered with physics off;
- plain pyvis: ``Network.generate_html`` with its default template and physics, which
  stabilises in the browser (we wait for vis-network's "stabilizationIterationsDone",
  capped at 120 s).

Both pages are opened from disk with every other request aborted, as in a village hall
without internet (the pyvis page tries to fetch Bootstrap; those requests are counted).

Then, when the configured Neo4j (the GRAPHSVC_NEO4J_* settings, as ``make run`` starts it)
holds the demo proeftuinen: the first load of the largest (brakelveen) and the smallest
(zandwijk) proeftuin page and of the national page, from the request to the embedded map
drawn, against gunicorn started as ``make run`` starts it: truly cold (warm-up off, empty
disk cache), at a first start (warm-up on, empty disk cache, requested as soon as the
readiness probe answers), after ``make run`` (which runs ``graphsvc warm`` into an empty
disk cache before it starts gunicorn), at a restart (warm-up on, the disk cache of
before) and warmed (a second load); with how long the warm-up and ``graphsvc warm`` took.
Last, the same pages in-process (Flask's test client in a fresh Python): wall and CPU
seconds, cold and from the disk cache; CPU seconds are the steadier figure on a shared
machine.

Run: python bench/bench_map.py               (needs the Debian chromium package)
     python bench/bench_map.py --pages-only  (only the pages of the app)
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import igraph as ig
import networkx as nx

from graphsvc.analysis.map_theme import MAP_THEME
from graphsvc.vocabulary import KIND_KEYS, TIE_TYPE_KEYS
from visualize.layout import compute_layout
from visualize.render import MapOptions, render_map, render_pyvis_default

SEED = 20221101
N_ACTORS = 2000
N_TIES = 8000
RUNS = 3
CAP_S = 120.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Records when a plain pyvis page's network has stabilised: pyvis assigns the global
# `network` once; the setter attaches the listeners before the first stabilisation batch.
PYVIS_HOOK = """
(() => {
  let net;
  window.__bench = { requested: performance.now() };
  Object.defineProperty(window, "network", {
    configurable: true,
    get() { return net; },
    set(v) {
      net = v;
      if (!v || typeof v.once !== "function") return;
      v.on("stabilizationProgress", (p) => {
        window.__bench.iterations = [p.iterations, p.total];
      });
      v.once("stabilizationIterationsDone", () => {
        window.__bench.stabilized = performance.now();
        v.once("afterDrawing", () => { window.__bench.settled = performance.now(); });
      });
    },
  });
})();
"""


def progress(message: str) -> None:
    print(f"  ... {message}", file=sys.stderr, flush=True)


def synthetic_network(seed: int = SEED) -> tuple[nx.Graph, list[dict], dict[str, dict]]:
    """2,000 actors, exactly 8,000 ties (preferential attachment), dates Nov 2022 .. Nov 2024."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(N_ACTORS, 4, seed=seed)
    pairs = [tuple(e) for e in base.edges()]
    seen = set(pairs)
    while len(pairs) < N_TIES:
        u, v = rng.sample(range(N_ACTORS), 2)
        if (u, v) not in seen and (v, u) not in seen:
            seen.add((u, v))
            pairs.append((u, v))
    pairs = pairs[:N_TIES]
    kinds = rng.choices(KIND_KEYS, weights=(50, 15, 10, 5, 20), k=N_ACTORS)
    G = nx.Graph()
    G.add_nodes_from(f"a{i}" for i in range(N_ACTORS))
    ties = []
    for u, v in pairs:
        month = rng.randrange(0, 25)
        since = f"{2022 + (10 + month) // 12}-{(10 + month) % 12 + 1:02d}-{rng.randint(1, 28):02d}"
        until = None
        if rng.random() < 0.15:
            end = min(month + rng.randint(1, 12), 24)
            until = f"{2022 + (10 + end) // 12}-{(10 + end) % 12 + 1:02d}-28"
            if until <= since:
                until = None
        ties.append(
            {
                "source": f"a{u}",
                "target": f"a{v}",
                "type": rng.choice(TIE_TYPE_KEYS),
                "since": since,
                "until": until,
                "weight": 1.0,
            }
        )
        G.add_edge(f"a{u}", f"a{v}")
    g = ig.Graph.from_networkx(G)
    names = g.vs["_nx_name"]
    betweenness = dict(zip(names, g.betweenness(directed=False), strict=True))
    cut = set(nx.articulation_points(G))
    actors = {
        f"a{i}": {
            "name": f"Actor {i}",
            "kind": kinds[i],
            "group": kinds[i],
            "metrics": {
                "degree": G.degree(f"a{i}"),
                "betweenness": betweenness[f"a{i}"],
                "brokerage": {},
                "articulation_point": f"a{i}" in cut,
            },
        }
        for i in range(N_ACTORS)
    }
    return G, ties, actors


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def open_offline(browser, path: Path, init_script: str | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    url = path.as_uri()
    blocked: list[str] = []

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    if init_script:
        page.add_init_script(init_script)
    page.goto(url, wait_until="commit", timeout=60_000)
    return context, page, blocked


def time_ours(browser, path: Path) -> tuple[float, int]:
    context, page, blocked = open_offline(browser, path)
    try:
        page.wait_for_selector(
            "body[data-map-ready='true']", timeout=CAP_S * 1000, state="attached"
        )
        return page.evaluate("graphMap.state.drawnAt") / 1000, len(blocked)
    finally:
        context.close()


def time_pyvis(browser, path: Path, cap_s: float = CAP_S) -> tuple[float | None, str, int]:
    """(seconds to settled or None past the cap, stabilisation iterations reached, requests)."""
    context, page, blocked = open_offline(browser, path, PYVIS_HOOK)
    try:
        try:
            page.wait_for_function(
                "window.__bench && window.__bench.settled !== undefined",
                timeout=cap_s * 1000,
                polling=250,
            )
            settled = page.evaluate("window.__bench.settled") / 1000
        except Exception:  # Playwright's TimeoutError: not settled within the cap
            settled = None
        done = page.evaluate("window.__bench.iterations || null")
        iterations = f"{done[0]}/{done[1]}" if done else "none reported"
        return settled, iterations, len(blocked)
    finally:
        context.close()


#: The pages timed: the largest and the smallest demo proeftuin, and the national page.
PAGES = ("/proeftuinen/brakelveen", "/proeftuinen/zandwijk", "/national")
#: Goals of the product owner for a cold first load (request -> embedded map drawn).
GOALS = {"/national": 3.0}
PROEFTUIN_GOAL = 1.5
#: The server as ``make run`` starts it (Makefile: GUNICORN_APP, workers, threads).
GUNICORN = ["--workers", "2", "--threads", "4", "graphsvc.web.app:create_app()"]
READY_WITHIN_S = 120.0


def goal(path: str) -> float:
    return GOALS.get(path, PROEFTUIN_GOAL)


def time_page(browser, url: str) -> float:
    """Seconds from the request of ``url`` to its embedded map drawn (1280x800)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=CAP_S * 1000)
        page.frame_locator("#map-frame").locator("body[data-map-ready='true']").wait_for(
            timeout=CAP_S * 1000, state="attached"
        )
        return time.perf_counter() - start
    finally:
        context.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_json(url: str) -> tuple[int, dict]:
    import json
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


class Server:
    """gunicorn as ``make run`` starts it, on a free port, with its own disk cache folder."""

    def __init__(self, cache_dir: Path, warm_up: bool) -> None:
        import os
        import secrets
        import subprocess

        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "GRAPHSVC_ANONYMOUS_ROLE": "viewer",
            "GRAPHSVC_SECRET_KEY": secrets.token_urlsafe(32),
            "GRAPHSVC_CACHE_DIR": str(cache_dir),
            "GRAPHSVC_WARM_UP": "true" if warm_up else "false",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "--bind", f"127.0.0.1:{self.port}", *GUNICORN],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.started = time.monotonic()
        deadline = self.started + READY_WITHIN_S
        while time.monotonic() < deadline:
            try:
                if _get_json(self.base + "/readyz")[0] == 200:
                    self.ready_after = time.monotonic() - self.started
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not become ready")

    def warm_up_seconds(self, settle: int = 8) -> float | None:
        """Wait until ``settle`` readiness answers in a row (from either worker) say the
        warm-up is done; the largest warm-up time they report."""
        done: list[float] = []
        deadline = time.monotonic() + 600
        while len(done) < settle and time.monotonic() < deadline:
            status, body = _get_json(self.base + "/readyz")
            warm = body.get("warm_up", {})
            if status == 200 and warm.get("state") == "done":
                done.append(float(warm["seconds"]))
            else:
                done.clear()
                time.sleep(0.5)
        return max(done) if done else None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def warm_command(cache_dir: Path) -> float:
    """Seconds ``graphsvc warm`` takes to fill ``cache_dir`` (as ``make run`` runs it)."""
    import os
    import subprocess

    graphsvc = Path(sys.executable).with_name("graphsvc")
    env = {**os.environ, "GRAPHSVC_CACHE_DIR": str(cache_dir)}
    start = time.perf_counter()
    subprocess.run([str(graphsvc), "warm"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _has_demo() -> str | None:
    """Why the pages cannot be measured, or None when the demo data is there."""
    try:
        from graphsvc import config
        from graphsvc.store import repository

        repo = repository.connect(config.load())
        try:
            known = {p.key for p in repo.proeftuinen.list()}
        finally:
            repo.close()
    except Exception as exc:  # no Neo4j reachable, or no schema yet
        return f"skipped: no store ({type(exc).__name__}); start it with `make run`"
    if not {"brakelveen", "zandwijk"} <= known:
        return "skipped: the demo proeftuinen are not loaded (`graphsvc seed`)"
    return None


def time_pages(browser) -> dict | str:
    """Cold and warm first loads of :data:`PAGES` against gunicorn as ``make run`` serves.

    Each cold figure is the first request to a server just started (and answering its
    readiness probe), one server per page so one page's work does not warm another's:

    - ``truly cold``: warm-up off, empty disk cache: everything computed on request;
    - ``first start``: warm-up on, empty disk cache, request at once: it shares the
      computations the warm-up has under way (docs/architecture.md §10);
    - ``make run``: an empty disk cache filled by ``graphsvc warm`` (as ``make run`` does
      before it serves), then gunicorn started and asked at once;
    - ``restart``: warm-up on, the disk cache of an earlier start, request at once;
    - ``warmed``: a second load, on the first-start server after its warm-up finished.
    """
    why = _has_demo()
    if why:
        return why
    tmp = Path(tempfile.mkdtemp(prefix="bench_map_cache_"))
    out: dict = {
        "cold": {},
        "first": {},
        "make_run": {},
        "restart": {},
        "warm": {},
        "warm_up": {},
    }
    filled = tmp / "filled"
    try:
        for path in PAGES:
            progress(f"page {path}: truly cold (warm-up off, empty disk cache)")
            with Server(
                tmp / f"empty-{path.strip('/').replace('/', '-')}", warm_up=False
            ) as server:
                out["cold"][path] = time_page(browser, server.base + path)
        for i, path in enumerate(PAGES):
            progress(f"page {path}: first start (warm-up on, empty disk cache)")
            last = i == len(PAGES) - 1
            folder = filled if last else tmp / f"first-{i}"
            with Server(folder, warm_up=True) as server:
                out["first"][path] = time_page(browser, server.base + path)
                if last:
                    progress("waiting for the warm-up of the first start to finish")
                    out["warm_up"]["first start"] = server.warm_up_seconds()
                    for each in PAGES:
                        time_page(browser, server.base + each)  # its own first load
                        out["warm"][each] = time_page(browser, server.base + each)
        for i, path in enumerate(PAGES):
            progress(f"page {path}: after make run (graphsvc warm, then gunicorn)")
            folder = tmp / f"make-run-{i}"
            out["warm_up"]["graphsvc warm"] = warm_command(folder)
            with Server(folder, warm_up=True) as server:
                out["make_run"][path] = time_page(browser, server.base + path)
        for i, path in enumerate(PAGES):
            progress(f"page {path}: restart (warm-up on, disk cache of the first start)")
            with Server(filled, warm_up=True) as server:
                out["restart"][path] = time_page(browser, server.base + path)
                if i == len(PAGES) - 1:
                    out["warm_up"]["restart"] = server.warm_up_seconds()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


INPROCESS = """
import json, sys, time
from graphsvc.web.app import create_app
path, cache_dir = sys.argv[1], sys.argv[2]
app = create_app({"ANONYMOUS_ROLE": "viewer", "SECRET_KEY": "bench" * 8,
                  "WARM_UP": False, "CACHE_DIR": cache_dir})
client = app.test_client()
out = []
for url in (path, path + "/map.html?embed=1"):
    wall, cpu = time.perf_counter(), time.process_time()
    status = client.get(url).status_code
    out.append([url, status, time.perf_counter() - wall, time.process_time() - cpu])
print(json.dumps(out))
"""


def profile_pages() -> list[tuple[str, str, float, float, float, float]] | str:
    """In a fresh Python per page and case: the page and its map requested in-process (Flask's
    test client, no browser, no warm-up), wall and CPU seconds of the process (every thread):
    (page, part, cold wall, cold CPU, disk-cache wall, disk-cache CPU)."""
    import json
    import subprocess

    why = _has_demo()
    if why:
        return why
    tmp = Path(tempfile.mkdtemp(prefix="bench_map_prof_"))
    rows = []
    try:
        for path in PAGES:
            progress(f"in-process profile of {path}: cold, then from the disk cache")
            runs = []
            for _ in range(2):  # the first run fills the disk cache the second reads
                done = subprocess.run(
                    [sys.executable, "-c", INPROCESS, path, str(tmp / "cache")],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            for (url, _s, wall, cpu), (_u, _s2, dwall, dcpu) in zip(*runs, strict=True):
                part = "map" if "map.html" in url else "page"
                rows.append((path, part, wall, cpu, dwall, dcpu))
            shutil.rmtree(tmp / "cache", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> None:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("chromium not found: install the Debian package 'chromium'")
    if "--pages-only" in sys.argv:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            pages = time_pages(browser)
            browser.close()
        print_pages(pages, profile_pages())
        return
    progress(f"building the synthetic network ({N_ACTORS} actors, {N_TIES} ties, seed {SEED})")
    G, ties, actors = synthetic_network()

    progress("layout: igraph (ours) and networkx spring_layout (the plain networkx way)")
    positions, t_layout = timed(compute_layout, G, seed=1)
    _, t_nx_layout = timed(nx.spring_layout, G, seed=1)

    progress("rendering both pages")
    html, t_render = timed(
        render_map, ties, actors, positions, MapOptions(title="Benchmark"), MAP_THEME
    )
    pyvis_html, t_pyvis_render = timed(render_pyvis_default, ties, actors, MAP_THEME)

    tmp = Path(tempfile.mkdtemp(prefix="bench_map_"))
    ours_path, pyvis_path = tmp / "ours.html", tmp / "pyvis.html"
    ours_path.write_text(html, encoding="utf-8")
    pyvis_path.write_text(pyvis_html, encoding="utf-8")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        ours_times, ours_blocked = [], 0
        for run in range(1, RUNS + 1):
            progress(f"ours in Chromium, run {run}/{RUNS}")
            seconds, ours_blocked = time_ours(browser, ours_path)
            ours_times.append(seconds)
        progress(f"plain pyvis in Chromium (physics; may take up to {CAP_S:.0f} s)")
        pyvis_time, pyvis_iterations, pyvis_blocked = time_pyvis(browser, pyvis_path)
        pages = time_pages(browser)
        browser.close()
    shutil.rmtree(tmp, ignore_errors=True)

    ours_settled = statistics.median(ours_times)
    if pyvis_time is not None:
        pyvis_text = f"{pyvis_time:.2f} s"
    else:
        pyvis_text = f"> {CAP_S:.0f} s ({pyvis_iterations} iter.)"
    rows = [
        ("layout in Python", f"{t_layout:.2f} s (igraph)", f"{t_nx_layout:.2f} s (networkx)"),
        ("build HTML in Python", f"{t_render:.2f} s", f"{t_pyvis_render:.2f} s"),
        ("HTML size", f"{len(html) / 1e6:.1f} MB", f"{len(pyvis_html) / 1e6:.1f} MB"),
        ("browser: navigation -> settled", f"{ours_settled:.2f} s (median of {RUNS})", pyvis_text),
        ("external requests attempted", str(ours_blocked), str(pyvis_blocked)),
    ]
    print()
    print(f"Map of {N_ACTORS} actors and {N_TIES} ties, headless Chromium, seed {SEED}")
    print(f"{'':34} {'ours (physics off)':>28} {'plain pyvis (physics)':>28}")
    print("-" * 92)
    for label, ours, theirs in rows:
        print(f"{label:34} {ours:>28} {theirs:>28}")
    print("-" * 92)
    print("ours, every run: " + ", ".join(f"{t:.2f} s" for t in ours_times))
    goal = "met" if ours_settled < 2.0 else "NOT met"
    print(f"goal 'ours settled < 2 s': {goal}")
    print("(the networkx column of 'layout' is spring_layout, for comparison; plain pyvis lays")
    print(" out in the browser, so its layout time is inside its 'settled' time)")
    print_pages(pages, profile_pages())


def print_pages(pages: dict | str, profile: list | str) -> None:
    print()
    print("Pages of the app, served by gunicorn as `make run` does (2 workers, 4 threads):")
    print("request -> embedded map drawn in headless Chromium (1280x800), seconds")
    if isinstance(pages, str):
        print(f"  {pages}")
        return
    head = ("truly cold", "first start", "make run", "restart", "warmed", "goal")
    print(f"{'':26}" + "".join(f"{h:>14}" for h in head))
    print("-" * (26 + 14 * len(head)))
    for path in PAGES:
        cells = [pages[k].get(path) for k in ("cold", "first", "make_run", "restart", "warm")]
        text = [f"{c:.2f}" if c is not None else "-" for c in cells] + [f"< {goal(path):.1f}"]
        print(f"{path:26}" + "".join(f"{t:>14}" for t in text))
    print("-" * (26 + 14 * len(head)))
    print("truly cold:  warm-up off, empty disk cache: the first request computes everything")
    print("first start: warm-up on, empty disk cache, first request as soon as /readyz says")
    print("             ready; it joins the computations the warm-up has under way")
    print("make run:    `graphsvc warm` fills an empty disk cache (as make run does before it")
    print("             serves), then gunicorn starts and is asked at once")
    print("restart:     warm-up on, the disk cache (GRAPHSVC_CACHE_DIR) of the first start")
    print("warmed:      second load, after the first start's warm-up finished")
    print("Each cold figure comes from a server of its own (one page per server).")
    for case, seconds in pages["warm_up"].items():
        shown = f"{seconds:.1f} s" if seconds is not None else "did not finish"
        print(f"warm-up ({case}): {shown} (national page and map, every proeftuin page and")
        print("  map largest first, the start page; today, Dutch, as a viewer; per worker)")
    after = {path: pages["make_run"].get(path) for path in PAGES}
    met = all(v is not None and v < goal(path) for path, v in after.items())
    print(f"goals after make run: {'met' if met else 'NOT met'};", end=" ")
    first = {path: pages["restart"].get(path) for path in PAGES}
    met = all(v is not None and v < goal(path) for path, v in first.items())
    print(f"on restart: {'met' if met else 'NOT met'};", end=" ")
    met = all(v is not None and v < goal(p) for p, v in pages["first"].items())
    print(f"on first start: {'met' if met else 'NOT met'}")
    print()
    print("In-process (Flask test client, a fresh Python per case, no browser, no warm-up):")
    if isinstance(profile, str):
        print(f"  {profile}")
        return
    print(f"{'':26}{'part':>6}{'cold wall':>12}{'cold CPU':>12}{'disk wall':>12}{'disk CPU':>12}")
    for path, part, wall, cpu, dwall, dcpu in profile:
        print(f"{path:26}{part:>6}{wall:>12.2f}{cpu:>12.2f}{dwall:>12.2f}{dcpu:>12.2f}")
    print("CPU: seconds of the whole process (every thread); wall includes waiting for Neo4j")
    print("and for the machine's other processes. disk: a restart reading the disk cache.")


if __name__ == "__main__":
    main()
