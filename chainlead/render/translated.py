"""Translated words for the tables and cards: column headers kept in tables as
English (marked ``N_``) and translated where they are printed, and whole
translated sentences with styled cells in their ``{placeholders}``.
"""

from __future__ import annotations

import re

from rich.text import Text

from chainlead.i18n import _, current_lang, pgettext
from chainlead.render.output import cell

_FIELD = re.compile(r"\{(\w+)\}")


def fill(template: str, /, **values: object) -> Text:
    """A translated sentence with its ``{placeholders}`` replaced by cells: data stays
    literal text (never markup) and keeps its own style; the words around it are the
    translator's, in the order the language needs."""
    text = Text()
    at = 0
    for match in _FIELD.finditer(template):
        text.append(template[at : match.start()])
        text += cell(values[match.group(1)])
        at = match.end()
    text.append(template[at:])
    return text


def relation_word(relation: str | None) -> str | None:
    """How an item is tied to a meeting: raised there, or discussed there."""
    words = {
        "raised": pgettext("item at a meeting", "raised"),
        "discussed": pgettext("item at a meeting", "discussed"),
    }
    return words.get(relation, relation) if relation else relation


def _words() -> dict[tuple[str, str], str]:
    """The stored vocabulary a card or list shows, in the process's language."""
    return {
        ("role", "leader"): pgettext("team role", "leader"),
        ("role", "responsible"): pgettext("team role", "responsible"),
        ("role", "member"): pgettext("team role", "member"),
        ("role", "liaison"): pgettext("team role", "liaison"),
        ("role", "deputy"): pgettext("team role", "deputy"),
        ("role", "secretary"): pgettext("team role", "secretary"),
        ("role", "expert"): pgettext("team role", "expert"),
        ("chain", "active"): pgettext("chain status", "active"),
        ("chain", "archived"): pgettext("chain status", "archived"),
        ("project", "active"): pgettext("project status", "active"),
        ("project", "finished"): pgettext("project status", "finished"),
        ("project", "dropped"): pgettext("project status", "dropped"),
        ("unit", "bureau"): pgettext("institution kind", "bureau"),
        ("unit", "street"): pgettext("institution kind", "street"),
        ("unit", "park"): pgettext("institution kind", "park"),
        ("unit", "enterprise_service"): pgettext("institution kind", "enterprise service"),
        ("unit", "other"): pgettext("institution kind", "other"),
        ("segment", "upstream"): pgettext("segment", "upstream"),
        ("segment", "midstream"): pgettext("segment", "midstream"),
        ("segment", "downstream"): pgettext("segment", "downstream"),
        ("link", "strong"): pgettext("link state", "strong"),
        ("link", "weak"): pgettext("link state", "weak"),
        ("link", "missing"): pgettext("link state", "missing"),
        ("type", "build"): pgettext("project type", "build"),
        ("type", "strengthen"): pgettext("project type", "strengthen"),
        ("type", "fill"): pgettext("project type", "fill"),
        ("type", "extend"): pgettext("project type", "extend"),
        ("target", "sum"): pgettext("target kind", "sum"),
        ("target", "latest"): pgettext("target kind", "latest"),
    }


def word(kind: str, value: str | None) -> str | None:
    """A stored vocabulary ``value`` of ``kind`` (role, chain, project, unit, segment,
    link, type, target, part) as a person reads it; anything else as stored."""
    if value is None:
        return None
    if kind == "part":  # an institution's part in an item: the item screens' word
        from chainlead.render.words import state_word

        return state_word(value)
    return _words().get((kind, value), value)


def light_cell(light: str) -> Text:
    """A light as a coloured word in the process's language (``render.items``' styles)."""
    from chainlead.render.output import LIGHT_STYLES
    from chainlead.render.words import light_word

    text = light_word(light)
    return Text(text, style=LIGHT_STYLES.get(light, ""))


def status_cell(status: str) -> Text:
    """An item's status in the process's language (``in_progress``: in progress)."""
    from chainlead.render.words import status_word

    return Text(status_word(status))


def _events() -> dict[str, str]:
    return {
        "created": pgettext("event", "created"),
        "edited": pgettext("event", "edited"),
        "archived": pgettext("event", "archived"),
        "leader": pgettext("event", "chain leader"),
        "responsible": pgettext("event", "responsible person"),
        "member_added": pgettext("event", "joined the team"),
        "member_removed": pgettext("event", "left the team"),
        "enterprise_joined": pgettext("event", "enterprise joined"),
        "link_added": pgettext("event", "link added"),
        "link_edited": pgettext("event", "link edited"),
        "link_removed": pgettext("event", "link removed"),
        "link_placed": pgettext("event", "enterprise placed on a link"),
        "link_unplaced": pgettext("event", "enterprise taken off a link"),
        "target_set": pgettext("event", "target set"),
        "target_removed": pgettext("event", "target removed"),
        "person_created": pgettext("event", "person added"),
        "person_edited": pgettext("event", "person edited"),
        "person_renamed": pgettext("event", "person renamed"),
        "unit_created": pgettext("event", "institution added"),
        "unit_edited": pgettext("event", "institution edited"),
        "unit_renamed": pgettext("event", "institution renamed"),
        "project_created": pgettext("event", "project added"),
        "project_edited": pgettext("event", "project edited"),
        "project_progress": pgettext("event", "progress reported"),
        "project_milestone": pgettext("event", "milestone added"),
        "project_milestone_done": pgettext("event", "milestone done"),
        "project_finished": pgettext("event", "project finished"),
        "project_dropped": pgettext("event", "project dropped"),
        "progress": pgettext("event", "progress reported"),
        "milestone": pgettext("event", "milestone added"),
        "milestone_done": pgettext("event", "milestone done"),
        "finished": pgettext("event", "project finished"),
        "dropped": pgettext("event", "project dropped"),
    }


def _fields() -> dict[str, str]:
    return {
        "name": pgettext("field", "name"),
        "description": pgettext("field", "description"),
        "unit": pgettext("field", "unit"),
        "title": pgettext("field", "title"),
        "contact": pgettext("field", "contact"),
        "enterprise": pgettext("field", "enterprise"),
        "link": pgettext("field", "link"),
        "segment": pgettext("field", "segment"),
        "state": pgettext("field", "state"),
        "note": pgettext("field", "note"),
        "short": pgettext("field", "short name"),
        "kind": pgettext("field", "kind"),
        "milestone": pgettext("field", "milestone"),
        "percent": pgettext("field", "percent done"),
        "end_on": pgettext("field", "planned end"),
        "start_on": pgettext("field", "planned start"),
        "investment": pgettext("field", "investment"),
        "owner": pgettext("field", "owner"),
        "type": pgettext("field", "type"),
        "lead": pgettext("field", "lead"),
        "co": pgettext("field", "co-handling"),
    }


def field_word(field: str) -> str:
    """A record's field as a person names it (``end_on``: 计划完成), else as stored."""
    return _fields().get(field, field.replace("_", " "))


def event_words(kind: str, field: str | None) -> str:
    """A history entry of a chain, person, institution or project in words: what
    happened, and the field or role it changed (never the stored names)."""
    from chainlead.render.labels import MESSAGES, labels_for

    what = _events().get(kind)
    if what is None:
        sheet = f"sheet_event_{kind}"
        what = labels_for(current_lang())(sheet) if sheet in MESSAGES else kind.replace("_", " ")
    if not field or field == kind:
        return what
    shown = _fields().get(field) or word("role", field) or field
    if shown in what:
        return what
    return _("{what}: {field}").format(what=what, field=shown)


def record_kind(kind: str) -> Text:
    """A kind of record an import counts, in words (``follow_ups``: 回访)."""
    words = {
        "units": pgettext("record kind", "institutions"),
        "enterprises": pgettext("record kind", "enterprises"),
        "people": pgettext("record kind", "people"),
        "chains": pgettext("record kind", "chains"),
        "enterprise_chains": pgettext("record kind", "enterprises on chains"),
        "chain_links": pgettext("record kind", "chain links"),
        "enterprise_links": pgettext("record kind", "enterprises on links"),
        "targets": pgettext("record kind", "targets"),
        "memberships": pgettext("record kind", "team memberships"),
        "meetings": pgettext("record kind", "meetings"),
        "projects": pgettext("record kind", "projects"),
        "progress": pgettext("record kind", "progress reports"),
        "milestones": pgettext("record kind", "milestones"),
        "items": pgettext("record kind", "items"),
        "links": pgettext("record kind", "item-meeting links"),
        "item_enterprises": pgettext("record kind", "enterprises of items"),
        "assignments": pgettext("record kind", "assignments"),
        "extensions": pgettext("record kind", "extensions"),
        "follow_ups": pgettext("record kind", "follow-ups"),
        "events": pgettext("record kind", "history events"),
    }
    return Text(words.get(kind, kind))
