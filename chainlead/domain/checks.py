"""``chainlead db check``: is the stored data sound, and does it keep the rules?

Two layers, checked in order:

* storage (SQLite only): ``PRAGMA integrity_check`` and
  ``PRAGMA foreign_key_check``; PostgreSQL enforces both itself;
* chainlead's own invariants: each active chain has exactly one current chain
  leader and one current responsible person, who is a different person on the
  team; every item's status equals the replay of its history; every item
  has an institution and its unit text is that institution's name; item and
  meeting keys are unique and match their chain's code and number; months
  and figures are stored in their ASCII form (what export writes and import
  reads); the history is still protected against changes, deletions and
  replacement;
* the handling loop: an item has one standing lead assignment at most (one
  not returned or transferred), and an open item has one unless its last
  lead was returned and awaits the team (``leads``); every unit's latest
  assignment in an item has the state its history leads to -- the ``new`` of
  the last event about that unit (``assignment_history``); an item's level
  is within 0..5 and the ``new`` of its last ``level`` event, else 0
  (``levels``); an item's clock (``clock_due``, ``receipt_due``) is what its
  limit, working assignments and ended suspensions give (``clock``);
* enterprises: an item's ``enterprise`` text is its first enterprise's name,
  its enterprises are numbered 1..n, and each is on the item's chain
  (``enterprises``);
* chain projects: key, number, percent and investment made as their latest
  progress report says, link and items of the project's own chain
  (``projects``, ``chainlead.domain.projects.project_problems``);
* chains' maps: an enterprise placed on a link is on the link's chain, an
  item's or project's link is a link of its own chain, and a chain's links
  have one position each (``chain_links``);
* annual targets: the year sane, the value a decimal above 0, the kind known,
  the figure a meeting figure's name (``targets``);
* the search index: as many texts of each kind as its sources hold
  (``search_index``; ``chainlead search --rebuild`` builds it again);
* change capture: every table has the triggers that record what a command
  changes, naming every column, for ``chainlead undo`` (``change_capture``);
* the tamper-evident history: every event's hash follows from the one before
  and its content, and the head names the last event (``history_chain``); with
  ``--against`` a seal's event is there and nothing before it changed (``seal``).
* logins and roles: each grant a known role in its scope (leader and team on a
  chain or all, unit on an institution); on PostgreSQL each login on the server
  and in its roles' groups, and row-level security on every table it guards
  (``access``).

Invariants are only checked when the storage is sound and the schema is this
chainlead's: on a damaged file their answers would mean nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from chainlead.domain.assignments import replay_parts
from chainlead.domain.bottlenecks import replay_status
from chainlead.domain.seals import ChainWalk, grouped, walk
from chainlead.errors import ChainleadError, DatabaseMissing
from chainlead.i18n import N_, _, pgettext
from chainlead.migrations import HEAD, REVISIONS
from chainlead.said import said
from chainlead.store.assignments import clock_of
from chainlead.store.connection import Reader
from chainlead.store.integrity import (
    HISTORY_GUARDS,
    assignment_changes,
    assignment_states,
    backwards_spells,
    chain_counters,
    chain_states,
    current_memberships,
    figure_values,
    has_version_table,
    history_guards,
    item_enterprises,
    item_loops,
    item_statuses,
    item_units,
    level_changes,
    meeting_months,
    numbered_keys,
    pragma_rows,
    status_changes,
    stored_revision,
)
from chainlead.values import MONTH_FORM, parse_month
from chainlead.vocabulary import (
    ASSIGNMENT_STATES,
    ENDED_ASSIGNMENT_STATES,
    LEADER,
    LEVEL_MAX,
    OPEN_STATUSES,
    RESPONSIBLE,
    STATUSES,
    level_number,
)

STORAGE_CHECKS = ("integrity", "foreign_keys")
INVARIANT_CHECKS = (
    "schema", "chain_roles", "item_history", "units", "keys", "forms", "append_only", "leads",
    "assignment_history", "levels", "clock", "enterprises", "projects", "chain_links",
    "targets", "search_index", "change_capture", "history_chain", "district", "access",
)  # fmt: skip


def check_title(name: str) -> str:
    """A check as a person reads it: its name in English (as ``--json`` gives it),
    what it looks at in Chinese."""
    titles = {
        "integrity": pgettext("check", "integrity"),
        "foreign_keys": pgettext("check", "foreign_keys"),
        "schema": pgettext("check", "schema"),
        "chain_roles": pgettext("check", "chain_roles"),
        "item_history": pgettext("check", "item_history"),
        "units": pgettext("check", "units"),
        "keys": pgettext("check", "keys"),
        "forms": pgettext("check", "forms"),
        "append_only": pgettext("check", "append_only"),
        "leads": pgettext("check", "leads"),
        "assignment_history": pgettext("check", "assignment_history"),
        "levels": pgettext("check", "levels"),
        "clock": pgettext("check", "clock"),
        "enterprises": pgettext("check", "enterprises"),
        "projects": pgettext("check", "projects"),
        "chain_links": pgettext("check", "chain_links"),
        "targets": pgettext("check", "targets"),
        "search_index": pgettext("check", "search_index"),
        "change_capture": pgettext("check", "change_capture"),
        "history_chain": pgettext("check", "history_chain"),
        "seal": pgettext("check", "seal"),
        "district": pgettext("check", "district"),
        "access": pgettext("check", "access"),
    }
    return titles.get(name, name)


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


def check_database(db: Reader, *, database: str, against: str | None = None) -> CheckReport:
    """Run every check that applies to ``database`` (as shown); never raises for what
    it finds. ``against``: a head hash kept from ``db seal`` (check ``seal``: the
    history up to that event is unchanged)."""

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
    if db.sqlite:
        checks.extend(STORAGE_CHECKS)
        findings.extend(_storage_findings(db))
        if findings:
            return report(None)
    if not has_version_table(db):
        raise DatabaseMissing(_("the database is not initialised; run `chainlead init`"))
    revision = stored_revision(db)
    checks.append("schema")
    if revision != HEAD:
        advice = (
            said(N_("run `chainlead db upgrade`, then check again"))
            if revision in REVISIONS
            else said(N_("it was written by a newer chainlead; upgrade chainlead"))
        )
        findings.append(
            Finding(
                "schema",
                said(N_("revision {revision}"), revision=revision),
                said(N_("this chainlead needs {head}; {advice}"), head=HEAD, advice=advice),
            )
        )
        return report(revision)
    checks.extend(INVARIANT_CHECKS[1:])
    findings.extend(_chain_role_findings(db))
    findings.extend(_item_history_findings(db))
    findings.extend(_unit_findings(db))
    findings.extend(_key_findings(db))
    findings.extend(_form_findings(db))
    findings.extend(_append_only_findings(db))
    findings.extend(_loop_findings(db))
    findings.extend(Finding("enterprises", key, what) for key, what in item_enterprises(db))
    findings.extend(_link_findings(db))
    findings.extend(_target_findings(db))
    findings.extend(_search_findings(db))
    findings.extend(_capture_findings(db))
    findings.extend(_chain_findings(db, against))
    if against is not None:
        checks.append("seal")
    findings.extend(_district_findings(db))
    findings.extend(_access_findings(db))
    from chainlead.domain.projects import project_problems  # chain projects

    findings.extend(Finding("projects", key, what) for key, what in project_problems(db))
    return report(revision)


def _event_subject(event_id: int, uuid: str) -> str:
    return said(N_("event {id} ({uuid})"), id=event_id, uuid=uuid)


def _chain_findings(db: Reader, against: str | None) -> list[Finding]:
    """The tamper-evident history (``chainlead.domain.seals``): every link recomputed,
    each broken one named (the first is where the history was first changed); the
    head as recorded; and, with a seal, the history up to the sealed event."""
    from chainlead.store.history import chain_events, history_head

    chain = walk(chain_events(db), against)
    findings = []
    for broken in chain.broken:
        if broken.missing is not None and broken.missing[0] == broken.missing[1]:
            problem = said(
                N_(
                    "its hash does not follow from the event before it: event {first} is "
                    "missing (deleted) or this event was changed"
                ),
                first=broken.missing[0],
            )
        elif broken.missing is not None:
            first, last = broken.missing
            problem = said(
                N_(
                    "its hash does not follow from the event before it: events {first} to "
                    "{last} are missing (deleted) or this event was changed"
                ),
                first=first,
                last=last,
            )
        else:
            problem = said(
                N_(
                    "its hash does not match its content: the event was changed after "
                    "it was written"
                )
            )
        findings.append(Finding("history_chain", _event_subject(broken.id, broken.uuid), problem))
    head_id, head_hash = history_head(db)
    if (head_id, head_hash) != (chain.last_id, chain.last_hash):
        findings.append(
            Finding(
                "history_chain",
                said(N_("history head")),
                said(
                    N_(
                        "the head names event {head} but the last event is {last}: events were "
                        "deleted or added behind chainlead's back"
                    ),
                    head=head_id if head_id is not None else "-",
                    last=chain.last_id if chain.last_id is not None else "-",
                ),
            )
        )
    if against is not None:
        findings.extend(_seal_findings(chain, against))
    return findings


def _seal_findings(chain: ChainWalk, against: str) -> list[Finding]:
    sealed = chain.sealed
    if sealed is None:
        return [
            Finding(
                "seal",
                grouped(against),
                said(
                    N_(
                        "no event has this hash: the history up to the seal was rewritten, "
                        "or the seal is from another database"
                    )
                ),
            )
        ]
    return [
        Finding(
            "seal",
            _event_subject(broken.id, broken.uuid),
            said(N_("changed before the sealed event {sealed}"), sealed=sealed),
        )
        for broken in chain.broken
        if broken.id <= sealed
    ]


def _link_findings(db: Reader) -> list[Finding]:
    from chainlead.domain.links import link_name_problems
    from chainlead.store.links import link_problems

    found = link_problems(db) + link_name_problems(db)
    return [Finding("chain_links", subject, what) for subject, what in found]


def _target_findings(db: Reader) -> list[Finding]:
    """Annual targets: the year sane, the value a decimal, the kind known, the figure
    a meeting figure's name (``domain.targets.target_problems``)."""
    from chainlead.domain.targets import target_problems
    from chainlead.store.annual_targets import target_rows

    return [Finding("targets", subject, what) for subject, what in target_problems(target_rows(db))]


def _capture_findings(db: Reader) -> list[Finding]:
    """Every table records what a command changes in it (``undo``), every column."""
    from chainlead.store.changes import capture_gaps

    return [
        Finding(
            "change_capture",
            table,
            said(
                N_(
                    "changes to this table are not recorded in full ({missing}); "
                    "`chainlead undo` could not take them back"
                ),
                missing=missing,
            ),
        )
        for table, missing in capture_gaps(db)
    ]


def _district_findings(db: Reader) -> list[Finding]:
    """The database holds one district, and its code names the schema it is in (the
    city registry and ``--district`` find it by that code)."""
    from chainlead.store.districts import district_rows, schema_in_use

    rows = district_rows(db)
    if len(rows) != 1:
        return [
            Finding(
                "district",
                "district",
                said(N_("expected one district row, found {count}"), count=len(rows)),
            )
        ]
    schema = schema_in_use(db)
    if rows[0].code != schema:
        return [
            Finding(
                "district",
                rows[0].code,
                said(
                    N_("the district's code is not the schema it is in ({schema})"),
                    schema=schema,
                ),
            )
        ]
    return []


def _access_findings(db: Reader) -> list[Finding]:
    """Grants in their scope; on PostgreSQL the server's side of them in step."""
    from chainlead.store.access import access_problems

    words = {
        "role": N_("grant of an unknown role {role}"),
        "scope": N_("{role} grant in the wrong scope (leader and team: a chain or none; "
                    "unit: an institution; admin and viewer: neither)"),
        "login": N_("login {login} does not exist on the server"),
        "group": N_("login {login} holds a {role} grant but is not in chainlead_{role}; "
                    "run `chainlead db setup-roles` to put it back"),
        "policy": N_("row-level security is off; run `chainlead db setup-roles`"),
    }  # fmt: skip
    return [
        Finding("access", subject, said(words[kind], login=login, role=role))
        for kind, subject, login, role in access_problems(db)
    ]


def _search_findings(db: Reader) -> list[Finding]:
    """The search index holds every text of its sources (counts per kind of text)."""
    from chainlead.store.search import index_counts

    return [
        Finding(
            "search_index",
            field,
            said(
                N_(
                    "the search index holds {indexed} of these texts, the records {stored}; "
                    "run `chainlead search --rebuild`"
                ),
                indexed=indexed,
                stored=stored,
            ),
        )
        for field, (stored, indexed) in index_counts(db).items()
        if stored != indexed
    ]


def _storage_findings(db: Reader) -> list[Finding]:
    findings: list[Finding] = []
    try:
        rows = pragma_rows(db, "integrity_check")
    except Exception as exc:  # noqa: BLE001 -- the driver's own words are the finding
        return [Finding("integrity", "file", _first_line(exc))]
    for (verdict,) in rows:
        if verdict != "ok":
            findings.append(Finding("integrity", "file", str(verdict)))
    if findings:
        return findings
    try:
        broken = pragma_rows(db, "foreign_key_check")
    except Exception as exc:  # noqa: BLE001
        return [Finding("foreign_keys", "file", _first_line(exc))]
    for table, rowid, parent, _fk in broken:
        findings.append(
            Finding(
                "foreign_keys",
                said(N_("{table} row {rowid}"), table=table, rowid=rowid),
                said(N_("refers to a missing {parent} row"), parent=parent),
            )
        )
    return findings


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause) or type(cause).__name__).strip().splitlines()[0]


class _Spell(NamedTuple):
    chain_id: int
    person_id: int
    role: str


def _chain_role_findings(db: Reader) -> list[Finding]:
    findings: list[Finding] = []
    chains = chain_states(db)
    by_chain: dict[int, list[_Spell]] = defaultdict(list)
    for row in current_memberships(db):
        spell = _Spell(*row)
        by_chain[spell.chain_id].append(spell)
    for chain_id, code, status in chains:
        team = by_chain.get(chain_id, [])
        people = [m.person_id for m in team]
        for person_id in sorted({p for p in people if people.count(p) > 1}):
            findings.append(
                Finding(
                    "chain_roles",
                    code,
                    said(
                        N_("person #{person_id} holds {count} places on the team at once"),
                        person_id=person_id,
                        count=people.count(person_id),
                    ),
                )
            )
        if status != "active":
            continue
        leaders = [m for m in team if m.role == LEADER]
        responsible = [m for m in team if m.role == RESPONSIBLE]
        for role, holders in (("chain leader", leaders), ("responsible person", responsible)):
            if len(holders) != 1:
                findings.append(
                    Finding(
                        "chain_roles",
                        code,
                        said(
                            N_("active chain has {holders} current {role}s; expected exactly 1"),
                            holders=len(holders),
                            role=role,
                        ),
                    )
                )
        if len(leaders) == 1 and len(responsible) == 1:
            if leaders[0].person_id == responsible[0].person_id:
                findings.append(
                    Finding(
                        "chain_roles",
                        code,
                        said(N_("the chain leader is also the responsible person")),
                    )
                )
    for uuid, until, since, code in backwards_spells(db):
        findings.append(
            Finding(
                "chain_roles",
                code,
                said(
                    N_("membership {uuid} ends ({until}) before it starts ({since})"),
                    uuid=uuid,
                    until=until,
                    since=since,
                ),
            )
        )
    return findings


class _Change(NamedTuple):
    field: str | None
    new: str | None


def _item_history_findings(db: Reader) -> list[Finding]:
    findings: list[Finding] = []
    changes: dict[int, list[_Change]] = defaultdict(list)
    for item_id, field, new in status_changes(db):
        changes[item_id].append(_Change(field, new))
    for item_id, key, status in item_statuses(db):
        if status not in STATUSES:
            findings.append(
                Finding("item_history", key, said(N_("unknown status {status!r}"), status=status))
            )
            continue
        replayed = replay_status(changes.get(item_id, []))
        if replayed != status:
            findings.append(
                Finding(
                    "item_history",
                    key,
                    said(
                        N_("status is {status!r} but its history leads to {replayed!r}"),
                        status=status,
                        replayed=replayed,
                    ),
                )
            )
    return findings


def _unit_findings(db: Reader) -> list[Finding]:
    """Every item has a unit, and its unit text is that unit's name."""
    findings: list[Finding] = []
    for key, text, name in item_units(db):
        if name is None:
            findings.append(
                Finding(
                    "units", key, said(N_("item has no institution (unit {text!r})"), text=text)
                )
            )
        else:
            findings.append(
                Finding(
                    "units",
                    key,
                    said(
                        N_("unit {text!r} is not its institution's name {name!r}"),
                        text=text,
                        name=name,
                    ),
                )
            )
    return findings


def _key_findings(db: Reader) -> list[Finding]:
    findings: list[Finding] = []
    chains = chain_counters(db)
    for label, table, pattern, counter in (
        ("item", "item", "{code}-{number}", 1),
        ("meeting", "meeting", "{code}-M{number}", 2),
    ):
        seen: dict[str, str] = {}
        for key, chain_id, number in numbered_keys(db, table):
            chain = chains.get(chain_id)
            folded = key.upper()
            if folded in seen:
                findings.append(
                    Finding(
                        "keys",
                        key,
                        said(
                            N_("{label} key also used by {value} (keys ignore case)"),
                            label=label,
                            value=seen[folded],
                        ),
                    )
                )
            seen.setdefault(folded, key)
            if chain is None:
                continue  # foreign_key_check reports it on SQLite; PostgreSQL forbids it
            code, next_number = chain[0], chain[counter]
            if key != pattern.format(code=code, number=number):
                findings.append(
                    Finding(
                        "keys",
                        key,
                        said(N_("{label} key does not match its chain and number"), label=label),
                    )
                )
            if not 1 <= number < next_number:
                findings.append(
                    Finding(
                        "keys",
                        key,
                        said(
                            N_(
                                "{label} number {number} is outside 1..{value} (chain {code} "
                                "would hand it out again)"
                            ),
                            label=label,
                            number=number,
                            value=next_number - 1,
                            code=code,
                        ),
                    )
                )
    return findings


def _form_findings(db: Reader) -> list[Finding]:
    """Months and figures as export writes them: anything else would not import."""
    findings: list[Finding] = []
    for key, month in meeting_months(db):
        try:
            canonical = parse_month("month", month) == month
        except ChainleadError:
            canonical = False
        if not canonical:
            findings.append(
                Finding(
                    "forms",
                    key,
                    said(
                        N_("month {month!r}: {month_form} (ASCII digits)"),
                        month=month,
                        month_form=MONTH_FORM,
                    ),
                )
            )
    for key, name, value in figure_values(db):
        if not value.isascii():
            findings.append(
                Finding(
                    "forms",
                    key,
                    said(
                        N_("figure {name!r} = {value!r}: expected ASCII digits"),
                        name=name,
                        value=value,
                    ),
                )
            )
    return findings


def _append_only_findings(db: Reader) -> list[Finding]:
    expected = HISTORY_GUARDS[db.sqlite]
    names = history_guards(db)
    if expected - names:
        return [
            Finding(
                "append_only",
                "event",
                said(
                    N_(
                        "the history table is no longer protected against changes, "
                        "deletions and replacement"
                    )
                ),
            )
        ]
    return []


def _loop_findings(db: Reader) -> list[Finding]:
    """The handling loop: leads, assignment states, levels and the clock."""
    findings: list[Finding] = []
    parts: dict[int, list[tuple]] = defaultdict(list)
    for row in assignment_states(db):
        parts[row[0]].append(row)
    changes: dict[int, list[tuple[int | None, str | None, str | None]]] = defaultdict(list)
    for item_id, unit_id, field, new in assignment_changes(db):
        changes[item_id].append((unit_id, field, new))
    levels: dict[int, str | None] = {}
    for item_id, new in level_changes(db):
        levels[item_id] = new
    for item_id, key, status, level, due_on, clock_due, receipt_due, suspended in item_loops(db):
        mine = parts.get(item_id, [])
        findings.extend(_lead_findings(key, status, mine))
        findings.extend(_replay_findings(key, mine, changes.get(item_id, [])))
        if not isinstance(level, int) or not 0 <= level <= LEVEL_MAX:
            findings.append(
                Finding(
                    "levels",
                    key,
                    said(
                        N_("level {level!r} is outside 0..{level_max}"),
                        level=level,
                        level_max=LEVEL_MAX,
                    ),
                )
            )
        else:
            last = levels.get(item_id)
            wanted = 0 if item_id not in levels else level_number(last)
            if wanted != level:
                findings.append(
                    Finding(
                        "levels",
                        key,
                        said(
                            N_("level is {level} but its history leads to {value}"),
                            level=level,
                            value=f"{last!r}" if item_id in levels else "0 (no level event)",
                        ),
                    )
                )
        wanted_clock = clock_of(due_on, suspended, ((p[5], p[6], p[7]) for p in mine))
        if wanted_clock != (clock_due, receipt_due):
            findings.append(
                Finding(
                    "clock",
                    key,
                    said(
                        N_(
                            "clock_due {clock_due} and receipt_due {receipt_due} are not "
                            "what its limit, assignments and suspensions give ({value}, "
                            "{value2})"
                        ),
                        clock_due=clock_due,
                        receipt_due=receipt_due,
                        value=wanted_clock[0],
                        value2=wanted_clock[1],
                    ),
                )
            )
    return findings


def _lead_findings(key: str, status: str, parts: list[tuple]) -> list[Finding]:
    """One standing lead at most; an open item's lead stands unless it was returned."""
    leads = [p for p in parts if p[4] == "lead"]
    standing = [p for p in leads if p[5] not in ENDED_ASSIGNMENT_STATES]
    if len(standing) > 1:
        names = ", ".join(p[3] for p in standing)
        return [
            Finding(
                "leads",
                key,
                said(
                    N_("{standing} standing lead units ({names})"),
                    standing=len(standing),
                    names=names,
                ),
            )
        ]
    if standing or status not in OPEN_STATUSES:
        return []
    if leads and leads[-1][5] == "returned":
        return []  # the team is to hand it on (transfer, or assign a new lead)
    return [Finding("leads", key, said(N_("open item has no standing lead unit")))]


def _replay_findings(
    key: str, parts: list[tuple], changes: list[tuple[int | None, str | None, str | None]]
) -> list[Finding]:
    """Each unit's latest assignment has the state its events lead to."""
    findings: list[Finding] = []
    replayed = replay_parts(changes)
    latest = {p[2]: p for p in parts}  # parts are in the order made: the last one counts
    for unit_id, part in latest.items():
        state = part[5]
        if state not in ASSIGNMENT_STATES:
            findings.append(
                Finding(
                    "assignment_history",
                    key,
                    said(N_("{value}: unknown state {state!r}"), value=part[3], state=state),
                )
            )
        elif replayed.get(unit_id) != state:
            led = replayed.get(unit_id)
            findings.append(
                Finding(
                    "assignment_history",
                    key,
                    said(
                        N_("{value}'s part is {state!r} but its history leads to {value2}"),
                        value=part[3],
                        state=state,
                        value2=repr(led) if led else "nothing (no event about the unit)",
                    ),
                )
            )
    for unit_id in replayed.keys() - latest.keys():
        findings.append(
            Finding(
                "assignment_history",
                key,
                said(
                    N_("its history names unit #{unit_id}, which has no part in it"),
                    unit_id=unit_id,
                ),
            )
        )
    return findings
