"""A city on one PostgreSQL server under load: districts, roles and concurrent clients.

    python benchmarks/load.py --url postgresql+psycopg://postgres:PW@127.0.0.1:5432/postgres
                              [--districts 8] [--size 10k] [--clients 32] [--seconds 300]
                              [--results benchmarks/RESULTS.md]

Setup (untimed). A district of ``--size`` items is generated once
(``generate.py``: 20 chains at 10k) and exported; a database
``chainlead_load`` is made afresh on the server, ``--districts`` districts are
added to it (``district add``) and each imports the snapshot into its own
schema. ``db setup-roles`` creates the group roles and policies; each
district gets four login roles, one per kind of user: a chain's working team
(``team`` on the district's first chain), a chain leader (``leader`` on it),
an institution (``unit``: the one with most assignments) and a viewer.

Load. ``--clients`` threads, spread over the districts and the four roles,
each start whole ``chainlead`` processes one after another for ``--seconds``,
connected as their own login, doing what that user does: the team adds items
and notes, the institution signs for its parts and reads its items, the leader and
the viewer read lists, cards and the monthly report. Every command's wall
time is recorded.

Checks. After the run every note and add a client was told succeeded must be
in its district's history (0 lost writes); no command may report a deadlock
or any failure but a refusal the role should meet; and, all through the run,
a separate thread connects as each institution's login with plain psycopg
and reads ``item``: it must see only items the institution has an
assignment for (row-level security holding under load).

The figures (throughput, p50/p99 per command, lost writes, deadlocks, RLS
checks) are printed as a Markdown table and, with ``--results``, appended to
that file under a dated heading.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

PASSWORD = "load-test-pw"
ROLES = ("team", "unit", "leader", "viewer")
DATABASE = "chainlead_load"


def chainlead(
    *args: str,
    url: str,
    district: str | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "chainlead", "--db", url]
    if district:
        argv += ["--district", district]
    done = subprocess.run(
        [*argv, *args], input=stdin, capture_output=True, text=True, env=env or os.environ.copy()
    )
    if check and done.returncode != 0:
        raise SystemExit(f"setup failed: chainlead {' '.join(args)}\n{done.stderr}")
    return done


def server_url(admin: str, *, user: str | None = None, password: str | None = None) -> str:
    """The load database's URL, as the admin (the URL given) or as a login role."""
    from sqlalchemy.engine import make_url

    url = make_url(admin).set(database=DATABASE)
    if user is not None:
        url = url.set(username=user, password=password)
    return url.render_as_string(hide_password=False)


def conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    found = make_url(url)
    return (
        f"host={found.host} port={found.port or 5432} dbname={found.database} "
        f"user={found.username} password={found.password or ''}"
    )


@dataclass
class Login:
    district: str
    role: str
    name: str  # the person
    login: str  # the PostgreSQL login role
    url: str
    chain: str  # the district's first chain
    unit: str  # the institution (unit role) or the chain's busiest one


@dataclass
class Tally:
    """What the clients did: wall times per command, outcomes, and the writes to find."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deadlocks: int = 0
    written: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rls_checks: int = 0
    rls_breaches: list[str] = field(default_factory=list)

    def record(
        self,
        what: str,
        seconds: float,
        done: subprocess.CompletedProcess[str],
        district: str,
        token: str | None,
    ) -> None:
        with self.lock:
            self.times[what].append(seconds)
            text = done.stderr.lower()
            if "deadlock" in text or "死锁" in done.stderr:
                self.deadlocks += 1
            if done.returncode == 0:
                if token is not None:
                    self.written[district].append(token)
            elif done.returncode == 1:  # refused by a rule (an item already signed for...)
                self.refused[what] += 1
            else:
                self.failures[what].append(
                    done.stderr.strip().splitlines()[-1:][0]
                    if done.stderr.strip()
                    else f"exit {done.returncode}"
                )


def build_city(admin: str, *, districts: int, size: str, work: Path) -> list[Login]:
    """The load database afresh: the districts, their data, the roles and the logins."""
    import psycopg

    today = date.today()
    source = generate.generate(size, out=work, today=today, seed=8)["path"]
    snapshot = work / "district.toml"
    done = subprocess.run(
        [sys.executable, "-m", "chainlead", "--db", str(source), "export", str(snapshot)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"export failed: {done.stderr}")
    with psycopg.connect(conninfo(admin), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
        for (role,) in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'load\\_%'"
        ).fetchall():
            conn.execute(f'DROP ROLE "{role}"')
    url = server_url(admin)
    logins: list[Login] = []
    for n in range(1, districts + 1):
        code = f"d{n}"
        chainlead("district", "add", code, "--name", f"第{n}区", url=url)
        chainlead("import", str(snapshot), url=url, district=code)
        chainlead("db", "setup-roles", url=url, district=code)
        with psycopg.connect(conninfo(url), autocommit=True) as conn:
            conn.execute(f"SET search_path TO {code}")
            (chain,) = conn.execute("SELECT code FROM chain ORDER BY id LIMIT 1").fetchone()
            (unit,) = conn.execute(
                "SELECT u.name FROM unit u JOIN assignment a ON a.unit_id = u.id "
                "JOIN item i ON i.id = a.item_id JOIN chain c ON c.id = i.chain_id "
                "WHERE c.code = %s GROUP BY u.name ORDER BY count(*) DESC, u.name LIMIT 1",
                (chain,),
            ).fetchone()
        for role in ROLES:
            login = f"load_{code}_{role}"
            person = f"{role}{n}号"
            chainlead(
                "user",
                "add",
                person,
                "--role",
                login,
                "--new-person",
                "--create-login",
                "--password-stdin",
                url=url,
                district=code,
                stdin=PASSWORD + "\n",
            )
            scope = {
                "team": ["--chain", chain],
                "leader": ["--chain", chain],
                "unit": ["--unit", unit],
                "viewer": [],
            }[role]
            chainlead("user", "grant", person, role, *scope, url=url, district=code)
            logins.append(
                Login(
                    code,
                    role,
                    person,
                    login,
                    server_url(admin, user=login, password=PASSWORD),
                    chain,
                    unit,
                )
            )
    return logins


def open_keys(login: Login, admin: str) -> list[str]:
    """The items a client works on: its chain's open items, or the open items its
    institution has not signed for yet (each is signed for once; again is refused)."""
    import psycopg

    with psycopg.connect(conninfo(server_url(admin)), autocommit=True) as conn:
        conn.execute(f"SET search_path TO {login.district}")
        if login.role == "unit":
            rows = conn.execute(
                "SELECT DISTINCT i.key FROM item i JOIN assignment a ON a.item_id = i.id "
                "JOIN unit u ON u.id = a.unit_id WHERE u.name = %s AND a.received_on IS NULL "
                "AND i.status NOT IN ('resolved', 'closed', 'dropped')",
                (login.unit,),
            ).fetchall()
        else:
            rows = conn.execute(
                "SELECT i.key FROM item i JOIN chain c ON c.id = i.chain_id "
                "WHERE c.code = %s AND i.status NOT IN ('resolved', 'dropped')",
                (login.chain,),
            ).fetchall()
    return [key for (key,) in rows]


def steps(login: Login, keys: list[str], rng: random.Random) -> tuple[str, list[str], str | None]:
    """One command this user would run next: its row name, its arguments, and the token
    a successful write leaves in the history (None for a read)."""
    key = rng.choice(keys) if keys else None
    token = f"load-{login.login}-{rng.getrandbits(48):012x}"
    draw = rng.random()
    if login.role == "team":
        if draw < 0.3:
            return (
                "bottleneck add",
                [
                    "bottleneck",
                    "add",
                    login.chain,
                    f"压力测试 {token}",
                    "--unit",
                    login.unit,
                    "--owner",
                    login.name,
                    "--due",
                    "2027-06-30",
                    "--new-person",
                ],
                token,
            )
        if draw < 0.7 and key:
            return "bottleneck note", ["bottleneck", "note", key, token], token
        return (
            "bottleneck list --chain",
            ["bottleneck", "list", "--chain", login.chain, "--json"],
            None,
        )
    if login.role == "unit":  # an institution signs for its parts and reads its items
        if draw < 0.3 and key:
            return "bottleneck receive", ["bottleneck", "receive", key, "--unit", login.unit], None
        if draw < 0.6 and key:
            return "bottleneck show (unit)", ["bottleneck", "show", key], None
        return "bottleneck list (unit)", ["bottleneck", "list", "--json"], None
    if login.role == "leader":
        if draw < 0.5 and key:
            return "bottleneck show", ["bottleneck", "show", key], None
        return "report monthly --json", ["report", "monthly", "--json"], None
    if draw < 0.5:
        return "chain list", ["chain", "list", "--json"], None
    return "bottleneck list --overdue", ["bottleneck", "list", "--overdue", "--json"], None


def client(login: Login, keys: list[str], tally: Tally, until: float, seed: int) -> None:
    rng = random.Random(seed)
    env = {**os.environ, "CHAINLEAD_LANG": "zh", "COLUMNS": "80"}
    while time.monotonic() < until:
        what, args, token = steps(login, keys, rng)
        started = time.monotonic()
        done = chainlead(*args, url=login.url, district=login.district, env=env, check=False)
        tally.record(what, time.monotonic() - started, done, login.district, token)


def rls_watch(logins: list[Login], admin: str, tally: Tally, until: float) -> None:
    """Read ``item`` as each institution's login all through the run: only its items."""
    import psycopg

    units = [login for login in logins if login.role == "unit"]
    while time.monotonic() < until:
        for login in units:
            with psycopg.connect(conninfo(login.url), autocommit=True) as conn:
                conn.execute(f"SET search_path TO {login.district}")
                seen = {key for (key,) in conn.execute("SELECT key FROM item").fetchall()}
            allowed = set(open_all_keys(login, admin))
            with tally.lock:
                tally.rls_checks += 1
                if not seen <= allowed:
                    extra = sorted(seen - allowed)
                    tally.rls_breaches.append(f"{login.login}: {len(extra)} rows, e.g. {extra[0]}")
        time.sleep(2)


def open_all_keys(login: Login, admin: str) -> list[str]:
    import psycopg

    with psycopg.connect(conninfo(server_url(admin)), autocommit=True) as conn:
        conn.execute(f"SET search_path TO {login.district}")
        rows = conn.execute(
            "SELECT DISTINCT i.key FROM item i JOIN assignment a ON a.item_id = i.id "
            "JOIN unit u ON u.id = a.unit_id WHERE u.name = %s",
            (login.unit,),
        ).fetchall()
    return [key for (key,) in rows]


def lost_writes(tally: Tally, admin: str) -> tuple[int, int]:
    """How many successful writes were checked, and how many are missing from history."""
    import psycopg

    checked = missing = 0
    with psycopg.connect(conninfo(server_url(admin)), autocommit=True) as conn:
        for district, tokens in tally.written.items():
            conn.execute(f"SET search_path TO {district}")
            found = {
                text
                for (text,) in conn.execute(
                    "SELECT text FROM event WHERE text LIKE 'load-%' UNION "
                    "SELECT substr(title, 6) FROM item WHERE title LIKE '压力测试 load-%'"
                ).fetchall()
            }
            checked += len(tokens)
            missing += sum(1 for token in tokens if token not in found)
    return checked, missing


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(
    tally: Tally, seconds: float, clients: int, districts: int, size: str, lost: tuple[int, int]
) -> str:
    total = sum(len(v) for v in tally.times.values())
    lines = [
        f"{districts} districts × {size} items, {clients} clients, {seconds:.0f} s: "
        f"**{total / seconds:.1f} commands/s** ({total} commands).",
        "",
        "| command | runs | p50 | p99 | refused by a rule | failed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for what in sorted(tally.times):
        runs = tally.times[what]
        lines.append(
            f"| `{what}` | {len(runs)} | {statistics.median(runs) * 1000:.0f} ms | "
            f"{percentile(runs, 0.99) * 1000:.0f} ms | {tally.refused.get(what, 0)} | "
            f"{len(tally.failures.get(what, []))} |"
        )
    checked, missing = lost
    lines += [
        "",
        f"- Lost writes: **{missing}** of {checked} successful adds and notes.",
        f"- Deadlocks reported to a user: **{tally.deadlocks}**.",
        f"- Row-level security: {tally.rls_checks} reads as an institution's login, "
        f"**{len(tally.rls_breaches)}** saw another's rows.",
    ]
    for what, messages in sorted(tally.failures.items()):
        lines.append(f"- `{what}` failed, e.g.: {messages[0]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("CHAINLEAD_TEST_PG_URL"),
        help="a superuser's URL to the server (postgresql+psycopg://...)",
    )
    parser.add_argument("--districts", type=int, default=8)
    parser.add_argument("--size", default="10k", choices=sorted(generate.SIZES))
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--results", type=Path, default=None)
    args = parser.parse_args(argv)
    if not args.url:
        raise SystemExit(
            "--url: a superuser's postgresql+psycopg:// URL (or CHAINLEAD_TEST_PG_URL)"
        )
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        logins = build_city(args.url, districts=args.districts, size=args.size, work=Path(folder))
        print(f"setup: {time.monotonic() - started:.0f} s", file=sys.stderr)
    keys = {login.login: open_keys(login, args.url) for login in logins}
    tally = Tally()
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=client,
            args=(logins[n % len(logins)], keys[logins[n % len(logins)].login], tally, until, n),
        )
        for n in range(args.clients)
    ]
    threads.append(threading.Thread(target=rls_watch, args=(logins, args.url, tally, until)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lost = lost_writes(tally, args.url)
    report = table(tally, args.seconds, args.clients, args.districts, args.size, lost)
    print(report)
    if args.results:
        with args.results.open("a", encoding="utf-8") as out:
            out.write(f"\n## {date.today().isoformat()}: a city under load\n\n{report}")
    return 0 if not tally.rls_breaches and not lost[1] and not tally.deadlocks else 1


if __name__ == "__main__":
    sys.exit(main())
