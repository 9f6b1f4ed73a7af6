"""The translation catalogs: every message the code marks has its Chinese, and the
compiled catalog that ships says what the translator's .po says."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import chainlead
from chainlead.i18n import translator
from chainlead.render.labels import Labels

PACKAGE = Path(chainlead.__file__).parent
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "chainlead.po"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "P_": ((1, "c"), 2),
}
FIELD = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def _marked() -> set[tuple[str | None, str]]:
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",)
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    return found


def test_every_marked_message_has_its_chinese() -> None:
    catalog = _catalog()
    missing = []
    for context, msgid in sorted(_marked(), key=str):
        message = catalog.get(msgid, context=context)
        if message is None or not _translated(message):
            missing.append((context, msgid))
    assert missing == [], f"run `make catalogs` and translate: {missing[:10]}"


def test_the_compiled_catalog_says_what_the_po_says() -> None:
    zh = translator("zh")
    for message in _catalog():
        if not message.id or not _translated(message):
            continue
        if isinstance(message.id, tuple):
            got = zh.ngettext(message.id[0], message.id[1], 1)
            wanted = message.string[0]
        elif message.context:
            got, wanted = zh.pgettext(message.context, message.id), message.string
        else:
            got, wanted = zh.gettext(message.id), message.string
        assert got == wanted, f"run `make catalogs`: {message.id!r} compiled as {got!r}"


def test_a_translation_keeps_the_fields_of_its_english() -> None:
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # a translator may use the further fields the code offers, named in a
        # comment above the message (``# i18n: also {year}, ...``)
        offered = FIELD.findall(" ".join(message.auto_comments))
        fields = set(FIELD.findall(ids[-1])) | set(offered)
        for string in strings:
            assert set(FIELD.findall(string)) <= fields | set(FIELD.findall(ids[0])), message.id


def test_labels_read_the_catalog() -> None:
    zh, en = Labels("zh"), Labels("en")
    assert zh.month("2026-03") == "2026年3月"
    assert zh.light("red") == "红灯" and zh.status("blocked") == "受阻"
    assert en("resolved") == "Resolved"
    # the same English reads differently by place: the context tells them apart
    assert zh("resolved") != zh("rank_resolved")
