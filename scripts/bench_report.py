"""The pure half of `make bench`: parse levbench's output, take medians,
judge targets, lay out the table and the JSON.  No QEMU, no files.

A figure is a named measurement with one value per configuration:
"levitate" (tracing off), "traced" (tracing on) and "linux" (the peer).
Values are seconds for boot and build figures, nanoseconds for in-guest ones.
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field

CONFIGS = ("levitate", "traced", "linux")
BENCH_PREFIX = "BENCH "
START_MARKER = "LEVBENCH start"

# levbench's JSON keys, in table order, with their row labels.
GUEST_FIGURES = (
    ("getpid_ns", "getpid"),
    ("fork_exit_wait_ns", "fork+exit+wait"),
    ("fork_exec_wait_ns", "fork+exec+wait"),
    ("pipe_roundtrip_ns", "pipe round trip"),
    ("exec_big_ns", "fork+exec+wait, 1 MiB binary"),
)

# The floor kernel's levbench figures (levbench floor, one boot each).
FLOOR_FIGURES = (
    ("floor_ns", "null syscall floor: SYSCALL+SYSRET (floor kernel)", "ns"),
    ("floor_getpid_ns", "getpid on the floor kernel (same boots)", "ns"),
    ("getpid_over_floor", "getpid / floor (alternating rounds, one boot)", "x"),
)
GETPID_FLOOR_TARGET = 1.5

NOTE = ("Absolute times vary between machines (and with host load): compare the "
        "ratios, which come from the same QEMU in the same run.")


@dataclass
class Figure:
    """One table row.  unit is "s" or "ns"; values maps a config to its
    median (None when not measured); samples keeps every run's value;
    target says what docs/bench.md ("Targets") asks, met whether this run meets it."""
    key: str
    label: str
    unit: str
    values: dict[str, float | None] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)
    target: str = ""
    met: bool | None = None


def parse_bench_line(text: str) -> dict[str, float] | None:
    """The figures of the first "BENCH {json}" line in text (console output,
    \\r allowed), or None when there is none or its JSON is malformed."""
    for line in text.replace("\r", "").split("\n"):
        start = line.find(BENCH_PREFIX + "{")
        if start < 0:
            continue
        try:
            data = json.loads(line[start + len(BENCH_PREFIX):])
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))}
    return None


def median(values: list[float]) -> float | None:
    """The median of values, or None for an empty list."""
    return statistics.median(values) if values else None


def per_key_medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """For each key seen in any run, the median over the runs that have it."""
    keys = sorted({k for run in runs for k in run})
    return {k: statistics.median([r[k] for r in runs if k in r]) for k in keys}


def ratio(linux: float | None, levitate: float | None) -> float | None:
    """Linux's time over Levitate's: above 1 means Levitate is faster."""
    if linux is None or levitate is None or levitate <= 0:
        return None
    return linux / levitate


def judge_speedup(fig: Figure, factor: float) -> None:
    """Target "at least factor x Linux's speed, tracing off"."""
    fig.target = f">= {factor:g}x Linux"
    r = ratio(fig.values.get("linux"), fig.values.get("levitate"))
    fig.met = None if r is None else r >= factor


def judge_below(fig: Figure, config: str, limit: float, text: str) -> None:
    """Target "config's value under limit" (limit in the figure's unit)."""
    fig.target = text
    v = fig.values.get(config)
    fig.met = None if v is None else v < limit


def judge_at_most(fig: Figure, config: str, limit: float, text: str) -> None:
    """Target "config's value at most limit" (limit in the figure's unit)."""
    fig.target = text
    v = fig.values.get(config)
    fig.met = None if v is None else v <= limit


def floor_figures(runs: list[dict[str, float]],
                  traced: list[dict[str, float]] | None = None) -> list[Figure]:
    """The floor kernel's figures (in the "levitate" column, medians over its
    boots); getpid / floor judged against GETPID_FLOOR_TARGET.  With traced
    runs (the floor kernel booted with --trace): getpid / floor traced, and
    the traced cost in floor units times the floor, judged <= 1 us."""
    figs = []
    for key, label, unit in FLOOR_FIGURES:
        f = Figure(key, label, unit)
        f.samples["levitate"] = [r[key] for r in runs if key in r]
        f.values = {c: median(f.samples.get(c, [])) for c in CONFIGS}
        figs.append(f)
    times = figs[-1]
    judge_at_most(times, "levitate", GETPID_FLOOR_TARGET, f"<= {GETPID_FLOOR_TARGET:g}x")
    if traced:
        times.samples["traced"] = [r["getpid_over_floor"] for r in traced
                                   if "getpid_over_floor" in r]
        times.values["traced"] = median(times.samples["traced"])
        figs.append(floor_traced_cost(times, figs[0]))
    return figs


def floor_traced_cost(times: Figure, floor: Figure) -> Figure:
    """What tracing adds to getpid, in floor units (traced boots' getpid/floor
    minus untraced boots'), times the floor in ns: each ratio comes from
    alternating rounds of one boot, so a loaded host moves it far less than
    the difference of two boots' absolute times."""
    fig = Figure("floor_traced_cost_ns", "traced syscall cost, in floors x floor (floor kernel)",
                 "ns")
    on, off, unit = times.values.get("traced"), times.values.get("levitate"), floor.values.get("levitate")
    cost = None if on is None or off is None or unit is None else (on - off) * unit
    fig.values = {"levitate": None, "traced": cost, "linux": None}
    judge_at_most(fig, "traced", 1000, "<= 1 us")
    return fig


def traced_syscall_cost(getpid: Figure) -> Figure:
    """Traced getpid minus untraced getpid: what tracing adds to one call."""
    on, off = getpid.values.get("traced"), getpid.values.get("levitate")
    fig = Figure("traced_syscall_cost_ns", "traced syscall cost (traced - untraced getpid)", "ns")
    fig.values = {"levitate": None, "traced": None if on is None or off is None else on - off,
                  "linux": None}
    judge_at_most(fig, "traced", 1000, "<= 1 us")
    return fig


def format_value(value: float | None, unit: str) -> str:
    """A value for the table: seconds with 3 decimals; nanoseconds as ns
    below 1 us, us below 1 ms, ms above; '-' when missing."""
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.3f} s"
    if abs(value) < 1e3:
        return f"{value:.0f} ns"
    if abs(value) < 1e6:
        return f"{value / 1e3:.1f} us"
    return f"{value / 1e6:.2f} ms"


def format_ratio(value: float | None) -> str:
    """A Linux/Levitate ratio, '-' when missing."""
    return "-" if value is None else f"{value:.2f}x"


def format_met(met: bool | None) -> str:
    """A verdict cell."""
    return {True: "met", False: "NOT met", None: ""}[met]


def table_rows(figures: list[Figure]) -> list[list[str]]:
    """The table's cells, header first."""
    rows = [["figure", "Levitate", "Levitate traced", "Linux", "Linux/Levitate",
             "target", "verdict"]]
    for f in figures:
        rows.append([f.label,
                     format_value(f.values.get("levitate"), f.unit),
                     format_value(f.values.get("traced"), f.unit),
                     format_value(f.values.get("linux"), f.unit),
                     format_ratio(ratio(f.values.get("linux"), f.values.get("levitate"))),
                     f.target, format_met(f.met)])
    return rows


def format_table(figures: list[Figure]) -> str:
    """An aligned plain-text table: first column left, the rest right."""
    rows = table_rows(figures)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def results_json(figures: list[Figure], meta: dict[str, object]) -> dict[str, object]:
    """The machine-readable results: meta (machine, runs, peer status) and
    every figure with its medians, samples, ratio and target."""
    return {
        "meta": meta,
        "note": NOTE,
        "figures": [{
            "key": f.key, "label": f.label, "unit": f.unit,
            "values": {c: f.values.get(c) for c in CONFIGS},
            "samples": {c: f.samples.get(c, []) for c in CONFIGS},
            "linux_over_levitate": ratio(f.values.get("linux"), f.values.get("levitate")),
            "target": f.target, "met": f.met,
        } for f in figures],
    }
