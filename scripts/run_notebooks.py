#!/usr/bin/env python3
"""Execute peftlab's GoNB notebooks headless through Jupyter (nbclient, kernel "gonb").

  run_notebooks.py                 # every notebooks/*.ipynb, outputs written back in place
  run_notebooks.py --nb quickstart # one notebook (slug or path)
  run_notebooks.py --smoke         # PEFTLAB_SCALE=smoke; outputs discarded, notebooks untouched

Any cell error stops that notebook, names the notebook and the cell, and the command exits 1
after trying the remaining notebooks.
"""
import argparse
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NB_DIR = os.path.join(ROOT, "notebooks")


# Notebooks that read what the others recorded in the results database run last.
LAST = ("db_service_learning",)


def run_order(path):
    name = os.path.basename(path)[:-6]
    return (name in LAST, name)


def notebooks(selected):
    if not selected:
        return sorted(glob.glob(os.path.join(NB_DIR, "*.ipynb")), key=run_order)
    out = []
    for s in selected:
        path = s if s.endswith(".ipynb") else os.path.join(NB_DIR, s + ".ipynb")
        if not os.path.exists(path):
            known = ", ".join(os.path.basename(p)[:-6] for p in notebooks(None))
            sys.exit(f"run_notebooks: no notebook {path}; known: {known}")
        out.append(os.path.abspath(path))
    return out


def failing_cell(nb):
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                return i, cell
    return None, None


def run(path, smoke, timeout):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="gonb",
                            resources={"metadata": {"path": os.path.dirname(path)}})
    name = os.path.relpath(path, ROOT)
    start = time.time()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as e:
        idx, cell = failing_cell(nb)
        where = f"cell {idx}" if idx is not None else "a cell"
        first = "".join(cell.source).splitlines()[0] if cell is not None and cell.source else ""
        stderr = "".join(o.get("text", "") for o in (cell.get("outputs", []) if cell is not None else [])
                         if o.get("output_type") == "stream" and o.get("name") == "stderr")
        print(f"FAILED {name}: {where} ({first!r}) raised an error:\n{e}", file=sys.stderr)
        if stderr:
            print(f"--- the cell's stderr (last 3000 characters):\n{stderr[-3000:]}", file=sys.stderr)
        return False
    if os.environ.get("PEFTLAB_SCALE") != "smoke" and not smoke:
        nbformat.write(nb, path)
    print(f"ok     {name} ({time.time() - start:.0f} s)", flush=True)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nb", action="append", help="notebook slug or path (repeatable); default: all")
    ap.add_argument("--smoke", action="store_true", help="PEFTLAB_SCALE=smoke, discard outputs")
    ap.add_argument("--timeout", type=int, default=None, help="seconds per cell")
    args = ap.parse_args()
    os.environ["GOEXPERIMENT"] = "simd"
    # Keeps math.Exp fast in SIMD builds (peftlib/backend/preempt.go).
    os.environ["GODEBUG"] = ",".join(filter(None, [os.environ.get("GODEBUG"), "asyncpreemptoff=1"]))
    if args.smoke:
        os.environ["PEFTLAB_SCALE"] = "smoke"
    timeout = args.timeout or (300 if args.smoke else 3600)
    paths = notebooks(args.nb)
    if not paths:
        sys.exit("run_notebooks: no notebooks found in " + NB_DIR)
    failed = [p for p in paths if not run(p, args.smoke, timeout)]
    if failed:
        sys.exit(f"run_notebooks: {len(failed)} of {len(paths)} notebooks failed: "
                 + ", ".join(os.path.basename(p) for p in failed))


if __name__ == "__main__":
    main()
