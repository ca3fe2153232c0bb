"""Reading a run folder written by `mlresnet compare`, for the notebooks beside this file.

A run folder is either one comparison (``results.json``, ``<run>.jsonl`` logs, ``<run>.h5`` level
archives) or a sweep (``compare --seeds K`` / ``--integrators``): ``summary.json``, ``summary.csv``
and one comparison folder per integrator and seed (``<integrator>-seed<S>/``). ``analysis.json`` is
written by ``mlresnet analyze ARCHIVE --json`` (the ``export`` script runs it when missing).

Every reader raises ``RunFolderError`` naming the file and what was expected.
"""
import json
import os
from pathlib import Path

#: Display names and colours of the runs of a comparison (Chang et al., ICLR 2018, §4).
KIND_LABELS = {
    "full": "(a) full: finest N from scratch",
    "multilevel": "(b) multi-level, h halved",
    "naive": "(c) naive: depth doubled, h kept",
    "shallow": "(d) shallow: first-cycle N",
}
KIND_COLOURS = {"full": "tab:blue", "multilevel": "tab:orange", "naive": "tab:green", "shallow": "tab:grey"}


class RunFolderError(Exception):
    """A run folder, or a file in it, is missing or not what `mlresnet` writes."""


def run_folder():
    """The run folder named by the environment variable MLRESNET_RUN, checked."""
    value = os.environ.get("MLRESNET_RUN")
    if not value:
        raise RunFolderError("set MLRESNET_RUN to a folder written by `mlresnet compare` "
                             "(or run notebooks-export/export RUN)")
    root = Path(value).resolve()
    if not root.is_dir():
        raise RunFolderError(f"MLRESNET_RUN={value}: not a folder")
    return root


def read_json(path):
    """The JSON document at `path`; RunFolderError if it is missing or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing") from None
    except json.JSONDecodeError as e:
        raise RunFolderError(f"{path}: not JSON ({e})") from None


def comparisons(root):
    """The comparisons of a run folder, as (name, folder, results) in folder order.

    One entry for a single comparison (results.json at the top), one per `<integrator>-seed<S>/`
    folder for a sweep.
    """
    root = Path(root)
    if (root / "results.json").is_file():
        return [(root.name, root, read_json(root / "results.json"))]
    found = sorted(p.parent for p in root.glob("*/results.json"))
    if not found:
        raise RunFolderError(f"{root}: no results.json, neither at the top nor in a sub-folder "
                             "(expected a folder written by `mlresnet compare`)")
    return [(p.name, p, read_json(p / "results.json")) for p in found]


def summary(root):
    """summary.json of a sweep, or None for a single comparison."""
    path = Path(root) / "summary.json"
    return read_json(path) if path.is_file() else None


def epochs(folder, run):
    """The per-epoch records of one run (its JSON-lines log), in order."""
    log = run.get("logFile")
    if not log:
        raise RunFolderError(f"{folder}/results.json: run {run['kind']} has no logFile")
    path = Path(folder) / log
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as e:
                        raise RunFolderError(f"{path}:{number}: not a JSON line ({e})") from None
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing (the log of run {run['kind']})") from None
    return records


def archive(root, kind="multilevel"):
    """The level archive of `kind` in the first comparison of the folder."""
    name, folder, results = comparisons(root)[0]
    for run in results["runs"]:
        if run["kind"] == kind and run.get("archiveFile"):
            path = Path(folder) / run["archiveFile"]
            if not path.is_file():
                raise RunFolderError(f"{path}: missing (the level archive of run {kind})")
            return path
    raise RunFolderError(f"{folder}/results.json: run {kind} has no level archive")


def repeat_archives(root, kind="multilevel"):
    """The level archives of `kind` in every repeat (seed) of the first comparison's setting
    (same integrator and steps per stage), in folder order."""
    entries = comparisons(root)
    first = entries[0][2]
    paths = []
    for name, folder, results in entries:
        if results["integrator"] == first["integrator"] and results["stepCounts"] == first["stepCounts"]:
            paths.append(archive(folder, kind))
    return paths


def analysis(root):
    """analysis.json (`mlresnet analyze --json`) at the top of the folder, as (report, summary).

    For one archive the file is the report and summary is None; for several (repeats over seeds) it
    holds {archives, reports, summary} and the first archive's report is returned with the summary.
    """
    path = Path(root) / "analysis.json"
    document = read_json(path)
    if "reports" in document:
        if not document["reports"]:
            raise RunFolderError(f"{path}: no reports")
        return document["reports"][0], document.get("summary")
    if "levels" not in document:
        raise RunFolderError(f"{path}: neither an analysis report (levels) nor a collection (reports)")
    return document, None


def markdown_table(header, rows):
    """A Markdown table (for IPython.display.Markdown)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def mean_sd(values):
    """(mean, sample sd or None) of a list of numbers."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, None
    return mean, (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5
