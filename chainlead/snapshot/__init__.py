"""TOML snapshots: deterministic export, validated all-or-nothing import with merge.

A snapshot is one TOML document holding a district's institutions,
enterprises, chains (their map, targets and projects), people, meeting
entries and bottleneck items with their handling loop (assignments,
extensions), the enterprises that raised them, their follow-ups and their
whole history. Scripts and other
machines exchange chainlead data this way; ``chainlead export | chainlead
--db other.db import -`` reproduces a database exactly.

This subsystem never imports ``cli`` or ``render``.

The format (version 6)
======================

Header, then the records. Every record carries the ``uuid`` it has in the
database; references between records use human keys (a person's name, a
meeting's key such as ``IC-M3``), which are unique within a snapshot and
within a database. Optional values are left out when empty; text is
written as TOML literal strings (``'...'``) when it can be, otherwise as
basic strings (``"..."``), multi-line text as ``'''...'''``; a reader must
accept any valid TOML spelling (a hand-written file may quote as it likes).

The many small records -- history events, an item's meeting links,
enterprises, assignments, extensions and follow-ups, a chain's enterprises,
links, enterprise links and targets, a project's progress and milestones --
are inline tables, one a line, in an array under the record they belong to
(``history = [...]``, ``links = [...]``, ``enterprises = [...]``,
``assignments = [...]``, ``extensions = [...]``, ``follow_ups = [...]``; left
out when empty). Inside an inline table text stays on one line: a line break
is written ``\\n`` in a basic string::

    format = 'chainlead-snapshot'
    format_version = 6
    chainlead_version = '0.1.0'
    exported_at = 2026-11-18T10:05:00Z   # see "Determinism" below
    district = 'Jiangning District'
    history = [              # events tied to no person, chain, meeting or item
        { uuid = '...', at = 2026-11-02T08:00:00Z, actor = 'Li Ming', kind = 'note' },
    ]

    [scope]                  # only in partial exports (--chain / --since)
    chain = 'IC'
    since = 2026-06-01

    [[units]]                # the institutions, sorted by name (every one, in any export)
    uuid = '...'
    name = 'District Development and Reform Bureau'   # unique, one line
    short = 'DRC'            # optional, unique
    kind = 'bureau'          # bureau | street | park | enterprise_service | other
    contact = '...'          # optional
    created_at = 2026-01-05T08:00:00Z

    [[enterprises]]          # sorted by name (every one, in any export; format 4 on)
    uuid = '...'
    name = '...'             # unique, one line, up to 200
    short = '...'            # optional, unique
    credit_code = '...'      # optional, unique: 18 characters, GB 32100-2015 check character
    contact = '...'          # optional
    park = '...'             # optional
    above_scale = true       # optional: above designated size (left out when false)
    created_at = 2026-01-05T08:00:00Z

    [[people]]               # sorted by name
    uuid = '...'
    name = 'Li Ming'         # unique; up to 200 characters, one line
    unit = '...'             # optional, one line, up to 200
    title = '...'            # optional
    contact = '...'          # optional
    created_at = 2026-01-05T08:00:00Z
    history = [...]          # events about the person alone (EVENTs)

    [[chains]]               # sorted by code
    uuid = '...'
    code = 'IC'              # 1-10 capital letters/digits, starting with a letter
    name = 'Integrated circuits'
    description = '...'      # optional, multi-line allowed
    status = 'active'        # active | archived
    archived = 2026-10-01    # optional: the day it was archived
    created_at = 2026-01-05T08:00:00Z
    next_item_no = 13        # the next item number (keys are never reused)
    next_meeting_no = 4
    next_project_no = 3      # the next project number (format 5 on)
    links = [                # the chain's map (format 5 on), by position, then name:
        # uuid, name (unique in the chain), segment (upstream | midstream |
        # downstream), state (strong | weak | missing), position (a whole number),
        # note (optional), created_at
        { uuid = '...', name = '晶圆制造', segment = 'upstream', state = 'weak', ... },
    ]
    enterprises = [          # the enterprises on the chain, by name (format 4 on):
        # uuid, enterprise (a name), segment (upstream | midstream | downstream,
        # optional), lead (true for the chain's lead enterprise; left out when
        # false), created_at
        { uuid = '...', enterprise = '...', segment = 'upstream', lead = true, ... },
    ]
    enterprise_links = [     # the enterprises on its links (format 5 on), by enterprise
        # name, then the link's place: uuid, enterprise (a name, on this chain),
        # link (a name of this chain's), created_at
        { uuid = '...', enterprise = '...', link = '晶圆制造', created_at = ... },
    ]
    targets = [              # annual targets (format 5 on), by year, then figure: uuid,
        # year (2000-2100), figure, value (decimal text), unit (optional), kind (sum |
        # latest), created_at
        { uuid = '...', year = 2026, figure = 'output_value', value = '180', ... },
    ]
    history = [...]          # the chain's own events (EVENTs)

    [[chains.memberships]]   # every spell, ended ones too; by since, then as recorded
    uuid = '...'
    person = 'Li Ming'       # a person's name (in this snapshot or the database)
    role = 'leader'          # leader | responsible | member | liaison | deputy | secretary | expert
    since = 2026-01-05
    until = 2026-09-30       # optional: absent while the spell is current

    [[chains.meetings]]      # sorted by number
    uuid = '...'
    key = 'IC-M3'            # <CODE>-M<number>, the chain's own code
    kind = 'scheduling'      # scheduling | breakfast | salon | visit | other
    month = '2026-11'        # YYYY-MM
    held = 2026-11-18        # a day in that month
    chair = 'Li Ming'        # optional, a person's name
    summary = '...'          # optional, multi-line allowed
    created_at = 2026-11-18T10:00:00Z
    history = [...]          # the meeting's events (EVENTs)

    [[chains.meetings.attendees]]   # in the order recorded
    uuid = '...'
    name = 'Zhang Wei'              # free text, one line

    [[chains.meetings.decisions]]   # in the order recorded
    uuid = '...'
    text = '...'

    [[chains.meetings.figures]]     # in the order recorded
    uuid = '...'
    name = 'output_value'
    value = '12.5'                  # decimal text (a string: exact, no float noise)
    unit = '100M CNY'               # optional

    [[chains.projects]]      # sorted by number (format 5 on)
    uuid = '...'
    key = 'IC-P1'            # <CODE>-P<number>, the chain's own code, below next_project_no
    title = '...'            # one line, up to 500
    type = 'build'           # build | strengthen | fill | extend
    enterprise = '...'       # optional, a name
    link = '...'             # optional, a link of this chain, by name
    unit = '...'             # optional, a unit's name
    owner = '...'            # optional, a person's name
    investment = '45'        # optional, decimal text
    investment_unit = '...'  # optional
    start = 2026-03-01
    end = 2027-06-30         # the planned end now; not before start
    planned_end = 2027-03-31 # the first planned end (edits never move it)
    status = 'active'        # active | finished | dropped
    percent = 40             # 0-100: its latest progress report's (0 before the first)
    invested = '12.5'        # optional: its latest progress report's
    finished = 2027-06-01    # optional
    dropped = 2027-06-01     # optional
    note = '...'             # optional, multi-line allowed
    created_at = 2026-03-01T09:00:00Z
    updated_at = 2026-10-10T09:00:00Z
    progress = [             # its reports, by as_of, then as written (the last is the
        # latest): uuid, as_of, percent, invested (optional), note, why (optional),
        # by (the actor), created_at
        { uuid = '...', as_of = 2026-09-30, percent = 40, invested = '12.5', by = 'Li', ... },
    ]
    milestones = [           # by due, then as added: uuid, title (once per project),
        # due, done (optional), created_at
        { uuid = '...', title = '主体结构封顶', due = 2026-09-30, created_at = ... },
    ]
    history = [...]          # the project's own events (EVENTs)

    [[chains.items]]         # sorted by number
    uuid = '...'
    key = 'IC-12'            # <CODE>-<number>, the chain's own code
    title = '...'            # one line, up to 500
    detail = '...'           # optional, multi-line allowed
    enterprise = '...'       # optional: the first of its enterprises (format 4 on)
    reference = '...'        # optional, unique in its chain, up to 100 (format 4 on)
    link = '...'             # optional: a link of its chain, by name (format 5 on)
    project = 'IC-P1'        # optional: a project of its chain, by key (format 5 on)
    source = 'visit'         # scheduling | breakfast | salon | visit | other
    category = '...'         # optional
    priority = 'normal'      # low | normal | high | urgent
    unit = '...'             # the responsible institution
    owner = 'Zhang Wei'      # optional, a person's name
    raised = 2026-10-08
    due = 2026-11-30         # not before raised
    original_due = 2026-11-15   # the limit first set (format 3 on)
    clock_due = 2026-11-30   # the limit the light reads (format 3 on)
    receipt_due = 2026-10-10 # optional: the earliest sign-for limit of a unit
    status = 'open'          # open | in_progress | blocked | resolved | closed | dropped
    resolution = '...'       # optional: how it was resolved
    resolved = 2026-11-20    # optional
    closed = 2026-11-25      # optional
    status_reason = '...'    # optional: why blocked / dropped
    level = 2                # optional, 0-5: the supervision ladder (left out at 0)
    red_due = 2026-12-01     # optional: the ladder's memory of the red light
    red_spells = 1           # optional (left out at 0)
    suspended_on = 2026-11-01      # optional: the suspension, while it lasts
    suspended_until = 2026-11-20   # optional
    suspend_reason = '...'         # optional
    suspended_days = 4       # optional: days of ended suspensions (left out at 0)
    urge_count = 3           # optional (left out at 0)
    last_urged_at = 2026-11-18T09:00:00Z   # optional
    decision = 'IC-M3#2'     # optional: made of decision 2 of meeting IC-M3
    created_at = 2026-10-08T09:00:00Z
    updated_at = 2026-11-20T16:30:00Z
    links = [                # meetings that raised or discussed the item
        { uuid = '...', meeting = 'IC-M3', relation = 'raised' },   # raised | discussed
    ]
    enterprises = [          # those that raised it, in the order named (format 4 on)
        { uuid = '...', enterprise = '...', created_at = 2026-10-08T09:00:00Z },
    ]
    assignments = [          # each unit's part, in the order made; keys in this order:
        # uuid, unit (a name), role (lead | co), owner (a person's name, optional),
        # state (assigned | received | handling | reported | returned | transferred),
        # assigned, due, receipt_due, received, reported (dates; the last three
        # optional), report, ended, end_reason, suggested (optional), created_at,
        # updated_at
        { uuid = '...', unit = '...', role = 'lead', state = 'received', ... },
    ]
    extensions = [           # requests and edits of the limit, in the order filed:
        # uuid, unit (optional), kind (request | edit), state (pending | approved |
        # refused), requested, requested_by (the actor), from_due, to_due, why,
        # decided (optional), decided_by (a person's name, optional),
        # decision_note (optional), created_at, updated_at
        { uuid = '...', kind = 'request', state = 'pending', ... },
    ]
    follow_ups = [           # each enterprise asked (回访), in the order made (format 4 on):
        # uuid, enterprise (a name; left out for an item raised by none), result
        # (satisfied | basically_satisfied | unsatisfied), by (a person's name),
        # note (optional), asked_on, reopened_on (the day a reopening set it
        # aside; optional), created_at
        { uuid = '...', enterprise = '...', result = 'satisfied', by = 'Li Ming', ... },
    ]
    history = [              # the item's events, oldest first (EVENTs), one a line:
        { uuid = '...', at = 2026-10-08T09:00:00Z, actor = 'Li', kind = 'created', new = 'open' },
        { uuid = '...', at = 2026-11-20T16:30:00Z, actor = 'Li', kind = 'note', text = '...' },
    ]

An EVENT (every ``history`` array, in time order, then as recorded) has the
keys, in this order::

    uuid = '...'
    at = 2026-11-20T16:30:00Z
    actor = 'Zhang Wei'
    kind = 'resolved'        # created, note, status, resolved, reopened, edited, linked, ...
    meeting = 'IC-M3'        # optional (item history only): the meeting it names
    project = 'IC-P1'        # optional (format 5 on; not in a project's own history):
                             # the project it is about
    person = 'Li Ming'       # optional: the person it names
    unit = '...'             # optional (item history only): the unit an assignment
                             # event is about
    field = 'status'         # optional
    old = 'in_progress'      # optional
    new = 'resolved'         # optional
    text = '...'             # optional, multi-line allowed
    login = 'zhangwei'       # optional (format 6 on): the database login that wrote it
    prev = '0000...'         # format 6 on: the hash of the event before it in the
                             # exporting database's chain (64 zeros for the first)
    hash = '5c1d...'         # format 6 on: sha256 of prev and the event's canonical
                             # content (``chainlead.domain.seals``), 64 hex digits

An event is filed under the most specific record it belongs to: its item,
else its meeting, else its project, else its chain, else its person, else
the top-level ``history``. Types are TOML types: dates are local dates (``2026-11-30``),
times are offset date-times in UTC ending in ``Z`` (another offset is
accepted and converted), counters are integers, everything else is a
string. Unknown keys are refused, so a typo never passes silently.

Determinism
-----------
The same data gives the same bytes: records sorted by their keys (units,
enterprises and people by name, chains by code, a chain's enterprises by
name, meetings and items by number; spells, attendees, decisions, figures,
links, an item's enterprises, follow-ups and events in the order they were
recorded), keys
in the fixed order above, dates and times in one spelling, figures as
decimal text. ``exported_at`` is not the wall clock: it is the latest time
recorded in the database (the moment the exported state came to be; for a
whole-database export, the latest time in the snapshot), left out when the
database holds nothing. So exporting unchanged data twice gives
identical files, and export -> import into an empty database -> export
gives identical bytes.

Import and merge
----------------
An import is all or nothing: it keeps nothing unless the whole document is
valid and merges without an unsettled conflict. (It runs in one transaction,
a chain at a time -- checked, planned against the database, written -- and a
problem anywhere rolls the transaction back; nothing is written after the
first one.) Every problem is reported with its TOML path
(``chains[2].items[5].due: expected a date such as 2026-11-30, got
"tomorrow"``; indexes count from 0), up to a cap. Beyond
the form of each value the check holds the rules every chainlead database
keeps: unique uuids, names and keys; item and meeting keys of the chain they
are filed under; due not before raised; a meeting held in its month; an
active chain with exactly one current leader and one current responsible
person, nobody twice on a team; an item's status where its history leads
(the ``new`` of its last event with ``field = 'status'``, else open); from
format 3, an item's handling loop as ``db check`` holds it (each unit's
latest assignment in the state its item events about that unit lead to, an
open item's standing lead unless its lead was returned, the level where its
``level`` events lead, the clock its limit, working assignments and ended
suspensions give -- ``store.assignments.clock_of``); from format 4, unique
enterprise names, short names and credit codes, each enterprise once on a
chain and on an item, an item's ``enterprise`` the first of its
enterprises, references unique in a chain and one current follow-up (no
``reopened_on``) of an enterprise per item; every person, enterprise,
meeting and decision named present in the snapshot or the database. Then it
is merged by UUID in one transaction:

* a record whose uuid is new is added; one equal to the stored record is
  unchanged; one that differs is a conflict;
* a record whose human key (person name, chain code or name, item key,
  meeting key) is taken by a record with another uuid is a conflict (a key
  clash, e.g. IC-1 created independently on two machines);
* histories are unioned: events are append-only and deduplicated by uuid;
  memberships and links are added by uuid too; an item that differs only in
  ``updated_at`` (notes added on both sides) is not a conflict: it keeps the
  later time. A chain's ``next_item_no``/``next_meeting_no`` become the
  larger of the two (and above every number in use).

``--on-conflict fail`` (the default) refuses the whole import and lists
every conflict. ``ours`` keeps the database's version of a record that
differs; ``theirs`` takes the snapshot's. History is never rewritten: an
event whose uuid is stored with other content stays as stored under both.
A key clash is settled the same way under ``ours`` and ``theirs``, because
an import never changes a key this database has already handed out: a
person or chain with a clashing name/code is taken to be the stored one
(under ``theirs`` it takes the snapshot's details), and a clashing item or
meeting is added under the chain's next free number (``IC-1`` from the
snapshot becomes e.g. ``IC-9``), with its whole history. A chain name
taken by a chain with another code cannot be settled by an option.
A merge that would leave a chain with two current chain leaders (or two
responsible persons, or one person twice on its team) is a conflict;
``ours`` leaves out the snapshot's clashing spell, ``theirs`` ends the
stored one on the day the snapshot's begins.

Version 1 wrote the same records with every event and every link as its own
table (``[[chains.items.history]]``, ``[[chains.items.links]]``, and the
top-level ``[[history]]`` after the chains); version 2 changed only that
layout; version 3 added the units, the items' handling-loop fields, their
assignments and extensions, and the unit of item events; version 4 the
enterprises, the chains' and items' enterprises, the items' references and
their follow-ups; version 5 the chain itself: its map (links, the
enterprises on them), targets, projects with their progress reports,
milestones and history, ``next_project_no``, the link and project an item
names, the project an event is about. Export writes version 5; every earlier
version imports (with no links, projects or targets; a stored item keeps
its link and project).
An item a version 1 or 2 file adds is given what the upgrade to schema 0005
gives an item made before the loop (``chainlead.domain.backfill``): its lead
assignment with one ``assigned`` event (actor ``db upgrade``, at the time of
the import), its first edit's old limit as ``original_due``, the limit as
``clock_due``, and each edit of the limit as an approved extension. An item
it already holds keeps its own.

An item a version 1, 2 or 3 file adds is given what the upgrade to schema
0006 gives an item made before enterprises were records
(``chainlead.domain.backfill``): its ``enterprise`` text is the enterprise
of that exact name (the snapshot's or the database's), else one the import
adds, created when the first item naming it was; it is linked first and put
on the item's chain; and each answer in its history (a status event to
``closed``, or a ``reopened`` one, with a person and the text ``enterprise
ANSWER, asked by NAME[: note]``, read by ``chainlead.domain.answers``) is a
follow-up of that enterprise by that person on that day, set aside
(``reopened_on``) by a later reopening. An item the database already holds
keeps its own enterprises, reference and follow-ups.

Enterprises are matched by uuid, else by name, as units are: an enterprise
of a stored name is the stored one (its details compared); a short name or
credit code that another stored enterprise holds is a conflict no option
settles, and a stored enterprise the snapshot renames (``theirs``) takes the
items it raised first along (their ``enterprise`` text). A chain's
enterprises are merged by uuid, else by enterprise (one placement a chain);
an item's enterprises by uuid, new ones named after the stored ones (an
enterprise named on both sides is named once); follow-ups by uuid, and a
union that would leave an item two current follow-ups of one enterprise is a
conflict no option settles, as two pending extension requests are; so is an
item whose ``reference`` a stored item with another uuid holds.
Enterprise events (``enterprise_created``, ``enterprise_edited``,
``enterprise_renamed``) are in the top-level ``history``; ``enterprise_joined``
and ``enterprise_placed`` in the chain's, ``enterprise_linked``,
``enterprise_unlinked`` and ``followed_up`` in the item's.

Links are matched by uuid, else by chain and name (a link of a stored
name is the stored one, its segment, state, position and note compared);
targets by uuid, else by chain, year and figure (value, unit and kind
compared); an enterprise on a link by uuid, else by enterprise and link.
Projects merge as items do: by uuid, a key held by a stored project with
another uuid being a key clash (the snapshot's project is added under the
chain's next project number, with its reports, milestones and history, and
what the snapshot says of its key then names it). ``percent`` and
``invested`` are not compared: progress reports are unioned by uuid and a
stored project takes its latest merged report's. Milestones are matched by
uuid, else by title. The check holds what ``db check`` does: a project's
percent and invested its latest report's, its key below the chain's
``next_project_no``, its link, an item's link and project, an enterprise
link's link of the chain (and its enterprise on the chain).

Units are matched by uuid, else by name: a unit of a stored name is the
stored unit (its details compared). An item, assignment, extension or event
names its unit; a name that neither the snapshot nor the database holds
adds a unit of kind ``other`` (created when the first record naming it
was), as the upgrade to schema 0004 did. Assignments and extensions are
merged by uuid like links; a union that would leave an item two standing
leads, a unit two standing parts or two pending requests is a conflict no
option settles. An item's clock (``clock_due``, ``receipt_due``) is not
compared: it is worked out again when the merge changes the item's
assignments. Unit events (``unit_created``, ``unit_edited``,
``unit_renamed``) name no chain, item or person: they are in the top-level
``history``.

Reading: text in the canonical spelling (of either version) is read by
``canonical``, a strict reader that hands over one person or chain at a
time, so an import holds one chain in memory, not the file; any other
spelling by ``tomllib``, after ``reader.guard`` has refused nesting and
dotted keys far deeper than the format needs. Writing is ``writer`` (not
tomli-w, which cannot write ``Z`` times or literal strings).

Imported history is copied, not created: import inserts the snapshot's
event rows directly (bulk), the one sanctioned exception to
``chainlead.domain.history.record`` being the only writer of the event
table. Nothing in the event table is ever updated or deleted.

Format 6 makes the history verifiable: before the events are written, import
checks that they link into one chain from 64 zeros (runs of the exporter's
chain in a partial export) and that each new event's ``hash`` follows from its
``prev`` and its content (the records it names by uuid: the snapshot's uuids,
also where a record was taken to be a stored one of the same name); then they
are chained after the database's head in the snapshot's order, so that an
empty database gets exactly the snapshot's hashes. A snapshot of an earlier
format is imported only when accepted unverified.
"""

from __future__ import annotations

FORMAT = "chainlead-snapshot"
FORMAT_VERSION = 6
