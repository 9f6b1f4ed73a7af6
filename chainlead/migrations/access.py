"""Who may do what on a shared PostgreSQL database, enforced by PostgreSQL itself
(migration 0013, ``chainlead db setup-roles``).

A person is linked to a login role (``app_user``) and holds grants
(``user_grant``: admin, leader, team, unit, viewer; leader and team on one
chain or on every chain, unit on one institution). Two things follow from a
grant, both checked by the server for any client, chainlead or ``psql``:

- **table privileges**, through the group roles ``chainlead_admin``,
  ``chainlead_leader``, ``chainlead_team``, ``chainlead_unit`` and
  ``chainlead_viewer`` (cluster-wide; ``chainlead user grant`` makes the login a
  member of its role's group);
- **row-level security**: policies on items, assignments, history, meetings and
  the rows hanging off them, written once for every login, that ask the helper
  functions below what ``session_user`` holds. The helpers are ``SECURITY
  DEFINER`` (they run as the table owner, who is not subject to the policies:
  no recursion, and a login needs no access to the grant tables);
- **sign-off**: a trigger lets only who signs on the item's chain (its leader or
  responsible person, a leader grant, an admin) close an item, raise its
  supervision level or answer an extension request.

The table owner (the admin who installs, usually the database owner) and
superusers pass every policy (``FORCE ROW LEVEL SECURITY`` is not set), so a
database used by one owner works as before. Every statement here can run
again: ``db setup-roles`` re-applies them after making the group roles.
"""

from __future__ import annotations

GROUPS: tuple[str, ...] = (
    "chainlead_admin",
    "chainlead_leader",
    "chainlead_team",
    "chainlead_unit",
    "chainlead_viewer",
)

# The tables whose rows belong to an item, to a meeting, or to a chain.
ITEM_ROWS: tuple[str, ...] = ("extension", "follow_up", "item_enterprise", "meeting_item")
MEETING_ROWS: tuple[str, ...] = ("meeting_attendee", "meeting_decision", "meeting_figure")
# A chain's own records: read by all (the district's map is no secret), changed only on
# the chain (``chain`` by its id; a project's rows by their project's chain).
CHAIN_ROWS: tuple[str, ...] = ("membership", "project", "target", "chain_link", "enterprise_chain")
PROJECT_ROWS: tuple[str, ...] = ("project_progress", "project_milestone")
# The tables no login but an admin changes.
ADMIN_ONLY: tuple[str, ...] = ("app_user", "user_grant", "alembic_version")
# What a unit writes when it receives, reports, returns or asks for more time (besides
# the rows the policies hold it to): its change set, and the rows the triggers derive.
UNIT_WRITES: dict[str, str] = {
    "item": "SELECT, UPDATE",
    "assignment": "SELECT, UPDATE",
    "event": "SELECT, INSERT",
    "extension": "SELECT, INSERT",
    "change_set": "SELECT, INSERT, DELETE",
    "change_row": "SELECT, INSERT",
    "search_index": "SELECT, INSERT, DELETE",
    "history_head": "SELECT, UPDATE",  # each event moves the hash chain's head on
}


def quoted(name: str) -> str:
    """``name`` as a PostgreSQL identifier (a schema, a role)."""
    return '"' + name.replace('"', '""') + '"'


def _functions(schema: str) -> list[str]:
    path = f"SET search_path = {schema}, pg_temp"
    head = "LANGUAGE sql STABLE SECURITY DEFINER " + path
    mine = (
        "SELECT g.role, g.chain_id, g.unit_id FROM user_grant g "
        "JOIN app_user u ON u.id = g.user_id WHERE u.login = session_user"
    )
    return [
        f"""CREATE OR REPLACE FUNCTION chainlead_admin() RETURNS boolean {head} AS $$
  SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
      OR EXISTS (SELECT 1 FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
                 WHERE d.datname = current_database() AND r.rolname = session_user)
      OR EXISTS (SELECT 1 FROM ({mine}) m WHERE m.role = 'admin')
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_reads_all() RETURNS boolean {head} AS $$
  SELECT chainlead_admin() OR EXISTS (SELECT 1 FROM ({mine}) m WHERE m.role = 'viewer')
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_writer() RETURNS boolean {head} AS $$
  SELECT chainlead_admin()
      OR EXISTS (SELECT 1 FROM ({mine}) m WHERE m.role IN ('leader', 'team'))
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_on_chain(chain integer) RETURNS boolean
{head} AS $$
  SELECT chainlead_admin() OR EXISTS (
    SELECT 1 FROM ({mine}) m
    WHERE m.role IN ('leader', 'team') AND (m.chain_id IS NULL OR m.chain_id = chain))
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_on_item(item integer) RETURNS boolean
{head} AS $$
  SELECT chainlead_on_chain((SELECT i.chain_id FROM item i WHERE i.id = item))
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_on_meeting(meeting integer) RETURNS boolean
{head} AS $$
  SELECT chainlead_on_chain((SELECT m.chain_id FROM meeting m WHERE m.id = meeting))
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_on_project(project integer) RETURNS boolean
{head} AS $$
  SELECT chainlead_on_chain((SELECT p.chain_id FROM project p WHERE p.id = project))
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_my_unit(unit integer) RETURNS boolean
{head} AS $$
  SELECT EXISTS (SELECT 1 FROM ({mine}) m WHERE m.role = 'unit' AND m.unit_id = unit)
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_unit_item(item integer) RETURNS boolean
{head} AS $$
  SELECT EXISTS (
    SELECT 1 FROM assignment a JOIN ({mine}) m ON m.role = 'unit' AND m.unit_id = a.unit_id
    WHERE a.item_id = item)
$$""",
        # the change set this transaction opened: what a command may read back and drop
        f"""CREATE OR REPLACE FUNCTION chainlead_change_here(change integer) RETURNS boolean
{head} AS $$
  SELECT EXISTS (SELECT 1 FROM change_set s WHERE s.id = change
                 AND s.xmin::text = (pg_current_xact_id()::xid)::text)
$$""",
        # who signs on a chain: an admin, a leader grant on it, or the person linked to
        # the login being the chain's leader or responsible person now
        f"""CREATE OR REPLACE FUNCTION chainlead_signs(chain integer) RETURNS boolean
{head} AS $$
  SELECT chainlead_admin()
      OR EXISTS (SELECT 1 FROM ({mine}) m
                 WHERE m.role = 'leader' AND (m.chain_id IS NULL OR m.chain_id = chain))
      OR EXISTS (SELECT 1 FROM membership s JOIN app_user u ON u.person_id = s.person_id
                 WHERE u.login = session_user AND s.chain_id = chain AND s.until IS NULL
                 AND s.role IN ('leader', 'responsible'))
$$""",
        f"""CREATE OR REPLACE FUNCTION chainlead_person() RETURNS text {head} AS $$
  SELECT p.name::text FROM app_user u JOIN person p ON p.id = u.person_id
  WHERE u.login = session_user
$$""",
        # who the session is: the person linked to its login, and whether it is an admin
        f"""CREATE OR REPLACE FUNCTION chainlead_whoami()
RETURNS TABLE (login text, person text, admin boolean) {head} AS $$
  SELECT session_user::text,
         (SELECT p.name FROM app_user u JOIN person p ON p.id = u.person_id
          WHERE u.login = session_user),
         chainlead_admin()
$$""",
    ]


_SIGN_OFF = """CREATE OR REPLACE FUNCTION chainlead_sign_off() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'item' THEN
    IF (NEW.status = 'closed' AND OLD.status IS DISTINCT FROM 'closed'
        OR NEW.level > OLD.level) AND NOT chainlead_signs(NEW.chain_id) THEN
      RAISE EXCEPTION 'only the chain leader or the responsible person signs off or escalates'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSIF NEW.state IS DISTINCT FROM OLD.state AND OLD.state = 'pending'
        AND NOT chainlead_signs((SELECT i.chain_id FROM item i WHERE i.id = NEW.item_id)) THEN
    RAISE EXCEPTION 'only the chain leader or the responsible person answers an extension'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"""


def _sign_offs() -> list[str]:
    """The sign-off (销号), the ladder and the answer to an extension request: only by
    who signs on the item's chain, whatever else a login may change."""
    return [
        _SIGN_OFF,
        "DROP TRIGGER IF EXISTS chainlead_sign_off ON item",
        "CREATE TRIGGER chainlead_sign_off BEFORE UPDATE ON item "
        "FOR EACH ROW EXECUTE FUNCTION chainlead_sign_off()",
        "DROP TRIGGER IF EXISTS chainlead_sign_off ON extension",
        "CREATE TRIGGER chainlead_sign_off BEFORE UPDATE ON extension "
        "FOR EACH ROW EXECUTE FUNCTION chainlead_sign_off()",
    ]


def _policy(table: str, name: str, command: str, using: str | None, check: str | None) -> list[str]:
    clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
    return [
        f"DROP POLICY IF EXISTS {name} ON {table}",
        f"CREATE POLICY {name} ON {table} FOR {command}{clauses}",
    ]


def _family(table: str, read: str, write: str, *, unit_update: str | None = None) -> list[str]:
    """Row-level security on ``table``: read where ``read`` holds; add, change and remove
    where ``write`` holds (or, for a change, ``unit_update``)."""
    change = write if unit_update is None else f"{write} OR {unit_update}"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        *_policy(table, f"{table}_read", "SELECT", read, None),
        *_policy(table, f"{table}_add", "INSERT", None, write),
        *_policy(table, f"{table}_change", "UPDATE", change, change),
        *_policy(table, f"{table}_remove", "DELETE", write, None),
    ]


def _policies() -> list[str]:
    # A call without arguments in a sub-select is worked out once per statement, not
    # once per row.
    wide = "(SELECT chainlead_reads_all())"
    statements = [
        *_family(
            "item",
            f"{wide} OR chainlead_on_chain(chain_id) OR chainlead_unit_item(id)",
            "chainlead_on_chain(chain_id)",
            unit_update="chainlead_unit_item(id)",
        ),
        *_family(
            "assignment",
            f"{wide} OR chainlead_on_item(item_id) OR chainlead_unit_item(item_id)",
            "chainlead_on_item(item_id)",
            unit_update="chainlead_my_unit(unit_id)",
        ),
        *_family(
            "meeting", f"{wide} OR chainlead_on_chain(chain_id)", "chainlead_on_chain(chain_id)"
        ),
    ]
    for table in ITEM_ROWS:
        unit_add = (
            " OR (chainlead_unit_item(item_id) AND chainlead_my_unit(unit_id))"
            if table == "extension"
            else ""
        )
        statements += _family(
            table,
            f"{wide} OR chainlead_on_item(item_id) OR chainlead_unit_item(item_id)",
            f"chainlead_on_item(item_id){unit_add}",
        )
    statements += _family("chain", "true", "chainlead_on_chain(id)")
    for table in CHAIN_ROWS:
        statements += _family(table, "true", "chainlead_on_chain(chain_id)")
    for table in PROJECT_ROWS:
        statements += _family(table, "true", "chainlead_on_project(project_id)")
    for table in MEETING_ROWS:
        statements += _family(
            table, f"{wide} OR chainlead_on_meeting(meeting_id)", "chainlead_on_meeting(meeting_id)"
        )
    # history: append-only (its trigger); read and add by chain, item or unit
    own_item = (
        "(item_id IS NOT NULL AND (chainlead_on_item(item_id) OR chainlead_unit_item(item_id)))"
    )
    by_chain = "(chain_id IS NOT NULL AND chainlead_on_chain(chain_id))"
    general = "(chain_id IS NULL AND item_id IS NULL AND meeting_id IS NULL)"
    # a unit's own step on its item (received, reported, returned, more time asked),
    # and the item's status it moves; no notes, no steps of other units
    unit_step = (
        "(item_id IS NOT NULL AND chainlead_unit_item(item_id) AND "
        "((unit_id IS NOT NULL AND chainlead_my_unit(unit_id)) OR kind = 'status'))"
    )
    statements += [
        "ALTER TABLE event ENABLE ROW LEVEL SECURITY",
        *_policy(
            "event",
            "event_read",
            "SELECT",
            f"{wide} OR {by_chain} OR {own_item} OR {general}",
            None,
        ),
        *_policy(
            "event",
            "event_add",
            "INSERT",
            None,
            f"(SELECT chainlead_admin()) OR (item_id IS NULL AND {by_chain})"
            " OR (item_id IS NOT NULL AND chainlead_on_item(item_id))"
            f" OR {unit_step} OR ({general} AND (SELECT chainlead_writer()))",
        ),
    ]
    # the index of texts: read as its item or meeting is; kept by the triggers
    indexed = (
        "(item_id IS NOT NULL AND (chainlead_on_item(item_id) OR chainlead_unit_item(item_id)))"
        " OR (meeting_id IS NOT NULL AND chainlead_on_meeting(meeting_id))"
    )
    statements += _family(
        "search_index", f"{wide} OR {indexed}", f"(SELECT chainlead_writer()) OR {indexed}"
    )
    # change sets: a unit reads its own (their command lines carry texts of other items),
    # and drops and reads back the rows of only the one its command opened
    here = "(SELECT chainlead_writer()) OR chainlead_change_here(change_id)"
    statements += [
        "ALTER TABLE change_set ENABLE ROW LEVEL SECURITY",
        *_policy(
            "change_set", "change_set_read", "SELECT",
            f"{wide} OR (SELECT chainlead_writer()) OR actor = (SELECT chainlead_person())"
            " OR chainlead_change_here(id)", None,
        ),
        *_policy("change_set", "change_set_add", "INSERT", None, "true"),
        *_policy("change_set", "change_set_change", "UPDATE", "(SELECT chainlead_writer())", None),
        *_policy(
            "change_set", "change_set_remove", "DELETE",
            "(SELECT chainlead_writer()) OR chainlead_change_here(id)", None,
        ),
        "ALTER TABLE change_row ENABLE ROW LEVEL SECURITY",
        *_policy(
            "change_row", "change_row_read", "SELECT", f"{wide} OR {here}", None
        ),
        *_policy("change_row", "change_row_add", "INSERT", None, here),
    ]  # fmt: skip
    return statements


def policy_statements(schema: str) -> list[str]:
    """The helper functions and the row-level security policies, in ``schema``."""
    return [*_functions(schema), *_policies(), *_sign_offs()]


def grant_statements(schema: str, tables: list[str]) -> list[str]:
    """Each group role's table privileges on ``tables`` of ``schema``, for the group roles
    that exist (a migration runs before ``db setup-roles`` makes them)."""
    writable = [t for t in tables if t not in ADMIN_ONLY]
    plan: dict[str, list[str]] = {
        "chainlead_admin": [
            f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO chainlead_admin",
            f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema} TO chainlead_admin",
        ],
        "chainlead_viewer": [f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO chainlead_viewer"],
        "chainlead_unit": [
            f"GRANT SELECT ON {table} TO chainlead_unit"
            for table in tables
            if table not in ADMIN_ONLY and table not in UNIT_WRITES
        ]
        + [f"GRANT {what} ON {table} TO chainlead_unit" for table, what in UNIT_WRITES.items()]
        + [
            "GRANT SELECT ON alembic_version TO chainlead_unit",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO chainlead_unit",
        ],
    }
    for group in ("chainlead_leader", "chainlead_team"):
        plan[group] = [
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {group}",
            *(f"GRANT INSERT, UPDATE, DELETE ON {table} TO {group}" for table in writable),
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {group}",
        ]
    # tables a later migration adds (by the same owner): read by all, written by leader,
    # team and admin, until ``db setup-roles`` grants them as above
    later = f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT"
    plan["chainlead_admin"] += [
        f"{later} ALL ON TABLES TO chainlead_admin",
        f"{later} ALL ON SEQUENCES TO chainlead_admin",
    ]
    for group in ("chainlead_viewer", "chainlead_unit"):
        plan[group].append(f"{later} SELECT ON TABLES TO {group}")
    for group in ("chainlead_leader", "chainlead_team"):
        plan[group].append(f"{later} SELECT, INSERT, UPDATE, DELETE ON TABLES TO {group}")
    for group in ("chainlead_leader", "chainlead_team", "chainlead_unit"):
        plan[group].append(f"{later} USAGE ON SEQUENCES TO {group}")
    statements = []
    for group, grants in plan.items():
        # USAGE on the schema is not the group's: a district is granted login by login
        # (``chainlead user add`` in that district), so a group's members reach only the
        # districts they were added in
        body = "; ".join(grants)
        statements.append(
            f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN {body}; END IF; END $$"
        )
    return statements


def drop_statements() -> list[str]:
    """What ``policy_statements`` made, removed (the downgrade)."""
    tables = (
        "item", "assignment", "meeting", *ITEM_ROWS, *MEETING_ROWS, "search_index",
        "change_set", "change_row", "chain", *CHAIN_ROWS, *PROJECT_ROWS,
    )  # fmt: skip
    statements = [
        "DROP TRIGGER IF EXISTS chainlead_sign_off ON item",
        "DROP TRIGGER IF EXISTS chainlead_sign_off ON extension",
        "DROP FUNCTION IF EXISTS chainlead_sign_off()",
    ]
    for table in tables:
        for what in ("read", "add", "change", "remove"):
            statements.append(f"DROP POLICY IF EXISTS {table}_{what} ON {table}")
        statements.append(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    statements += [
        "DROP POLICY IF EXISTS event_read ON event",
        "DROP POLICY IF EXISTS event_add ON event",
        "ALTER TABLE event DISABLE ROW LEVEL SECURITY",
    ]
    for name in (
        "chainlead_whoami()", "chainlead_person()", "chainlead_signs(integer)",
        "chainlead_change_here(integer)", "chainlead_unit_item(integer)",
        "chainlead_my_unit(integer)", "chainlead_on_project(integer)",
        "chainlead_on_meeting(integer)", "chainlead_on_item(integer)",
        "chainlead_on_chain(integer)", "chainlead_writer()", "chainlead_reads_all()",
        "chainlead_admin()",
    ):  # fmt: skip
        statements.append(f"DROP FUNCTION IF EXISTS {name}")
    return statements
