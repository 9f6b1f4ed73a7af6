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
        if isinstance(message.id, tuple) and message.context:
            got = zh.npgettext(message.context, message.id[0], message.id[1], 1)
            wanted = message.string[0]
        elif isinstance(message.id, tuple):
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


def _own_scope(function):  # noqa: ANN001, ANN202
    """The nodes of ``function``'s own scope: not inside a comprehension, a lambda or a
    nested function, whose names are their own."""
    import ast

    nested = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda)
    nested += (ast.FunctionDef, ast.AsyncFunctionDef)
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, nested):
            stack.extend(ast.iter_child_nodes(node))


def test_no_function_hides_the_translator_behind_a_local_name() -> None:
    """A function that calls ``_()`` and also binds ``_`` (``key, _, n = ...``, a late
    ``from chainlead.i18n import _``) makes it local to the whole function: the call
    fails before the binding, or calls what was bound."""
    import ast

    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            scope = list(_own_scope(function))
            calls = [
                node.lineno
                for node in scope
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
            ]
            binds = [
                node.lineno
                for node in scope
                if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
            ]
            imports = [
                node.lineno
                for node in scope
                if isinstance(node, ast.ImportFrom)
                and any((alias.asname or alias.name) == "_" for alias in node.names)
            ]
            if calls and (binds or (imports and min(imports) > min(calls))):
                hidden.append(f"{path.relative_to(PACKAGE)}:{function.lineno} {function.name}")
    assert hidden == []
