#!/usr/bin/env python3
"""Round-trip GoNB notebooks to a plain-text form that is easy to edit and review.

  nbtool.py export notebooks/x.ipynb > x.txt     # cells separated by '#%% md' / '#%% code' lines
  nbtool.py import x.txt notebooks/x.ipynb       # writes a fresh notebook (no outputs) with the gonb kernel
  nbtool.py prose x.txt notebooks/x.ipynb        # updates only the markdown cells, keeping a run's outputs

The .ipynb file stays the source of truth; `make reproduce` fills in the outputs.
"""
import json
import sys

KERNEL = {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}


def export(path):
    nb = json.load(open(path))
    for cell in nb["cells"]:
        kind = "md" if cell["cell_type"] == "markdown" else "code"
        src = "".join(cell["source"])
        print(f"#%% {kind}\n{src}")


def prose(text_path, nb_path):
    """Replaces the markdown cells of nb_path with those of text_path; code must be unchanged."""
    new = parse(text_path)
    nb = json.load(open(nb_path))
    old = nb["cells"]
    if [c["cell_type"] for c in old] != [c["cell_type"] for c in new]:
        sys.exit(f"nbtool: {text_path} and {nb_path} have different cell layouts; use import and rerun")
    for i, (o, n) in enumerate(zip(old, new)):
        if o["cell_type"] == "markdown":
            o["source"] = n["source"]
        elif "".join(o["source"]) != "".join(n["source"]):
            sys.exit(f"nbtool: code cell {i} differs; its outputs would be stale: use import and rerun")
    with open(nb_path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


def import_(text_path, nb_path):
    cells = parse(text_path)
    nb = {"cells": cells, "metadata": {"kernelspec": KERNEL,
                                        "language_info": {"name": "go", "file_extension": ".go",
                                                          "mimetype": "text/x-go"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(cells):
        c["id"] = f"c{i:03d}"
    with open(nb_path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


def parse(text_path):
    cells, kind, lines = [], None, []

    def flush():
        if kind is None:
            return
        src = "\n".join(lines).strip("\n")
        source = [l + "\n" for l in src.split("\n")]
        if source:
            source[-1] = source[-1][:-1]
        if kind == "md":
            cells.append({"cell_type": "markdown", "metadata": {}, "source": source})
        else:
            cells.append({"cell_type": "code", "metadata": {}, "execution_count": None,
                          "outputs": [], "source": source})

    for line in open(text_path).read().split("\n"):
        if line.startswith("#%% "):
            flush()
            kind, lines = line[4:].strip(), []
            if kind not in ("md", "code"):
                sys.exit(f"nbtool: unknown cell kind {kind!r} (use md or code)")
        else:
            lines.append(line)
    flush()
    return cells


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "export":
        export(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "import":
        import_(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "prose":
        prose(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
