#!/usr/bin/env python3
"""Round-trip GoNB notebooks to a plain-text form that is easy to edit and review.

  nbtool.py export notebooks/x.ipynb > x.txt     # cells separated by '#%% md' / '#%% code' lines
  nbtool.py import x.txt notebooks/x.ipynb       # writes a fresh notebook (no outputs) with the gonb kernel

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


def import_(text_path, nb_path):
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
    nb = {"cells": cells, "metadata": {"kernelspec": KERNEL,
                                        "language_info": {"name": "go", "file_extension": ".go",
                                                          "mimetype": "text/x-go"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(cells):
        c["id"] = f"c{i:03d}"
    with open(nb_path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "export":
        export(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "import":
        import_(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
