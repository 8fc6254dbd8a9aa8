"""Tables, JSON and the chart of a benchmark run, and the targets of issue 5."""

import json
import os
import platform
import re
import subprocess
from pathlib import Path

# Issue 5, item 3.
READ_TARGETS = {"M": 0.20, "L": 0.50}
DETAIL_TARGET = 0.05
ANALYTICS_FACTOR = 1.5
ISOLATION_FACTOR = 1.25
RSS_GROWTH = 0.10


def machine():
    cpu = ""
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = match.group(1) if match else ""
    except OSError:
        pass
    memory_gib = None
    try:
        match = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        memory_gib = round(int(match.group(1)) / 1024 / 1024, 1) if match else None
    except OSError:
        pass
    postgres = subprocess.run(["pgbench", "--version"], capture_output=True, text=True).stdout.strip()
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory_gib,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "pgbench": postgres,
        "wrk": wrk,
    }


def target_for(size, kind):
    if kind == "detail":
        return DETAIL_TARGET if size in READ_TARGETS else None
    if kind in {"read"}:
        return READ_TARGETS.get(size)
    return None


def table(size, counts, runs):
    head = ", ".join(f"{value:,} {key}" for key, value in counts.items())
    lines = [
        f"\n{size}: {head}",
        f"{'endpoint':<18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>7} {'SQL tps':>9} {'ratio':>7}  target",
    ]
    for name, run in runs.items():
        api, sql = run["api"], run["sql"]
        target = target_for(size, run["kind"])
        verdict = ""
        if target is not None and run["ratio"] is not None:
            verdict = f">= {target:.0%} {'ok' if run['ratio'] >= target else 'MISSED'}"
        non_2xx = api["non_2xx"] + api["socket_errors"]
        ratio = f"{run['ratio']:.0%}" if run["ratio"] is not None else "-"
        lines.append(
            f"{name:<18} {api['rps']:>8.0f} {api['p50_ms']:>8.2f} {api['p99_ms']:>8.2f} {non_2xx:>7} "
            f"{sql['tps']:>9.0f} {ratio:>7}  {verdict}"
        )
    return "\n".join(lines)


def server_line(entry):
    parts = ", ".join(
        f"{name} {run['rps']:.0f} req/s p50 {run['p50_ms']:.1f} ms" for name, run in entry["runs"].items()
    )
    return f"{entry['server']}: {parts}; RSS {entry['rss_kib_total'] / 1024:.0f} MiB"


def rss_summary(rss):
    start = sum(rss["start"].values())
    end = sum(rss["end"].values())
    growth = (end - start) / start if start else 0.0
    return start, end, growth


def checks(results):
    """Each target of issue 5 with its measured value."""
    out = []
    for size, runs in results.get("runs", {}).items():
        for name, run in runs.items():
            target = target_for(size, run["kind"])
            if target is not None and run["ratio"] is not None:
                out.append((f"{name} on {size} >= {target:.0%} of SQL", f"{run['ratio']:.0%}", run["ratio"] >= target))
            non_2xx = run["api"]["non_2xx"] + run["api"]["socket_errors"]
            if non_2xx:
                out.append((f"{name} on {size}: zero non-2xx", str(non_2xx), False))
    latency = results.get("analytics_latency", {})
    for name, entry in latency.items():
        if isinstance(entry, dict) and entry.get("factor") is not None:
            out.append(
                (
                    f"{name} on {latency['tenant']} within {ANALYTICS_FACTOR}x SQL time",
                    f"{entry['factor']:.2f}x ({entry['api_mean_ms']:.1f} vs {entry['sql_latency_ms']:.1f} ms)",
                    entry["factor"] <= ANALYTICS_FACTOR,
                )
            )
    iso = results.get("isolation")
    if iso and iso.get("factor") is not None:
        out.append(
            (
                f"{iso['small']} p50 beside {iso['large']} within {ISOLATION_FACTOR}x of alone",
                f"{iso['factor']:.2f}x ({iso['alone']['p50_ms']:.2f} -> {iso['beside']['p50_ms']:.2f} ms)",
                iso["factor"] <= ISOLATION_FACTOR,
            )
        )
    if "rss_kib" in results:
        start, end, growth = rss_summary(results["rss_kib"])
        out.append(
            (
                f"worker RSS growth < {RSS_GROWTH:.0%}",
                f"{growth:+.1%} ({start / 1024:.0f} -> {end / 1024:.0f} MiB)",
                growth < RSS_GROWTH,
            )
        )
    non_2xx_total = sum(
        run["api"]["non_2xx"] + run["api"]["socket_errors"]
        for runs in results.get("runs", {}).values()
        for run in runs.values()
    )
    out.append(("zero non-2xx responses", str(non_2xx_total), non_2xx_total == 0))
    return out


def summary_text(results):
    lines = [f"\nserver: {results['server']}; {results['connections']} connections, {results['duration_s']} s a run"]
    for label, value, ok in checks(results):
        lines.append(f"  [{'ok' if ok else 'MISSED'}] {label}: {value}")
    return "\n".join(lines)


def markdown(results):
    """The tables as Markdown, for the README's Performance section."""
    out = []
    for size, runs in results["runs"].items():
        counts = results["sizes"][size]
        out.append(f"**{size}** ({', '.join(f'{v:,} {k}' for k, v in counts.items())})\n")
        out.append("| endpoint | req/s | p50 ms | p99 ms | non-2xx | SQL tps | API/SQL |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for name, run in runs.items():
            api, sql = run["api"], run["sql"]
            ratio = f"{run['ratio']:.0%}" if run["ratio"] is not None else "-"
            out.append(
                f"| {name} | {api['rps']:.0f} | {api['p50_ms']:.2f} | {api['p99_ms']:.2f} | "
                f"{api['non_2xx'] + api['socket_errors']} | {sql['tps']:.0f} | {ratio} |"
            )
        out.append("")
    return "\n".join(out)


def chart(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: matplotlib is not installed (requirements-bench.txt); no chart.")
        return None
    runs = {size: tenant_runs for size, tenant_runs in results["runs"].items() if tenant_runs}
    if not runs:
        return None
    sizes = list(runs)
    endpoints = []
    for size in sizes:
        for name in runs[size]:
            if name not in endpoints:
                endpoints.append(name)
    width = 0.8 / max(1, len(sizes))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 8), sharex=True)
    for i, size in enumerate(sizes):
        xs = [j + (i - (len(sizes) - 1) / 2) * width for j in range(len(endpoints))]
        api = [runs[size].get(name, {}).get("api", {}).get("rps", 0) for name in endpoints]
        sql = [runs[size].get(name, {}).get("sql", {}).get("tps", 0) for name in endpoints]
        ratio = [(runs[size].get(name, {}).get("ratio") or 0) * 100 for name in endpoints]
        bars = top.bar(xs, api, width, label=f"{size} API req/s")
        top.scatter(xs, sql, marker="_", s=200, color=bars.patches[0].get_facecolor() if bars.patches else None)
        bottom.bar(xs, ratio, width, label=size)
    top.set_yscale("log")
    top.set_ylabel("req/s (bars: API; dashes: raw SQL tps)")
    top.legend(ncol=len(sizes), fontsize="small")
    top.set_title(f"Throughput by size and endpoint - {results['server']}, {results['connections']} connections")
    bottom.axhline(20, color="grey", linestyle="--", linewidth=0.8)
    bottom.axhline(50, color="grey", linestyle=":", linewidth=0.8)
    bottom.set_ylabel("API / raw SQL (%)")
    bottom.set_xticks(range(len(endpoints)))
    bottom.set_xticklabels(endpoints, rotation=20, ha="right")
    bottom.legend(ncol=len(sizes), fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def finish(results, directory):
    directory = Path(directory)
    stamp = results["started_at"].replace(":", "").replace("+0000", "Z")
    results["checks"] = [{"target": label, "value": value, "met": ok} for label, value, ok in checks(results)]
    for path in (directory / f"bench-{stamp}.json", directory / "latest.json"):
        path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    (directory / "latest.md").write_text(markdown(results) + "\n")
    png = chart(results, directory / "bench.png")
    iso = results.get("isolation")
    if iso:
        print(
            f"\nisolation: {iso['small']} {iso['endpoint']} p50 alone {iso['alone']['p50_ms']:.2f} ms, "
            f"beside {iso['large']} {iso['beside']['p50_ms']:.2f} ms"
        )
    print(summary_text(results))
    print(f"\nresults: {directory / 'latest.json'}" + (f", chart: {png}" if png else ""))
    print(f"elapsed: {results['elapsed_s']} s")
