"""``chainlead db check``: is the stored data sound, and does it keep the rules?

Two layers, checked in order:

* storage (SQLite only): ``PRAGMA integrity_check`` and
  ``PRAGMA foreign_key_check``; PostgreSQL enforces both itself;
* chainlead's own invariants: each active chain has exactly one current chain
  leader and one current responsible person, who is a different person on the
  team; every item's status equals the replay of its history; item and
  meeting keys are unique and match their chain's code and number; months
  and figures are stored in their ASCII form (what export writes and import
  reads); the history is still protected against changes, deletions and
  replacement.

Invariants are only checked when the storage is sound and the schema is this
chainlead's: on a damaged file their answers would mean nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from chainlead.domain.bottlenecks import replay_status
from chainlead.errors import ChainleadError, DatabaseMissing
from chainlead.migrations import HEAD, REVISIONS
from chainlead.models import Chain, Event, Item, Meeting, MeetingFigure, Membership
from chainlead.values import MONTH_FORM, parse_month
from chainlead.vocabulary import LEADER, RESPONSIBLE, STATUSES

STORAGE_CHECKS = ("integrity", "foreign_keys")
INVARIANT_CHECKS = ("schema", "chain_roles", "item_history", "keys", "forms", "append_only")


class ProblemsFound(ChainleadError):
    """The database check found problems."""


@dataclass(frozen=True)
class Finding:
    """One problem: which check found it, in what, and what is wrong."""

    check: str
    subject: str
    problem: str


@dataclass(frozen=True)
class CheckReport:
    """What was checked in which database, and what was found (``--json`` prints it)."""

    database: str
    revision: str | None
    ok: bool
    checks: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def damaged(self) -> bool:
        """The file itself is damaged (restore from a backup)."""
        return any(f.check in STORAGE_CHECKS for f in self.findings)


def check_database(session: Session, *, sqlite: bool, database: str) -> CheckReport:
    """Run every check that applies to ``database`` (as shown); never raises for what
    it finds."""

    def report(revision: str | None) -> CheckReport:
        return CheckReport(
            database=database,
            revision=revision,
            ok=not findings,
            checks=tuple(checks),
            findings=tuple(findings),
        )

    checks: list[str] = []
    findings: list[Finding] = []
    if sqlite:
        checks.extend(STORAGE_CHECKS)
        findings.extend(_storage_findings(session))
        if findings:
            return report(None)
    if not inspect(session.connection()).has_table("alembic_version"):
        raise DatabaseMissing("the database is not initialised; run `chainlead init`")
    revision = session.exec(text("SELECT version_num FROM alembic_version")).scalar()  # type: ignore[call-overload]
    checks.append("schema")
    if revision != HEAD:
        advice = (
            "run `chainlead db upgrade`, then check again"
            if revision in REVISIONS
            else "it was written by a newer chainlead; upgrade chainlead"
        )
        findings.append(
            Finding("schema", f"revision {revision}", f"this chainlead needs {HEAD}; {advice}")
        )
        return report(revision)
    checks.extend(INVARIANT_CHECKS[1:])
    findings.extend(_chain_role_findings(session))
    findings.extend(_item_history_findings(session))
    findings.extend(_key_findings(session))
    findings.extend(_form_findings(session))
    findings.extend(_append_only_findings(session, sqlite=sqlite))
    return report(revision)


def _storage_findings(session: Session) -> list[Finding]:
    findings: list[Finding] = []
    try:
        rows = session.exec(text("PRAGMA integrity_check")).all()  # type: ignore[call-overload]
    except DBAPIError as exc:
        return [Finding("integrity", "file", _first_line(exc))]
    for (verdict,) in rows:
        if verdict != "ok":
            findings.append(Finding("integrity", "file", str(verdict)))
    if findings:
        return findings
    try:
        broken = session.exec(text("PRAGMA foreign_key_check")).all()  # type: ignore[call-overload]
    except DBAPIError as exc:
        return [Finding("foreign_keys", "file", _first_line(exc))]
    for table, rowid, parent, _fk in broken:
        findings.append(
            Finding("foreign_keys", f"{table} row {rowid}", f"refers to a missing {parent} row")
        )
    return findings


def _first_line(exc: DBAPIError) -> str:
    return (str(exc.orig) or type(exc.orig).__name__).strip().splitlines()[0]


def _chain_role_findings(session: Session) -> list[Finding]:
    findings: list[Finding] = []
    chains = session.exec(select(Chain).order_by(Chain.code)).all()
    current = session.exec(
        select(Membership).where(Membership.until.is_(None))  # type: ignore[union-attr]
    ).all()
    by_chain: dict[int, list[Membership]] = defaultdict(list)
    for membership in current:
        by_chain[membership.chain_id].append(membership)
    for chain in chains:
        team = by_chain.get(chain.id, [])  # type: ignore[arg-type]
        people = [m.person_id for m in team]
        for person_id in sorted({p for p in people if people.count(p) > 1}):
            findings.append(
                Finding(
                    "chain_roles",
                    chain.code,
                    f"person #{person_id} holds {people.count(person_id)} places on the team "
                    "at once",
                )
            )
        if chain.status != "active":
            continue
        leaders = [m for m in team if m.role == LEADER]
        responsible = [m for m in team if m.role == RESPONSIBLE]
        for role, holders in (("chain leader", leaders), ("responsible person", responsible)):
            if len(holders) != 1:
                findings.append(
                    Finding(
                        "chain_roles",
                        chain.code,
                        f"active chain has {len(holders)} current {role}s; expected exactly 1",
                    )
                )
        if len(leaders) == 1 and len(responsible) == 1:
            if leaders[0].person_id == responsible[0].person_id:
                findings.append(
                    Finding(
                        "chain_roles",
                        chain.code,
                        "the chain leader is also the responsible person",
                    )
                )
    ended_early = session.exec(
        select(Membership, Chain.code)
        .join(Chain, Chain.id == Membership.chain_id)
        .where(Membership.until.is_not(None), Membership.until < Membership.since)  # type: ignore[union-attr, operator]
    ).all()
    for membership, code in ended_early:
        findings.append(
            Finding(
                "chain_roles",
                code,
                f"membership {membership.uuid} ends ({membership.until}) before it starts "
                f"({membership.since})",
            )
        )
    return findings


def _item_history_findings(session: Session) -> list[Finding]:
    findings: list[Finding] = []
    changes: dict[int, list[Any]] = defaultdict(list)
    rows = session.exec(
        select(Event.item_id, Event.field, Event.new)
        .where(Event.item_id.is_not(None), Event.field == "status")  # type: ignore[union-attr]
        .order_by(Event.item_id, Event.at, Event.id)
    ).all()
    for row in rows:
        changes[row.item_id].append(row)  # type: ignore[index]
    for item_id, key, status in session.exec(
        select(Item.id, Item.key, Item.status).order_by(Item.chain_id, Item.number)
    ).all():
        if status not in STATUSES:
            findings.append(Finding("item_history", key, f"unknown status {status!r}"))
            continue
        replayed = replay_status(changes.get(item_id, []))  # type: ignore[arg-type]
        if replayed != status:
            findings.append(
                Finding(
                    "item_history",
                    key,
                    f"status is {status!r} but its history leads to {replayed!r}",
                )
            )
    return findings


def _key_findings(session: Session) -> list[Finding]:
    findings: list[Finding] = []
    chains = {c.id: c for c in session.exec(select(Chain)).all()}
    for label, model, pattern, next_field in (
        ("item", Item, "{code}-{number}", "next_item_no"),
        ("meeting", Meeting, "{code}-M{number}", "next_meeting_no"),
    ):
        seen: dict[str, str] = {}
        for key, chain_id, number in session.exec(
            select(model.key, model.chain_id, model.number).order_by(model.id)  # type: ignore[attr-defined]
        ).all():
            chain = chains.get(chain_id)
            folded = key.upper()
            if folded in seen:
                findings.append(
                    Finding(
                        "keys", key, f"{label} key also used by {seen[folded]} (keys ignore case)"
                    )
                )
            seen.setdefault(folded, key)
            if chain is None:
                continue  # foreign_key_check reports it on SQLite; PostgreSQL forbids it
            expected = pattern.format(code=chain.code, number=number)
            if key != expected:
                findings.append(
                    Finding("keys", key, f"{label} key does not match its chain and number")
                )
            if not 1 <= number < getattr(chain, next_field):
                findings.append(
                    Finding(
                        "keys",
                        key,
                        f"{label} number {number} is outside 1..{getattr(chain, next_field) - 1} "
                        f"(chain {chain.code} would hand it out again)",
                    )
                )
    return findings


def _form_findings(session: Session) -> list[Finding]:
    """Months and figures as export writes them: anything else would not import."""
    findings: list[Finding] = []
    for key, month in session.exec(select(Meeting.key, Meeting.month).order_by(Meeting.id)).all():
        try:
            canonical = parse_month("month", month) == month
        except ChainleadError:
            canonical = False
        if not canonical:
            findings.append(Finding("forms", key, f"month {month!r}: {MONTH_FORM} (ASCII digits)"))
    figures = session.exec(
        select(Meeting.key, MeetingFigure.name, MeetingFigure.value)
        .join(Meeting, Meeting.id == MeetingFigure.meeting_id)  # type: ignore[arg-type]
        .order_by(MeetingFigure.id)
    ).all()
    for key, name, value in figures:
        if not value.isascii():
            findings.append(
                Finding("forms", key, f"figure {name!r} = {value!r}: expected ASCII digits")
            )
    return findings


def _append_only_findings(session: Session, *, sqlite: bool) -> list[Finding]:
    if sqlite:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'"
        expected = {"event_no_update", "event_no_delete", "event_no_replace"}
    else:
        query = (
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'event'::regclass AND NOT tgisinternal"
        )
        expected = {"event_append_only", "event_no_truncate"}
    names = {row[0] for row in session.exec(text(query)).all()}  # type: ignore[call-overload]
    if expected - names:
        return [
            Finding(
                "append_only",
                "event",
                "the history table is no longer protected against changes, deletions "
                "and replacement",
            )
        ]
    return []
