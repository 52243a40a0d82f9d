"""Tables and target checks for bench/run.py: plain text for the terminal, Markdown and JSON
for bench/results/."""

import json

TARGETS_PAGE = "issue 9, 'Fast at newsroom scale', with the page cache {}"
MARKS = {True: "met", False: "NOT met", None: "n/a"}


def add_ratios(rows, hello_rps):
    for row in rows:
        if "rps" in row:
            row["pct_hello"] = round(100 * row["rps"] / hello_rps, 1)


def find(rows, key):
    return next((row for row in rows if row.get("key") == key), None)


def check(target, measured, met):
    return {"target": target, "measured": measured, "met": met}


def share_check(row, percent):
    target = f"{row['name']} ≥ {percent} % of hello"
    if "rps" not in row:
        return check(target, row["unavailable"], False if row.get("too_slow") else None)
    return check(target, f"{row['pct_hello']} %", row["pct_hello"] >= percent)


def depth_check(first, deep):
    if "rps" not in first or "rps" not in deep:
        return check(f"{deep['name']} within 20 % of batch 1", "not measured", None)
    ratio = round(100 * deep["rps"] / first["rps"], 1)
    target = f"{deep['name']} within 20 % of batch 1 (req/s)"
    return check(target, f"{ratio} % of batch 1", ratio >= 80)


def search_check(row, readers):
    """The search target, read at `readers` (a phrase such as "8 connections")."""
    target = f"Search p95 ≤ 50 ms, {readers}"
    if row is None:
        return check(target, "not measured", None)
    if "rps" not in row:
        return check(target, row["unavailable"], False if row.get("too_slow") else None)
    return check(target, f"{row['p95_ms']:.1f} ms", row["p95_ms"] <= 50)


def admin_checks(pages):
    checks = []
    for page in pages:
        measured = f"{page['median_ms']:.0f} ms median"
        checks.append(check(f"Admin {page['name']} ≤ 300 ms", measured, page["median_ms"] <= 300))
    if pages:
        counted = [page["name"] for page in pages if page["full_count"]]
        measured = f"on {len(counted)} of {len(pages)} pages"
        checks.append(check("Admin: no full COUNT(*) per load", measured, not counted))
    return checks


def targets(rows, memory_mb, admin, cache=False):
    if cache:
        # With the page cache on, the issue sets targets for cached pages only.
        checks = [share_check(find(rows, key), 70) for key in ("article_cached", "home", "feed")]
        return [*checks, check("Peak worker RSS ≤ 150 MB", f"{memory_mb} MB", memory_mb <= 150)]
    checks = [share_check(find(rows, "article"), 10)]
    checks += [share_check(find(rows, key), 5) for key in ("home", "feed", "section", "author")]
    checks.append(depth_check(find(rows, "feed"), find(rows, "feed_deep")))
    checks.append(search_check(find(rows, "search"), "8 connections"))
    checks.append(search_check(find(rows, "search_one"), "one reader at a time"))
    checks.append(check("Peak worker RSS ≤ 150 MB", f"{memory_mb} MB", memory_mb <= 150))
    return checks + admin_checks(admin.get("pages", []))


# Tables: a header row, then rows of strings ---------------------------------------------------


def load_cells(row):
    if "rps" not in row:
        return [row["name"], row["unavailable"], "", "", "", "", "", "", ""]
    errors = str(row["errors"])
    if row["socket_errors"]:
        errors += f" +{row['socket_errors']} socket"
    numbers = [row["rps"], row["pct_hello"], row["p50_ms"], row["p95_ms"], row["p99_ms"]]
    cells = [row["name"], str(row["requests"]), *(f"{n:.1f}" for n in numbers), errors]
    return [*cells, f"{row['kb_per_response']:.1f}"]


def load_table(rows):
    head = ["scenario", "requests", "req/s", "% hello", "p50 ms", "p95 ms", "p99 ms", "errors"]
    head.append("KB/resp")
    return [head, *(load_cells(row) for row in rows)]


def admin_cells(page):
    numbers = [page["median_ms"], page["p95_ms"], page["queries"], page["sql_ms"]]
    full_count = "yes" if page["full_count"] else "no"
    return [page["name"], *(f"{n:.0f}" for n in numbers), str(len(page["counts"])), full_count]


def admin_table(pages):
    head = ["admin page", "median ms", "p95 ms", "queries", "SQL ms", "COUNTs", "full COUNT(*)"]
    return [head, *(admin_cells(page) for page in pages)]


def target_table(checks):
    head = ["target", "measured", "result"]
    return [head] + [[c["target"], c["measured"], MARKS[c["met"]]] for c in checks]


def text_table(lines):
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(
            [line[0].ljust(widths[0])]
            + [c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True)]
        )
        for line in lines
    )


def markdown_table(lines):
    rule = ["---"] + ["---:"] * (len(lines[0]) - 1)
    return "\n".join("| " + " | ".join(line) + " |" for line in [lines[0], rule, *lines[1:]])


# Whole reports --------------------------------------------------------------------------------


def summary(report):
    memory = report["memory_mb"]
    return (
        f"Hello-world baseline: {report['hello_rps']} req/s (mean of the runs before and after "
        f"the newsroom). Errors: non-2xx/3xx responses, then socket errors.\n"
        f"Peak worker RSS (VmHWM): newsroom {memory['newsroom']} MB, hello {memory['hello']} MB."
    )


def sections(report, table):
    """The report's parts in order, with tables drawn by `table`."""
    pages = report["admin"].get("pages", [])
    admin = report["admin"].get("error", "Admin not measured.")
    return [
        table(load_table(report["rows"])),
        summary(report),
        table(admin_table(pages)) if pages else admin,
        f"Targets ({TARGETS_PAGE.format('on' if report.get('cache') else 'off')}):",
        table(target_table(report["targets"])),
    ]


def as_text(report):
    return "\n\n".join(sections(report, text_table))


def as_markdown(report):
    head = (
        f"# Newsroom benchmark, {report['started']}\n\n"
        f"Command: `{report['command']}`  \nMachine: {report['machine']}  \n"
        f"Code: {report['code']}; photo sizes filled on {report['photo_sizes_filled']} rows  \n"
        f"Load average (1, 5, 15 min) before / after: "
        f"{report['load_before']} / {report['load_after']}"
    )
    return "\n\n".join([head, *sections(report, markdown_table)]) + "\n"


def write(report, folder):
    folder.mkdir(exist_ok=True)
    stem = folder / report["stamp"]
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(as_markdown(report))
    return stem
