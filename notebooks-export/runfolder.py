"""Reading a run folder written by `mlresnet compare`, for the notebooks beside this file.

A run folder is either one comparison (``results.json``, ``<run>.jsonl`` logs, ``<run>.h5`` level
archives) or a sweep (``compare --seeds K`` / ``--integrators``): ``summary.json``, ``summary.csv``
and one comparison folder per integrator and seed (``<integrator>-seed<S>/``). ``analysis.json`` is
written by ``mlresnet analyze ARCHIVE --json`` (the ``export`` script runs it when missing).

Every comparison folder and sweep folder carries ``status.json`` (state running / complete / failed /
interrupted); only complete ones are read: a run still going, killed, stopped or failed has partial
files (and a folder re-used by a new run would mix two runs). A folder without ``status.json``
(written by an mlresnet before status files) is read with a warning on standard error.

Every reader raises ``RunFolderError`` naming the file and what was expected.
"""
import json
import math
import os
import sys
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
    """The JSON document at `path`; RunFolderError if it is missing, unreadable or malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing") from None
    except json.JSONDecodeError as e:
        raise RunFolderError(f"{path}: not JSON ({e})") from None
    except UnicodeDecodeError as e:
        raise RunFolderError(f"{path}: not JSON (not UTF-8 text: {e.reason} at byte {e.start})") from None
    except OSError as e:
        raise RunFolderError(f"{path}: cannot be read ({e.strerror or e})") from None


_NUMBER = (int, float)


def _check(value, path, where, fields):
    """RunFolderError naming `path` and `where` unless `value` is an object with `fields`
    (name → type or tuple of types; a type of None allows null)."""
    if not isinstance(value, dict):
        raise RunFolderError(f"{path}: {where} is {type(value).__name__}, expected a JSON object")
    for name, kind in fields.items():
        if name not in value:
            raise RunFolderError(f"{path}: {where} has no field '{name}'")
        allowed = kind if isinstance(kind, tuple) else (kind,)
        item = value[name]
        if item is None and type(None) in allowed:
            continue
        if isinstance(item, bool) or not isinstance(item, tuple(t for t in allowed if t is not type(None))):
            names = " or ".join("null" if t is type(None) else {"dict": "object", "list": "array", "str": "string",
                                                               "int": "number", "float": "number"}[t.__name__]
                                for t in allowed)
            raise RunFolderError(f"{path}: {where}: field '{name}' is {json.dumps(item)[:40]}, expected {names}")
    return value


def _check_list(value, path, where, nonempty=True):
    if not isinstance(value, list) or (nonempty and not value):
        raise RunFolderError(f"{path}: {where} is {json.dumps(value)[:40]}, expected a non-empty array")
    return value


def _check_results(results, path):
    """results.json as the notebooks read it."""
    _check(results, path, "the document", {"runs": list, "integrator": str, "stepCounts": list, "theory": dict})
    _check(results["theory"], path, "theory", {"plannedSplit": _NUMBER, "plannedSplitMultiplyAccumulates": _NUMBER})
    for i, run in enumerate(_check_list(results["runs"], path, "runs")):
        _check(run, path, f"runs[{i}]", {"kind": str, "levels": list, "testAccuracy": _NUMBER,
                                         "trainSeconds": _NUMBER})
        if run["kind"] not in KIND_LABELS:
            raise RunFolderError(f"{path}: runs[{i}]: unknown kind '{run['kind']}' (expected {', '.join(KIND_LABELS)})")
        for j, level in enumerate(_check_list(run["levels"], path, f"runs[{i}].levels")):
            _check(level, path, f"runs[{i}].levels[{j}]",
                   {"stepCount": int, "stepSize": _NUMBER, "finalTime": _NUMBER, "epochs": int})
    return results


STATUS_FILE = "status.json"
STATES = ("running", "complete", "failed", "interrupted")
_warned = set()


def require_complete(folder):
    """RunFolderError naming `folder`/status.json unless its run is complete; a warning on standard
    error (once per folder) when the folder has no status file."""
    path = Path(folder) / STATUS_FILE
    if not path.exists():
        if str(path) not in _warned:
            _warned.add(str(path))
            print(f"warning: {path}: missing, so whether the run in {folder} finished is unknown "
                  "(written by an mlresnet before status files?)", file=sys.stderr)
        return None
    status = _check(read_json(path), path, "the document", {"state": str, "commandLine": list, "startedAt": str})
    state = status["state"]
    if state not in STATES:
        raise RunFolderError(f"{path}: state '{state}' is not one of {', '.join(STATES)}")
    if state != "complete":
        detail = {"running": "a run is writing it, or was killed while writing it",
                  "failed": f"the run failed: {status.get('error') or 'unknown error'}",
                  "interrupted": "the run was interrupted"}[state]
        resume = status.get("resumeCommand")
        hint = f"; continue it with: {resume}" if isinstance(resume, str) else ""
        raise RunFolderError(f"{path}: state {state}: {detail}{hint}; the files in {folder} are partial, "
                             "so nothing is drawn from them")
    return status


def comparisons(root):
    """The comparisons of a run folder, as (name, folder, results) in folder order.

    One entry for a single comparison (results.json at the top); for a sweep, one per member that
    summary.json lists (`<integrator>-seed<S>/`, integrator-major), or, without summary.json (an
    interrupted sweep), one per sub-folder holding a results.json.
    """
    root = Path(root)
    require_complete(root)
    if (root / "results.json").is_file() and (root / "summary.json").exists():
        raise RunFolderError(f"{root}: holds both results.json (one comparison) and summary.json (a sweep): "
                             "two runs were written into one folder; move one of them")
    if (root / "results.json").is_file():
        return [_comparison(root)]
    listed = summary(root)
    if listed is not None:
        # A sweep: exactly the members its summary.json was computed from (a folder reused for an
        # earlier sweep may hold other `<integrator>-seed<S>/` folders, which must not mix in).
        found = [root / f"{group['integrator']}-seed{seed}" for group in listed["groups"] for seed in group["seeds"]]
        for folder in found:
            if not (folder / "results.json").is_file():
                raise RunFolderError(f"{folder / 'results.json'}: missing (a member of the sweep in {root / 'summary.json'})")
        return [_comparison(p) for p in found]
    found = sorted(p.parent for p in root.glob("*/results.json"))
    if not found:
        raise RunFolderError(f"{root}: no results.json, neither at the top nor in a sub-folder "
                             "(expected a folder written by `mlresnet compare`)")
    return [_comparison(p) for p in found]


def _comparison(folder):
    """(name, folder, results) of one comparison folder, its status and results.json checked."""
    require_complete(folder)
    return folder.name, folder, _check_results(read_json(folder / "results.json"), folder / "results.json")


def summary(root):
    """summary.json of a sweep, or None for a single comparison."""
    path = Path(root) / "summary.json"
    if not path.exists():
        return None
    document = _check(read_json(path), path, "the document", {"groups": list})
    for g, group in enumerate(_check_list(document["groups"], path, "groups")):
        _check(group, path, f"groups[{g}]", {"integrator": str, "stepCounts": list, "rows": list, "seeds": list})
        for seed in _check_list(group["seeds"], path, f"groups[{g}].seeds"):
            if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
                raise RunFolderError(f"{path}: groups[{g}].seeds holds {json.dumps(seed)[:40]}, expected seeds ≥ 0")
        for r, row in enumerate(_check_list(group["rows"], path, f"groups[{g}].rows")):
            where = f"groups[{g}].rows[{r}]"
            fields = {"kind": str, "testError": dict, "trainSeconds": dict}
            if len(document["groups"]) >= 2:
                # Plotted against each other only when integrators are compared.
                fields.update(functionEvaluationsPerImage=int, trainingFunctionEvaluationsPerImage=int)
            _check(row, path, where, fields)
            if row["kind"] not in KIND_LABELS:
                raise RunFolderError(f"{path}: {where}: unknown kind '{row['kind']}' (expected {', '.join(KIND_LABELS)})")
            _check(row["testError"], path, f"{where}.testError", {"mean": _NUMBER})
            _check(row["trainSeconds"], path, f"{where}.trainSeconds", {"mean": _NUMBER})
    return document


def epochs(folder, run):
    """The per-epoch records of one run (its JSON-lines log), in order."""
    kind = run.get("kind")
    log = run.get("logFile")
    if not log or not isinstance(log, str):
        raise RunFolderError(f"{folder}/results.json: run {kind} has no logFile")
    path = Path(folder) / log
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise RunFolderError(f"{path}:{number}: not a JSON line ({e})") from None
                    records.append(_check(record, f"{path}:{number}", "the epoch record",
                                          {"trainSeconds": _NUMBER, "cycle": int}))
                    if record.get("testAccuracy") is not None and not isinstance(record["testAccuracy"], _NUMBER):
                        raise RunFolderError(f"{path}:{number}: testAccuracy is {json.dumps(record['testAccuracy'])[:40]}, "
                                             "expected a number")
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing (the log of run {kind})") from None
    except UnicodeDecodeError as e:
        raise RunFolderError(f"{path}: not JSON lines (not UTF-8 text: {e.reason} at byte {e.start})") from None
    except OSError as e:
        raise RunFolderError(f"{path}: cannot be read ({e.strerror or e})") from None
    if not records:
        raise RunFolderError(f"{path}: no epoch records (the log of run {kind})")
    return records


def archive(root, kind="multilevel"):
    """The level archive of `kind` in the first comparison of the folder."""
    name, folder, results = comparisons(root)[0]
    return _archive_of(folder, results, kind)


def _archive_of(folder, results, kind):
    """The checked level archive of run `kind` of one comparison (its results already read)."""
    for run in results["runs"]:
        if run["kind"] == kind and run.get("archiveFile"):
            path = Path(folder) / run["archiveFile"]
            if not path.is_file():
                raise RunFolderError(f"{path}: missing (the level archive of run {kind})")
            _check_archive(path)
            return path
    raise RunFolderError(f"{folder}/results.json: run {kind} has no level archive")


def _check_archive(path):
    """RunFolderError unless h5py opens `path` as a level archive: /levels with at least one level,
    each with stages holding t, conv1.weight and conv2.weight, and every dataset passes
    `_check_datasets` (checksums when the file carries them, finite floats)."""
    import h5py
    try:
        with h5py.File(path, "r") as f:
            if "levels" not in f or not isinstance(f["levels"], h5py.Group) or not len(f["levels"]):
                raise RunFolderError(f"{path}: no /levels group with a level (not a level archive of `mlresnet`)")
            for attribute in ["integrator", "prolongation", "step_rule"]:
                if attribute not in f.attrs:
                    raise RunFolderError(f"{path}: the root has no attribute '{attribute}' (not a level archive of `mlresnet`)")
            stages = None
            for name in f["levels"]:
                if not name.isdigit() or "stages" not in f["levels"][name] or not len(f["levels"][name]["stages"]):
                    raise RunFolderError(f"{path}: /levels/{name} has no stages (not a level archive of `mlresnet`)")
                for attribute in ["steps_per_stage", "h", "T", "epochs"]:
                    if attribute not in f["levels"][name].attrs:
                        raise RunFolderError(f"{path}: /levels/{name} has no attribute '{attribute}'")
                names = sorted(f["levels"][name]["stages"])
                if stages is not None and names != stages:
                    raise RunFolderError(f"{path}: /levels/{name} has stages {names}, another level has {stages}")
                stages = names
                for stage in names:
                    group = f["levels"][name]["stages"][stage]
                    for dataset in ["t", "conv1.weight", "conv2.weight", "bn1.weight", "bn2.weight"]:
                        if dataset not in group:
                            raise RunFolderError(f"{path}: /levels/{name}/stages/{stage}/{dataset} is missing")
                    if "h" not in group.attrs:
                        raise RunFolderError(f"{path}: /levels/{name}/stages/{stage} has no attribute 'h'")
            _check_datasets(f, path)
    except OSError as e:
        raise RunFolderError(f"{path}: not a readable HDF5 file, truncated or corrupt? ({e})") from None


def _check_datasets(f, path):
    """RunFolderError naming the first dataset of the open h5py file `f` whose `crc32` attribute
    differs from zlib's CRC-32 of its stored bytes (or is missing, when the file carries checksums:
    a root `crc32` or any dataset with one; layout in Sources/Archiving/ArchiveChecksum.swift), or
    whose float values hold a NaN or ±∞. The root manifest CRC is not recomputed here."""
    import h5py
    import numpy
    import zlib
    datasets = []
    f.visititems(lambda name, item: datasets.append(item) if isinstance(item, h5py.Dataset) else None)
    checksummed = "crc32" in f.attrs or any("crc32" in d.attrs for d in datasets)
    for dataset in datasets:
        values = numpy.asarray(dataset[()])
        if checksummed:
            if "crc32" not in dataset.attrs:
                raise RunFolderError(f"{path}: {dataset.name} has no crc32 attribute (the file carries checksums)")
            stored = int(numpy.asarray(dataset.attrs["crc32"]).reshape(-1)[0])
            # As the library computes it: over the stored bytes, little-endian.
            stored_bytes = values.astype(values.dtype.newbyteorder("<"), copy=False) if values.dtype.kind in "biufc" else values
            computed = zlib.crc32(stored_bytes.tobytes())
            if stored != computed:
                raise RunFolderError(f"{path}: {dataset.name}: checksum mismatch (stored crc32 {stored & 0xFFFFFFFF:08x}, "
                                     f"computed {computed:08x}): damaged file")
        if values.dtype.kind in "fc" and not numpy.isfinite(values).all():
            count = int(values.size - numpy.count_nonzero(numpy.isfinite(values)))
            raise RunFolderError(f"{path}: {dataset.name} holds {count} non-finite value(s) (NaN or ±∞)")


def repeat_archives(root, kind="multilevel"):
    """The level archives of `kind` in every repeat (seed) of the first comparison's setting
    (same integrator and steps per stage), in folder order."""
    entries = comparisons(root)
    first = entries[0][2]
    paths = []
    for name, folder, results in entries:
        if results["integrator"] == first["integrator"] and results["stepCounts"] == first["stepCounts"]:
            paths.append(_archive_of(folder, results, kind))
    return paths


def analysis(root):
    """analysis.json (`mlresnet analyze --json`) at the top of the folder, as (report, summary).

    For one archive the file is the report and summary is None; for several (repeats over seeds) it
    holds {archives, reports, summary} and the first archive's report is returned with the summary.
    """
    path = Path(root) / "analysis.json"
    document = read_json(path)
    if not isinstance(document, dict):
        raise RunFolderError(f"{path}: the document is {type(document).__name__}, expected a JSON object")
    if "reports" in document:
        _check(document, path, "the collection", {"reports": list, "summary": dict, "archives": list})
        _check_list(document["reports"], path, "reports")
        _check(document["summary"], path, "summary", {"levels": list, "archives": list})
        for i, level in enumerate(document["summary"]["levels"]):
            _check(level, path, f"summary.levels[{i}]", {"level": int, "stepCount": int, "accuracy": dict,
                                                          "meanResidualNorm": dict, "worstSingleLesionAccuracy": dict})
        report, seeds = document["reports"][0], document["summary"]
        where = "reports[0]"
    elif "levels" in document:
        report, seeds, where = document, None, "the report"
    else:
        raise RunFolderError(f"{path}: neither an analysis report (levels) nor a collection (reports)")
    _check(report, path, where, {"dataset": str, "testCount": int, "levels": list})
    for i, level in enumerate(_check_list(report["levels"], path, f"{where}.levels")):
        _check(level, path, f"{where}.levels[{i}]", {"level": int, "stepCount": int, "accuracy": _NUMBER,
                                                     "meanResidualNorm": _NUMBER, "steps": list, "resampled": list})
        for j, row in enumerate(level["steps"]):
            _check(row, path, f"{where}.levels[{i}].steps[{j}]",
                   {"stage": int, "step": int, "time": _NUMBER, "residualNorm": _NUMBER, "stateNorm": _NUMBER,
                    "lesionAccuracy": _NUMBER})
    return report, seeds


def check(root, notebooks):
    """Reads every file that `notebooks` (names among compare, levels, analysis) will read, so a bad
    run folder fails here with one RunFolderError naming the file instead of inside a cell."""
    require_complete(root)
    if "compare" in notebooks:
        for name, folder, results in comparisons(root):
            for run in results["runs"]:
                epochs(folder, run)
        summary(root)
    if "levels" in notebooks:
        archive(root)
    if "analysis" in notebooks:
        repeat_archives(root)
        analysis(root)


def markdown_table(header, rows):
    """A Markdown table (for IPython.display.Markdown)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def mean_sd(values):
    """(mean, sample sd or None) of a list of numbers."""
    n = len(values)
    if n == 0:
        raise ValueError("mean_sd of no values")
    mean = sum(values) / n
    if n < 2:
        return mean, None
    return mean, (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5


def plus_minus(value, spread, digits=3):
    """`value ± spread` with the spread to `digits` significant digits and the value to the same
    decimal place (at least `digits` significant digits when there is no spread), e.g.
    ``plus_minus(-1.17023, 0.0123456) == "-1.1702 ± 0.0123"``."""
    if spread is None or not math.isfinite(spread) or spread <= 0:
        return f"{value:.{digits}g}" if spread is None or not math.isfinite(spread) else f"{value:.{digits}g} ± 0"
    decimals = max(0, digits - 1 - math.floor(math.log10(spread)))
    return f"{value:.{decimals}f} ± {spread:.{decimals}f}"


def readable_log_ticks(axis, values=None):
    """Plain-number ticks on a logarithmic matplotlib axis (``ax.xaxis`` or ``ax.yaxis``), no
    powers of ten: at `values` when given (e.g. the measured N), else at 1, 2, 5 × 10^k inside the
    current limits (1 … 9 × 10^k when that leaves fewer than three)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator
    if values is None:
        low, high = sorted(axis.get_view_interval())
        exponents = range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
        for mantissas in [(1, 2, 5), range(1, 10)]:
            values = [m * 10.0 ** e for e in exponents for m in mantissas if low <= m * 10.0 ** e <= high]
            if len(values) >= 3:
                break
    axis.set_major_locator(FixedLocator(sorted(set(values))))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}"))
    axis.set_minor_locator(NullLocator())
    axis.set_minor_formatter(NullFormatter())
