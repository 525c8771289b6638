#!/usr/bin/env python3
"""Check the AskDB question sets against a live PostgreSQL.

Usage:
    python3 datasets/askdb/check_questions.py postgres://user:pass@127.0.0.1:5432

For every database the question files name, this creates a scratch database
(named <prefix><db_name>, default prefix "askdb_check_"; an existing one of that
name is dropped first), loads <defog-dir>/<db_name>.sql into it with psql, then
runs every gold query in a read-only transaction and prints its row count.

It fails (exit status 1) when a gold query errors, returns no rows, or breaks one
of the conventions in README.md (one read-only SELECT/WITH statement, no ';',
'{' or '}', only the allowed functions and casts, ORDER BY whenever LIMIT is
used, no system catalogs or schema-qualified names), when a question is empty or
repeated, or when a database has fewer than the required questions in a split.

Needs Python 3 (standard library only) and the psql client on PATH (or --psql).
The URL's user must be allowed to create databases. Scratch databases are
dropped at the end unless --keep is given.
"""

import argparse
import collections
import csv
import io
import os
import re
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))

ALLOWED_FUNCTIONS = {
    "count", "sum", "avg", "min", "max", "round", "lower", "upper", "length",
    "coalesce", "nullif", "extract", "date_trunc", "date_part", "string_agg",
    "row_number", "rank", "dense_rank",
}
ALLOWED_CASTS = {"numeric", "float", "text", "date"}
# Keywords that may legitimately be followed by "(".
KEYWORDS_BEFORE_PAREN = {
    "in", "exists", "over", "as", "and", "or", "not", "on", "from", "join", "where",
    "select", "then", "else", "when", "case", "by", "any", "all", "filter", "values",
    "having", "with", "union", "intersect", "except", "distinct", "is", "between",
    "like", "ilike", "using", "lateral",
}
FORBIDDEN_WORDS = {
    "insert", "update", "delete", "drop", "create", "alter", "truncate", "grant",
    "revoke", "copy", "into", "merge", "call", "do", "vacuum", "analyze", "set",
    "reset", "lock", "listen", "notify", "prepare", "execute",
}
REQUIRED_PER_SPLIT = {"tune": 5, "holdout": 3}
# Problems after which a query is not sent to the server at all.
UNSAFE = ("does not start with", "contains ';'", "uses the keyword")


def strip_literals(sql):
    """The query with string literals and quoted identifiers blanked out."""
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    return re.sub(r'"(?:[^"]|"")*"', '""', sql)


def convention_problems(sql):
    problems = []
    bare = strip_literals(sql)
    lowered = bare.lower()
    if not re.match(r"\s*(select|with)\b", lowered):
        problems.append("does not start with SELECT or WITH")
    for char in ";{}":
        if char in bare:
            problems.append(f"contains {char!r} (the eval harness reads ';' as alternatives and {{a, b}} as column choices)")
    words = set(re.findall(r"[a-z_][a-z0-9_]*", lowered))
    for word in sorted(words & FORBIDDEN_WORDS):
        problems.append(f"uses the keyword {word.upper()}")
    for cast in re.findall(r"::\s*([a-z_][a-z0-9_]*)", lowered):
        if cast not in ALLOWED_CASTS:
            problems.append(f"casts to {cast} (allowed: {', '.join(sorted(ALLOWED_CASTS))})")
    without_casts = re.sub(r"::\s*[a-z_][a-z0-9_]*", "", lowered)
    for name in re.findall(r"([a-z_][a-z0-9_.]*)\s*\(", without_casts):
        if name in ALLOWED_FUNCTIONS or name in KEYWORDS_BEFORE_PAREN:
            continue
        # "WITH name AS (" and "WITH name(col) AS (" are CTE definitions, not calls.
        if re.search(r"(with|,)\s*" + re.escape(name) + r"\s*\(\s*[a-z_][a-z0-9_, ]*\)\s*as\s*\(", without_casts):
            continue
        problems.append(f"calls {name}() (not in the allowed function list)")
    if re.search(r"\b(pg_[a-z0-9_]*|information_schema)\b", lowered):
        problems.append("reads a system catalog")
    if re.search(r"\bpublic\s*\.", lowered):
        problems.append("uses a schema-qualified name")
    if re.search(r"\blimit\b", lowered) and not re.search(r"\border\s+by\b", lowered):
        problems.append("uses LIMIT without ORDER BY")
    return problems


def database_url(base, name):
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"the URL must start with postgres:// or postgresql:// (got {base!r})")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def run_psql(psql, url, args, readonly=False, timeout=300):
    env = dict(os.environ)
    env["PGOPTIONS"] = "-c statement_timeout=60000" + (" -c default_transaction_read_only=on" if readonly else "")
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    command = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url] + args
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def quote_ident(name):
    return '"' + name.replace('"', '""') + '"'


def load_questions(path, split):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        expected = ["db_name", "query_category", "question", "query"]
        if reader.fieldnames != expected:
            sys.exit(f"{path}: header is {reader.fieldnames}, expected {expected}")
        return [dict(row, split=split, line=index + 2) for index, row in enumerate(reader)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url", help="PostgreSQL base URL, e.g. postgres://user:pass@127.0.0.1:5432")
    parser.add_argument("--defog-dir", default=os.path.join(HERE, "..", "defog"), help="folder of <db_name>.sql files")
    parser.add_argument("--tune", default=os.path.join(HERE, "questions_tune.csv"))
    parser.add_argument("--holdout", default=os.path.join(HERE, "questions_holdout.csv"))
    parser.add_argument("--admin-db", default="postgres", help="database to connect to for CREATE/DROP DATABASE")
    parser.add_argument("--prefix", default="askdb_check_", help="prefix of the scratch database names")
    parser.add_argument("--psql", default="psql", help="psql executable")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases afterwards")
    options = parser.parse_args()

    questions = load_questions(options.tune, "tune") + load_questions(options.holdout, "holdout")
    failures = []

    # Static checks: fields, duplicates, per-database counts, query conventions.
    seen = {}
    for row in questions:
        where = f"{row['split']}:{row['line']}"
        for field in ("db_name", "query_category", "question", "query"):
            if not (row[field] or "").strip():
                failures.append(f"{where}: empty {field}")
        key = " ".join(row["question"].lower().split())
        if key in seen:
            failures.append(f"{where}: same question as {seen[key]}")
        seen[key] = where
        for problem in convention_problems(row["query"]):
            failures.append(f"{where}: gold query {problem}")
            if problem.startswith(UNSAFE):
                row["unsafe"] = True
    counts = collections.Counter((row["db_name"], row["split"]) for row in questions)
    databases = sorted({row["db_name"] for row in questions})
    for name in databases:
        for split, required in REQUIRED_PER_SPLIT.items():
            if counts[(name, split)] < required:
                failures.append(f"{name}: {counts[(name, split)]} {split} questions, at least {required} required")

    # Load each database into a scratch database of its own.
    admin = database_url(options.base_url, options.admin_db)
    loaded = {}
    for name in databases:
        sql_file = os.path.join(options.defog_dir, name + ".sql")
        if not os.path.isfile(sql_file):
            failures.append(f"{name}: no {sql_file}")
            continue
        scratch = options.prefix + name
        for statement in (f"DROP DATABASE IF EXISTS {quote_ident(scratch)}", f"CREATE DATABASE {quote_ident(scratch)}"):
            result = run_psql(options.psql, admin, ["-c", statement])
            if result.returncode != 0:
                sys.exit(f"{statement}: {result.stderr.strip()}")
        url = database_url(options.base_url, scratch)
        result = run_psql(options.psql, url, ["-f", sql_file])
        if result.returncode != 0:
            failures.append(f"{name}: loading {sql_file} failed: {result.stderr.strip()}")
            continue
        loaded[name] = url
        print(f"loaded {name} into {scratch}")

    # Run every gold query read-only and count its rows.
    passed = 0
    for row in questions:
        where = f"{row['split']}:{row['line']}"
        label = f"{where:<12} {row['db_name']:<12} {row['query_category']:<30}"
        url = loaded.get(row["db_name"])
        if row.get("unsafe"):
            print(f"{label} NOT RUN (not a single read-only SELECT)")
            continue
        if url is None:
            print(f"{label} SKIPPED (database not loaded)")
            failures.append(f"{where}: database {row['db_name']} not loaded")
            continue
        result = run_psql(options.psql, url, ["--csv", "-c", row["query"]], readonly=True)
        if result.returncode != 0:
            message = result.stderr.strip().replace("\n", " | ")
            print(f"{label} ERROR {message}")
            failures.append(f"{where}: {message}")
            continue
        rows = list(csv.reader(io.StringIO(result.stdout)))
        count = max(len(rows) - 1, 0)
        if count == 0:
            print(f"{label} EMPTY")
            failures.append(f"{where}: the gold query returned no rows")
            continue
        passed += 1
        print(f"{label} {count} row{'s' if count != 1 else ''}")

    if not options.keep:
        for name in loaded:
            run_psql(options.psql, admin, ["-c", f"DROP DATABASE IF EXISTS {quote_ident(options.prefix + name)}"])

    print()
    print("questions per database (tune/holdout):")
    for name in databases:
        print(f"  {name:<12} {counts[(name, 'tune')]}/{counts[(name, 'holdout')]}")
    tune = sum(1 for row in questions if row["split"] == "tune")
    print(f"{len(questions)} questions ({tune} tune, {len(questions) - tune} holdout): "
          f"{passed} gold queries returned rows, {len(failures)} problem{'s' if len(failures) != 1 else ''}")
    for failure in failures:
        print(f"  FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
