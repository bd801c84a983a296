"""Benchmark: hostile import files against the import limits, next to the plain way.

Builds (fixed seed) the files an attacker sent:

- newlines.csv: ~19 MB of newlines after a header;
- bomb.zip: ~1 MB zip whose actors.csv unpacks to 1 GiB of newlines;
- nested.zip: a small zip of 16 zips, each a bomb of 64 MiB (1 GiB when all are unpacked);
- workbook-bomb.xlsx: a workbook whose shared strings unpack to 512 MiB (the old limit
  for workbooks was 1 GiB);
- ties.csv: 3.3 million short tie rows (~13 MB), every one of them wrong.

and measures, each in a fresh child process: the peak memory (``getrusage`` max RSS,
which includes Python and the imports, shown as "baseline") and the time of

- ours: ``parse_upload`` with the default limits (what the API and CLI do), with the
  size of the problem list as the API would send it;
- plain: the file read whole the usual way (``zipfile.read`` / ``csv.reader`` into a
  list / ``openpyxl.load_workbook``, not read-only), in a child limited to 1.5 GiB of
  address space so that it fails with MemoryError rather than take the machine.

Goal: ours under 300 MB peak for every file.

Run:  python bench/bench_hostile_imports.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240229
GOAL_MB = 300
PLAIN_LIMIT = 3 << 29  # 1.5 GiB of address space for the plain way
MiB = 1 << 20


# -- building the files ----------------------------------------------------------------------


def _zip_of_newlines(path_or_file, name: str, header: bytes, size: int) -> None:
    with zipfile.ZipFile(path_or_file, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            member.write(header)
            block = b"\n" * (16 * MiB)
            left = size - len(header)
            while left > 0:
                member.write(block[: min(left, len(block))])
                left -= len(block)


def build(folder: Path) -> dict[str, Path]:
    rng = random.Random(SEED)
    files = {}

    path = folder / "newlines.csv"
    path.write_bytes(b"key,kind,name,proeftuin\n" + b"\n" * (19 * 1000 * 1000))
    files["newline CSV, 19 MB"] = path

    path = folder / "bomb.zip"
    _zip_of_newlines(path, "actors.csv", b"key,kind,name,proeftuin\n", 1 << 30)
    files[f"zip bomb, {path.stat().st_size / MiB:.1f} MB -> 1 GiB"] = path

    inner = io.BytesIO()
    _zip_of_newlines(inner, "actors.csv", b"key,kind,name,proeftuin\n", 64 * MiB)
    path = folder / "nested.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(16):
            archive.writestr(f"part{i:02}.zip", inner.getvalue())
        archive.writestr("actors.csv", b"key,kind,name,proeftuin\n")
    files[f"nested zip, {path.stat().st_size / 1024:.0f} KiB -> 1 GiB"] = path

    path = folder / "workbook-bomb.xlsx"
    _workbook_bomb(path, 512 * MiB)
    files[f"xlsx bomb, {path.stat().st_size / 1024:.0f} KiB -> 512 MiB"] = path

    path = folder / "ties.csv"
    with path.open("wb") as out:
        # Every row lacks its type and date (two problems), some are self-loops too.
        out.write(b"source,target,type,since\n")
        for start in range(0, 3_300_000, 100_000):
            out.write(
                b"".join(
                    b"%d,%d\n" % (rng.randrange(10), rng.randrange(10))
                    for _ in range(start, start + 100_000)
                )
            )
    files[f"3.3M rows CSV, {path.stat().st_size / MiB:.0f} MB"] = path
    return files


def _workbook_bomb(path: Path, size: int) -> None:
    """An .xlsx whose sharedStrings.xml is ``size`` bytes of tiny strings."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb.active.append(["key", "kind", "name", "proeftuin"])
    wb.create_sheet("ties").append(["source", "target", "type", "since"])
    plain = io.BytesIO()
    wb.save(plain)
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, src.read(info))
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/')
            member.write(b'spreadsheetml/2006/main">')
            block = b"<si><t>a</t></si>" * (MiB // 17)
            left = size
            while left > 0:
                member.write(block)
                left -= len(block)
            member.write(b"</sst>")


# -- the child ---------------------------------------------------------------------------------


def child(way: str, path: str) -> None:
    if way == "baseline":
        from graphsvc.transfer.fileformats import parse_upload  # noqa: F401 - the imports only

        outcome = "imports only"
        started = time.perf_counter()
    elif way == "ours":
        from graphsvc.transfer.fileformats import parse_upload, problems_as_json

        data = Path(path).read_bytes()
        started = time.perf_counter()
        result = parse_upload([(Path(path).name, data)])
        body = json.dumps({"errors": problems_as_json(result.problems, "en")})
        codes = sorted({p.code for p in result.problems})
        outcome = (
            f"{result.problems_total} problems ({', '.join(codes[:2])}), "
            f"body {len(body) / 1024:.0f} KiB"
        )
    else:
        resource.setrlimit(resource.RLIMIT_AS, (PLAIN_LIMIT, PLAIN_LIMIT))
        data = Path(path).read_bytes()
        started = time.perf_counter()
        try:
            outcome = _plain(path, data)
        except MemoryError:
            outcome = "MemoryError (at the 1.5 GiB cap)"
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))


def _plain(path: str, data: bytes) -> str:
    if path.endswith(".xlsx"):
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        return f"opened, {len(wb.sheetnames)} sheets"
    texts = []
    if path.endswith(".zip"):

        def unpack(blob: bytes) -> None:
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                for name in archive.namelist():
                    inner = archive.read(name)
                    if name.endswith(".zip"):
                        unpack(inner)
                    else:
                        texts.append(inner.decode("utf-8", "replace"))

        unpack(data)
    else:
        texts.append(data.decode("utf-8", "replace"))
    rows = sum(len(list(csv.reader(io.StringIO(text, newline="")))) for text in texts)
    return f"{rows} rows read"


def measure(way: str, path: Path | None) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", way, str(path or "")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": f"died: {tail}"}
    return json.loads(lines[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=2, metavar=("WAY", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="build the files into DIR and keep them")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="hostile-imports-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"building the files in {folder} (seed {SEED}) ...", flush=True)
        files = build(folder)
        base = measure("baseline", None)
        print(f"baseline (Python with the parser imported): {base['peak_mb']:.0f} MB\n")
        head = f"{'file':34} {'way':6} {'peak MB':>8} {'time s':>8}  outcome"
        print(head)
        print("-" * len(head))
        worst = 0.0
        for label, path in files.items():
            for way in ("ours", "plain"):
                m = measure(way, path)
                if way == "ours":
                    worst = max(worst, m["peak_mb"])
                print(
                    f"{label:34} {way:6} {m['peak_mb']:>8.0f} {m['seconds']:>8.2f}  {m['outcome']}",
                    flush=True,
                )
        ok = worst < GOAL_MB
        verdict = "OK" if ok else "FAIL"
        print(f"\nours, highest peak: {worst:.0f} MB (goal < {GOAL_MB} MB): {verdict}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
