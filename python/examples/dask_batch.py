#!/usr/bin/env python3
"""Fill every risk analysis workbook of a folder on a Dask cluster — the batch of
``risksheet fill FOLDER`` run through the Python module, for a workload that outgrows one machine.

    python dask_batch.py FOLDER [-o OUT_DIR] [--scheduler tcp://host:8786] [--workers N] [--json]

Without ``--scheduler`` (or ``DASK_SCHEDULER_ADDRESS``) it starts a ``LocalCluster`` with one
single-threaded worker process per core; with it, the same code runs on that cluster unchanged.
The workers open the files by path, so on a real cluster FOLDER and OUT_DIR must be on storage
every worker sees at the same path (NFS, SMB, a mounted bucket), and every worker needs
``pip install .`` at the repository's top level (or the wheel of ``python/build.sh``).

Each file is one task: open, ``fill()``, ``save()`` — atomic, in place or into OUT_DIR under the
same name. A damaged file is reported as failed and never stops the others. The output is what
``risksheet fill FOLDER`` prints: one line per file (or, with ``--json``, one JSON object per
file: ``{"file", "status": "ok"|"warnings"|"failed", "error", "warnings", "fill", "save"}``), then
the counts; the exit code is 1 when any file failed.

Needs ``pip install "dask[distributed]"``.
"""
import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

EXTENSIONS = (".xlsx", ".xlsm")


def find_workbooks(inputs: Iterable[Any], exclude: Optional[Path] = None) -> List[Path]:
    """The workbooks named by files and folders (walked recursively; Excel's ``~$`` lock files and
    hidden files left out), sorted within each folder, each once. ``exclude`` is a folder to skip
    (the output folder, when it lies inside an input folder)."""
    skip = Path(exclude).resolve() if exclude else None
    out: List[Path] = []
    seen = set()
    for item in map(Path, inputs):
        if item.is_dir():
            found = sorted(
                p for p in item.rglob("*")
                if p.suffix.lower() in EXTENSIONS and p.is_file()
                and not p.name.startswith(("~$", "."))
                and not (skip and (skip == p.parent.resolve() or skip in p.parent.resolve().parents))
            )
        else:
            found = [item]
        for p in found:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


def _warning_text(w: Dict[str, Any]) -> str:
    where = f"{w['sheet']}!{w['cell']}" if w.get("cell") else w.get("sheet", "")
    return f"{where}: {w.get('message', '')}"


def fill_one(path: str, out_dir: Optional[str] = None, profile: Optional[str] = None) -> Dict[str, Any]:
    """One task, run on a worker: fill ``path`` and save it (into ``out_dir`` or in place).
    Never raises: a failure is the record's ``status`` and ``error``."""
    import risksheet  # imported on the worker

    record: Dict[str, Any] = {"file": str(path), "status": "failed", "error": None, "warnings": []}
    try:
        target = str(Path(out_dir) / Path(path).name) if out_dir else None
        with risksheet.open(path) as wb:
            summary = wb.fill(profile)
            saved = wb.save(target)
        warnings = [_warning_text(w) for w in summary.get("warnings", [])]
        record.update(status="warnings" if warnings else "ok", warnings=warnings, fill=summary, save=saved)
    except risksheet.WorkbookError as e:
        record["error"] = str(e)
    except Exception as e:  # anything else is this file's failure too, not the batch's
        record["error"] = f"{type(e).__name__}: {e}"
    return record


def connect(address: Optional[str] = None, workers: Optional[int] = None):
    """``(client, cluster)``: a ``dask.distributed.Client`` to the scheduler at ``address``
    (default: ``DASK_SCHEDULER_ADDRESS``) and ``None``, or to a new ``LocalCluster`` of ``workers``
    single-threaded processes (default: one per core) and that cluster (close both when done)."""
    from dask.distributed import Client, LocalCluster

    address = address or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        return Client(address), None
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def run_batch(client, paths: List[Path], out_dir: Optional[Path] = None, profile: Optional[str] = None) -> List[Dict[str, Any]]:
    """Runs ``fill_one`` on every path on the cluster; the records, in the order of ``paths``. A
    task lost with its worker is reported as failed like any other file."""
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    futures = client.map(fill_one, [str(p) for p in paths], out_dir=str(out_dir) if out_dir else None,
                         profile=profile, pure=False)
    records = []
    for p, f in zip(paths, futures):
        try:
            records.append(f.result())
        except Exception as e:  # the task itself died (worker killed, module missing)
            records.append({"file": str(p), "status": "failed", "error": f"{type(e).__name__}: {e}", "warnings": []})
    return records


def line(rec: Dict[str, Any]) -> str:
    """The per-file line, as ``risksheet fill`` prints it in English."""
    s = f"{rec['status']:<8} {rec['file']}"
    if rec["status"] == "failed":
        return f"{s}: {rec['error']}"
    if rec["save"]["file"] != rec["file"]:
        s += f" → {rec['save']['file']}"
    s += f": assets {rec['fill']['assets']} computed ({rec['fill']['edition']}), {len(rec['save']['cells_written'])} cells written"
    if rec["warnings"]:
        s += f"; check: {rec['warnings'][0]}"
        if len(rec["warnings"]) > 1:
            s += f" (and {len(rec['warnings']) - 1} more)"
    return s


def counts(records: List[Dict[str, Any]]) -> Dict[str, int]:
    """ok / warnings / failed / total."""
    c = {k: sum(r["status"] == k for r in records) for k in ("ok", "warnings", "failed")}
    c["total"] = len(records)
    return c


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help="workbooks and folders (walked recursively)")
    ap.add_argument("-o", "--output", type=Path, help="output folder (default: in place)")
    ap.add_argument("--scheduler", default=os.environ.get("DASK_SCHEDULER_ADDRESS"),
                    help="address of a Dask scheduler (default: $DASK_SCHEDULER_ADDRESS, else a LocalCluster)")
    ap.add_argument("--workers", type=int, help="worker processes of the LocalCluster (default: one per core)")
    ap.add_argument("--profile", help="ipa-3, ipa-2.1 or a TOML profile file")
    ap.add_argument("--json", action="store_true", help="one JSON object per file (JSON Lines)")
    args = ap.parse_args(argv)

    paths = find_workbooks(args.inputs, exclude=args.output)
    if args.output and len({p.name for p in paths}) < len(paths):
        print("dask_batch: two inputs have the same file name; they would be written to the same output", file=sys.stderr)
        return 1
    client, cluster = connect(args.scheduler, args.workers)
    try:
        records = run_batch(client, paths, args.output, args.profile)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for rec in records:
        print(json.dumps(rec, ensure_ascii=False) if args.json else line(rec))
    table = "\n".join(f"{k:<10} {v:>6}" for k, v in counts(records).items())
    print(table, file=sys.stderr if args.json else sys.stdout)
    return 1 if any(r["status"] == "failed" for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
