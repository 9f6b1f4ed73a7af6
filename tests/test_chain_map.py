"""A chain's map (``chainlead chain link``, ``chain map``): links, enterprises placed on
them, items naming them, the map drawn on the terminal and as a one-page diagram, on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers import assert_refused, execute, on_day
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from chainlead.cli import app
from chainlead.cli.complete import link_names

runner = CliRunner()

SMIC = "中芯国际集成电路制造（南京）有限公司"
HUATIAN = "华天科技（南京）有限公司"


def run(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, ["--db", db, *args], env=env)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def data(db: str, *args: str) -> object:
    return json.loads(ok(run(db, *args, "--json")).stdout)


def state(db: str) -> list[object]:
    """What a user can read of the map, enterprises and items: to show a refusal wrote
    nothing."""
    shown = [
        data(db, "chain", "link", "list", "IC"),
        data(db, "chain", "map", "IC"),
        data(db, "chain", "show", "IC"),
        data(db, "enterprise", "list"),
        data(db, "bottleneck", "list", "--status", "all"),
    ]
    for row in shown[3]:  # type: ignore[union-attr]
        shown.append(data(db, "enterprise", "show", row["name"]))
    return shown


@pytest.fixture
def district(db_url: str) -> str:
    """IC with three links, SMIC its lead enterprise on 晶圆制造, and an institution."""
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_url, "chain", "add", "IC", "集成电路", "--leader", "Sun Hao",
               "--responsible", "Chen Jie"))  # fmt: skip
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(run(db_url, "chain", "add", "SAI", "人工智能", "--leader", "Li Ming",
               "--responsible", "Zhang Wei"))  # fmt: skip
    ok(run(db_url, "unit", "add", "区工业和信息化局", "--short", "工信局"))
    ok(run(db_url, "chain", "link", "add", "IC", "EDA工具", "--segment", "upstream",
           "--state", "missing"))  # fmt: skip
    ok(run(db_url, "chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream",
           "--state", "weak", "--note", "12英寸产能不足"))  # fmt: skip
    ok(run(db_url, "chain", "link", "add", "IC", "封装测试", "--segment", "downstream"))
    ok(run(db_url, "enterprise", "add", SMIC, "--short", "中芯南京", "--chain", "IC", "--lead",
           "--link", "IC:晶圆制造"))  # fmt: skip
    return db_url


def test_links_are_added_listed_and_written_to_history(district: str) -> None:
    rows = data(district, "chain", "link", "list", "ic")
    assert [(r["name"], r["segment"], r["state"], r["position"]) for r in rows] == [
        ("EDA工具", "upstream", "missing", 1),
        ("晶圆制造", "midstream", "weak", 2),
        ("封装测试", "downstream", "strong", 3),
    ]
    assert rows[1]["enterprises"] == 1 and rows[1]["note"] == "12英寸产能不足"
    csv = ok(run(district, "chain", "link", "list", "IC", "--csv")).stdout.splitlines()
    assert csv[0] == "chain,name,segment,state,position,enterprises,open_items,projects,note"
    assert csv[3] == "IC,封装测试,downstream,strong,3,0,0,0,"
    history = data(district, "chain", "show", "IC")["history"]  # type: ignore[index]
    added = [(e["kind"], e["field"], e["new"]) for e in history if e["kind"] == "link_added"]
    assert added == [
        ("link_added", "link", "EDA工具"),
        ("link_added", "link", "晶圆制造"),
        ("link_added", "link", "封装测试"),
    ]
    assert ok(run(district, "chain", "link", "list", "SAI")).stderr.startswith("no links yet")


def test_edit_and_remove_a_link(district: str) -> None:
    edited = ok(run(district, "chain", "link", "edit", "IC", "ｅｄａ工具", "--name", "EDA软件",
                    "--state", "weak", "--segment", "upstream"))  # fmt: skip
    assert "IC:EDA软件: name EDA工具 → EDA软件" in edited.stderr
    assert "state missing → weak" in edited.stderr
    assert "segment" not in edited.stderr  # unchanged: not written
    history = data(district, "chain", "show", "IC")["history"]  # type: ignore[index]
    changes = [(e["field"], e["old"], e["new"], e["text"]) for e in history
               if e["kind"] == "link_edited"]  # fmt: skip
    assert changes == [
        ("name", "EDA工具", "EDA软件", "EDA软件"),
        ("state", "missing", "weak", "EDA软件"),
    ]
    ok(run(district, "chain", "link", "edit", "IC", "EDA软件", "--note", "国产替代"))
    ok(run(district, "chain", "link", "edit", "IC", "EDA软件", "--note", ""))
    assert data(district, "chain", "link", "list", "IC")[0]["note"] is None  # type: ignore[index]
    removed = ok(run(district, "chain", "link", "remove", "IC", "EDA软件"))
    assert "removed link EDA软件 from IC" in removed.stderr
    names = [r["name"] for r in data(district, "chain", "link", "list", "IC")]  # type: ignore[union-attr]
    assert names == ["晶圆制造", "封装测试"]
    history = data(district, "chain", "show", "IC")["history"]  # type: ignore[index]
    assert history[-1]["kind"] == "link_removed" and history[-1]["old"] == "EDA软件"
    ok(run(district, "chain", "link", "add", "IC", "光刻胶", "--segment", "upstream"))
    positions = [r["position"] for r in data(district, "chain", "link", "list", "IC")]  # type: ignore[union-attr]
    assert len(set(positions)) == 3 and positions == sorted(positions)


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (
            ("add", "IC", "晶圆制造", "--segment", "upstream"),
            1,
            ["NAME", "already has the link '晶圆制造'"],
        ),
        (("add", "IC", "晶圆製造x", "--segment", "sideways"), 2, ["--segment"]),
        (("add", "IC", "光刻胶"), 2, ["--segment", "upstream, midstream, downstream"]),
        (("add", "IC", "光刻胶", "--segment", "upstream", "--state", "broken"), 2, ["--state"]),
        (("add", "ZZ", "光刻胶", "--segment", "upstream"), 1, ["chain", "ZZ"]),
        (("add", "IC", "", "--segment", "upstream"), 2, ["NAME"]),
        (("edit", "IC", "晶圆制造", "--name", "封装测试"), 1, ["already has the link '封装测试'"]),
        (("edit", "IC", "晶圆制造"), 2, ["give at least one of --name"]),
        (("edit", "IC", "晶元制造", "--state", "strong"), 1, ["NAME: no link", "晶圆制造"]),
        (("remove", "IC", "晶圆制造"), 1, ["still named by enterprises", SMIC]),
        (("remove", "IC", "不存在"), 1, ["NAME: no link '不存在'"]),
    ],
)
def test_link_refusals_write_nothing(
    district: str, args: tuple[str, ...], code: int, fragments: list[str]
) -> None:
    before = state(district)
    assert_refused(run(district, "chain", "link", *args), code, *fragments)
    assert state(district) == before


def test_a_link_named_by_an_item_or_a_project_is_not_removed(district: str) -> None:
    key = ok(run(district, "bottleneck", "add", "IC", "封测线用电", "--unit", "工信局",
                 "--due", "+30d", "--link", "封装测试")).stdout.strip()  # fmt: skip
    before = state(district)
    assert_refused(
        run(district, "chain", "link", "remove", "IC", "封装测试"),
        1,
        f"items {key}",
        "move or unlink",
    )
    assert state(district) == before
    ok(run(district, "bottleneck", "edit", key, "--link", ""))
    link_id = data(district, "chain", "link", "list", "IC")  # the link is free again
    assert link_id[2]["open_items"] == 0  # type: ignore[index]
    execute(
        district,
        "INSERT INTO project (uuid, key, chain_id, number, title, type, link_id, start_on, end_on, "
        "planned_end_on, status, percent, created_at, updated_at) SELECT 'p-1', 'IC-P1', "
        "chain_id, 1, '封测扩产', 'strengthen', id, '2026-03-01', '2027-06-30', '2027-06-30', "
        "'active', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00' FROM chain_link "
        "WHERE name = '封装测试'",
    )
    before = state(district)
    assert_refused(run(district, "chain", "link", "remove", "IC", "封装测试"), 1, "projects IC-P1")
    assert state(district) == before
    shown = data(district, "chain", "map", "IC")["links"][2]  # type: ignore[index]
    assert shown["projects"] == [{"key": "IC-P1", "title": "封测扩产", "status": "active"}]


def test_enterprises_are_placed_on_links_and_join_the_chain(district: str) -> None:
    ok(run(district, "enterprise", "add", HUATIAN, "--link", "ic:封装测试"))
    listed = {e["name"]: e["chains"] for e in data(district, "enterprise", "list")}  # type: ignore[union-attr]
    assert listed[HUATIAN] == "IC downstream"  # on the chain with the link's segment
    changed = ok(run(district, "enterprise", "edit", HUATIAN, "--link", "IC：晶圆制造"))
    assert f"{HUATIAN}: link IC (empty) → 晶圆制造" in changed.stderr
    listed = {e["name"]: e["chains"] for e in data(district, "enterprise", "list")}  # type: ignore[union-attr]
    assert listed[HUATIAN] == "IC downstream"  # its segment there is kept
    assert listed[SMIC] == "IC midstream 链主"  # a lead put on no segment takes the link's
    shown = data(district, "enterprise", "show", HUATIAN)
    assert shown["links"] == ["IC:晶圆制造", "IC:封装测试"]  # type: ignore[index]
    card = ok(run(district, "enterprise", "show", HUATIAN)).stdout
    assert "IC:晶圆制造; IC:封装测试" in card
    again = ok(run(district, "enterprise", "edit", HUATIAN, "--link", "IC:晶圆制造"))
    assert "nothing changed" in again.stderr
    ok(run(district, "enterprise", "edit", HUATIAN, "--unlink", "IC:封装测试"))
    assert data(district, "enterprise", "show", HUATIAN)["links"] == ["IC:晶圆制造"]  # type: ignore[index]
    history = data(district, "chain", "show", "IC")["history"]  # type: ignore[index]
    moves = [
        (e["kind"], e["old"], e["new"], e["text"])
        for e in history
        if e["kind"] in ("link_placed", "link_unplaced")
    ]
    assert moves == [
        ("link_placed", None, "晶圆制造", SMIC),
        ("link_placed", None, "封装测试", HUATIAN),
        ("link_placed", None, "晶圆制造", HUATIAN),
        ("link_unplaced", "封装测试", None, HUATIAN),
    ]


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("edit", SMIC, "--link", "IC"), 2, ["--link", "CHAIN:LINK"]),
        (("edit", SMIC, "--link", "IC:晶圆造制"), 1, ["--link: no link '晶圆造制'"]),
        (("edit", SMIC, "--link", "ZZ:晶圆制造"), 1, ["ZZ"]),
        (("edit", SMIC, "--unlink", "IC:封装测试"), 1, ["--unlink", "not on IC:封装测试"]),
        (("add", HUATIAN, "--link", "SAI:晶圆制造"), 1, ["--link: no link"]),
    ],
)
def test_placement_refusals_write_nothing(
    district: str, args: tuple[str, ...], code: int, fragments: list[str]
) -> None:
    before = state(district)
    assert_refused(run(district, "enterprise", *args), code, *fragments)
    assert state(district) == before


def test_items_name_a_link_of_their_own_chain(district: str) -> None:
    key = ok(run(district, "bottleneck", "add", "IC", "晶圆厂用电扩容", "--unit", "工信局",
                 "--due", "2026-11-01", "--raised-on", "2026-10-01",
                 "--link", "晶圆制造")).stdout.strip()  # fmt: skip
    shown = data(district, "bottleneck", "show", key)
    assert shown["link"] == "晶圆制造"  # type: ignore[index]
    assert "晶圆制造" in ok(run(district, "bottleneck", "show", key)).stdout
    assert [r["link"] for r in data(district, "bottleneck", "list")] == ["晶圆制造"]  # type: ignore[union-attr]
    edited = ok(run(district, "bottleneck", "edit", key, "--link", "封装测试"))
    assert f"{key}: link 晶圆制造 → 封装测试" in edited.stderr
    before = state(district)
    assert_refused(
        run(district, "bottleneck", "edit", key, "--link", "不存在"), 1, "--link: no link '不存在'"
    )
    assert_refused(
        run(district, "bottleneck", "add", "SAI", "x", "--unit", "工信局", "--due", "+3d",
            "--link", "封装测试"),
        1,
        "--link: no link '封装测试'",
    )  # fmt: skip
    assert state(district) == before
    ok(run(district, "bottleneck", "edit", key, "--link", ""))
    assert data(district, "bottleneck", "show", key)["link"] is None  # type: ignore[index]


def test_the_map_shows_states_enterprises_items_and_lights(district: str) -> None:
    ok(run(district, "enterprise", "add", HUATIAN, "--link", "IC:晶圆制造"))
    for title, due in (("用电", "2026-11-01"), ("用地", "+20d")):
        ok(run(district, "bottleneck", "add", "IC", title, "--unit", "工信局", "--due", due,
               "--raised-on", "2026-10-01", "--link", "晶圆制造"))  # fmt: skip
    ok(run(district, "bottleneck", "add", "IC", "人才", "--unit", "工信局", "--due", "+3d",
           "--link", "EDA工具"))  # fmt: skip
    shown = data(district, "chain", "map", "IC")
    links = {link["name"]: link for link in shown["links"]}  # type: ignore[index]
    wafer = links["晶圆制造"]
    assert wafer["enterprises"] == [
        {"name": SMIC, "short": "中芯南京", "lead": True},
        {"name": HUATIAN, "short": None, "lead": False},
    ]
    assert (wafer["open_items"], wafer["light"], wafer["red_items"]) == (2, "red", ["IC-1"])
    assert (links["EDA工具"]["open_items"], links["EDA工具"]["light"]) == (1, "yellow")
    assert (links["封装测试"]["open_items"], links["封装测试"]["light"]) == (0, "none")
    text = ok(run(district, "chain", "map", "IC", env={"COLUMNS": "200"})).stdout
    assert "★中芯南京" in text and HUATIAN in text
    assert "□ EDA工具  missing 缺" in text and "◐ 晶圆制造  weak 弱" in text
    assert "2 open, worst red (IC-1)" in text


def _lines(db: str, width: int) -> list[str]:
    result = ok(run(db, "chain", "map", "IC", env={"COLUMNS": str(width)}))
    return result.stdout.rstrip("\n").split("\n")


def _bars(line: str) -> list[int]:
    """The cells at which a line has a column rule."""
    return [cell_len(line[:i]) for i, ch in enumerate(line) if ch in "│┃"]


@pytest.mark.parametrize("width", [60, 100, 200])
def test_the_map_fits_the_terminal_with_cjk_names_aligned(district: str, width: int) -> None:
    ok(run(district, "enterprise", "add", HUATIAN, "--link", "IC:封装测试", "--link", "IC:EDA工具"))
    lines = _lines(district, width)
    assert all(cell_len(line) <= width for line in lines)
    ruled = [line for line in lines if _bars(line)]
    assert ruled
    if width < 90:  # one segment under another: one column each
        assert all(len(_bars(line)) == 2 for line in ruled)
        heads = [line for line in lines if "Upstream" in line or "Midstream" in line
                 or "Downstream" in line]  # fmt: skip
        assert len(heads) == 3 and lines.index(heads[0]) < lines.index(heads[1]) < lines.index(
            heads[2]
        )
    else:  # side by side: every rule at the same cells on every line
        assert len(_bars(ruled[0])) == 4
        assert all(_bars(line) == _bars(ruled[0]) for line in ruled)
        head = next(line for line in lines if "Upstream" in line)
        assert "Midstream" in head and "Downstream" in head
        assert _bars(ruled[-1])[-1] == width - 1  # the table takes the width
    # The lines with CJK names keep the rules where the ASCII ones have them.
    assert any("晶圆制造" in line for line in ruled) and any("华天科技" in line for line in ruled)


def _big_chain(db: str) -> list[str]:
    """IC with 30 links (uneven segments) and 150 enterprises of long CJK names."""
    names = [f"环节{n:02d}{'晶圆制造封装测试材料'[n % 10]}" for n in range(1, 31)]
    segments = ["upstream"] * 7 + ["midstream"] * 16 + ["downstream"] * 7
    states = ["strong", "weak", "missing"]
    for n, (name, segment) in enumerate(zip(names, segments, strict=True)):
        ok(run(db, "chain", "link", "add", "IC", name, "--segment", segment,
               "--state", states[n % 3]))  # fmt: skip
    for k in range(150):
        name = f"南京江北新区{'紫金微电子半导体集成电路'[k % 10]}科技有限公司{k:03d}"
        ok(run(db, "enterprise", "add", name, "--link", f"IC:{names[k % 30]}"))
    return names


@pytest.fixture
def big(db_path: Path) -> str:
    db = str(db_path)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(
            run(
                db,
                "chain",
                "add",
                "IC",
                "集成电路",
                "--leader",
                "Sun Hao",
                "--responsible",
                "Chen Jie",
            )
        )
    return db


def _print_to_pdf(page: Path, pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _pdf_facts(pdf: Path) -> tuple[int, str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)  # type: ignore[union-attr]
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, size, text


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdfinfo") is None,
    reason="chromium or poppler-utils is not installed",
)
def test_the_map_of_30_links_and_150_enterprises_prints_on_one_a4_landscape_page(
    big: str, tmp_path: Path
) -> None:
    names = _big_chain(big)
    html, svg = tmp_path / "map.html", tmp_path / "map.svg"
    wrote = ok(run(big, "chain", "map", "IC", "--html", str(html), "--svg", str(svg)))
    assert f"wrote the map of IC (html) to {html}" in wrote.stderr
    assert (html.stat().st_mode & 0o777) == 0o600  # through the output-file writer
    for page in (html, svg):
        pdf = page.with_suffix(page.suffix + ".pdf")
        _print_to_pdf(page, pdf, tmp_path)
        pages, size, text = _pdf_facts(pdf)
        if page is html:
            assert pages == 1
            width, height = (float(x) for x in re.findall(r"[0-9.]+", size)[:2])
            assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape
        flat = re.sub(r"\s+", "", text)
        missing = [name for name in names if name not in flat]
        assert missing == []
    root = ElementTree.fromstring(svg.read_bytes())
    assert root.get("width") == "297mm" and root.get("height") == "210mm"


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdfinfo") is None,
    reason="chromium or poppler-utils is not installed",
)
def test_a_long_note_is_cut_on_the_map_and_the_page_still_prints_on_one_page(
    big: str, tmp_path: Path
) -> None:
    note = "十二英寸晶圆产能不足关键设备依赖进口" * 1112  # 20,016 characters, no spaces
    ok(run(big, "chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream",
           "--note", note))  # fmt: skip
    svg, html = tmp_path / "map.svg", tmp_path / "map.html"
    ok(run(big, "chain", "map", "IC", "--svg", str(svg)))
    ok(run(big, "chain", "map", "IC", "--html", str(html)))
    root = ElementTree.fromstring(svg.read_bytes())
    texts = root.iter("{http://www.w3.org/2000/svg}text")
    shown = ["".join(t.itertext()) for t in texts if t.get("class") == "note"]
    assert len(shown) == 3 and shown[-1].endswith("…")  # the first lines, then "…"
    assert note.startswith("".join(shown)[:-1])
    page = html.read_text(encoding="utf-8")
    assert all(line in page for line in shown) and note[:200] not in page  # drawn the same
    pdf = tmp_path / "map.pdf"
    _print_to_pdf(html, pdf, tmp_path)
    pages, _size, text = _pdf_facts(pdf)
    assert pages == 1 and "晶圆制造" in text


def test_the_diagram_escapes_names_and_scales_a_huge_map_to_the_page(
    big: str, tmp_path: Path
) -> None:
    ok(run(big, "chain", "link", "add", "IC", "<b>&\"封装'</b>", "--segment", "upstream"))
    for n in range(60):
        ok(
            run(
                big, "chain", "link", "add", "IC", f"很长的环节名称{n:02d}", "--segment", "upstream"
            )
        )
    svg = tmp_path / "map.svg"
    ok(run(big, "chain", "map", "IC", "--svg", str(svg)))
    root = ElementTree.fromstring(svg.read_bytes())  # well-formed: the name escaped
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<b>&\"封装'</b>" in texts
    _x, _y, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert height > 595 and abs(width / height - 842 / 595) < 0.01  # scaled, same shape
    html = tmp_path / "map.html"
    ok(run(big, "chain", "map", "IC", "--html", str(html)))
    assert "<b>&" not in html.read_text(encoding="utf-8")


def test_map_refusals(district: str, tmp_path: Path) -> None:
    assert_refused(run(district, "chain", "map", "ZZ"), 1, "ZZ")
    assert_refused(
        run(district, "chain", "map", "IC", "--html", "-", "--svg", "-"), 2, "only one of them"
    )
    if "://" not in district:  # a SQLite file: the map never lands on the database in use
        assert_refused(run(district, "chain", "map", "IC", "--html", district), 1, "database")


def test_link_names_complete(db_path: Path) -> None:
    db = str(db_path)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(
            run(
                db,
                "chain",
                "add",
                "IC",
                "集成电路",
                "--leader",
                "Sun Hao",
                "--responsible",
                "Chen Jie",
            )
        )
    ok(run(db, "chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream"))
    ok(run(db, "chain", "link", "add", "IC", "Wafer test", "--segment", "downstream"))
    assert link_names(db, "ic", "晶") == ["晶圆制造"]
    assert link_names(db, "IC", "ｗａｆ") == ["Wafer test"]
    assert link_names(db, None, "IC:") == ["IC:晶圆制造", "IC:Wafer test"]
    assert link_names(db, "SAI", "") == []
    assert link_names(None, "IC", "") == []


def test_db_check_finds_broken_chain_maps(district: str) -> None:
    ok(run(district, "enterprise", "add", HUATIAN, "--link", "IC:封装测试"))
    key = ok(run(district, "bottleneck", "add", "IC", "用电", "--unit", "工信局", "--due", "+9d",
                 "--link", "封装测试")).stdout.strip()  # fmt: skip
    ok(run(district, "db", "check"))
    execute(
        district,
        "DELETE FROM enterprise_chain WHERE enterprise_id = "
        f"(SELECT id FROM enterprise WHERE name = '{HUATIAN}')",
        "UPDATE item SET chain_id = (SELECT id FROM chain WHERE code = 'SAI')",
        "UPDATE chain_link SET position = 1",
    )
    result = run(district, "db", "check", "--json")
    assert result.exit_code == 1
    found = {(f["subject"], f["problem"]) for f in json.loads(result.stdout)["findings"]
             if f["check"] == "chain_links"}  # fmt: skip
    assert found == {
        ("IC:封装测试", f"enterprise {HUATIAN!r} is on the link but not on the chain IC"),
        (key, "its link '封装测试' is a link of IC, not of its own chain"),
        ("IC", "3 links at position 1"),
    }


def test_the_monthly_report_sums_up_each_chain_map(district: str, tmp_path: Path) -> None:
    ok(run(district, "chain", "link", "add", "IC", "光刻胶", "--segment", "upstream",
           "--state", "missing"))  # fmt: skip
    key = ok(run(district, "bottleneck", "add", "IC", "用电", "--unit", "工信局",
                 "--due", "2026-11-10", "--raised-on", "2026-10-01",
                 "--link", "晶圆制造")).stdout.strip()  # fmt: skip
    ok(run(district, "bottleneck", "add", "IC", "用地", "--unit", "工信局", "--due", "+20d",
           "--link", "封装测试"))  # fmt: skip
    report = data(district, "report", "monthly", "--month", "2026-11")
    maps = {c["code"]: c["chain_map"] for c in report["chains"]}  # type: ignore[index]
    assert maps["SAI"] is None  # no links, no map
    assert maps["IC"] == {
        "links": 4,
        "strong": 1,
        "weak": 1,
        "missing": 2,
        "missing_links": ["EDA工具", "光刻胶"],
        "red_links": [{"name": "晶圆制造", "items": [key]}],
    }
    text = ok(run(district, "report", "monthly", "--month", "2026-11")).stdout
    assert "4 links: 1 strong, 1 weak, 2 missing" in text
    assert re.search(r"Missing links\s+EDA工具, 光刻胶", text)
    assert re.search(rf"Links with red items\s+晶圆制造 \({key}\)", text)
    markdown = ok(run(district, "report", "monthly", "--month", "2026-11", "--lang", "zh",
                      "--markdown", "-")).stdout  # fmt: skip
    assert "- **产业链图谱**: 4个环节：强1、弱1、缺2" in markdown
    assert "- **缺失环节**: EDA工具、光刻胶" in markdown
    html = tmp_path / "report.html"
    ok(run(district, "report", "monthly", "--month", "2026-11", "--html", str(html)))
    page = html.read_text(encoding="utf-8")
    assert "<strong>Missing links</strong>&nbsp; EDA工具, 光刻胶" in page
    assert f"<strong>Links with red items</strong>&nbsp; 晶圆制造 ({key})" in page


def _offered(words: str, db: str) -> list[str]:
    """What bash completion offers for the last word of ``words`` (a real process)."""
    import os
    import sys

    parts = words.split(" ")
    env = {
        **os.environ,
        "_CHAINLEAD_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
        "CHAINLEAD_DB": db,
    }
    done = subprocess.run(
        [sys.executable, "-m", "chainlead"], env=env, capture_output=True, text=True, timeout=60
    )
    return done.stdout.split()


def test_the_shell_completes_link_names_where_a_link_is_asked_for(db_path: Path) -> None:
    db = str(db_path)
    with on_day("2026-01-05"):  # set up before the records dated below
        ok(
            run(
                db,
                "chain",
                "add",
                "IC",
                "集成电路",
                "--leader",
                "Sun Hao",
                "--responsible",
                "Chen Jie",
            )
        )
    ok(run(db, "chain", "link", "add", "IC", "晶圆制造", "--segment", "midstream"))
    ok(run(db, "chain", "link", "add", "IC", "封装测试", "--segment", "downstream"))
    ok(run(db, "unit", "add", "区工业和信息化局", "--short", "工信局"))
    key = ok(run(db, "bottleneck", "add", "IC", "用电", "--unit", "工信局", "--due", "+9d"))
    assert _offered("chainlead chain link edit IC 晶", db) == ["晶圆制造"]
    assert _offered("chainlead chain link remove ic ", db) == ["晶圆制造", "封装测试"]
    assert _offered("chainlead enterprise edit X --link IC:封", db) == ["IC:封装测试"]
    assert _offered(f"chainlead bottleneck edit {key.stdout.strip()} --link 封", db) == ["封装测试"]
    assert _offered("chainlead bottleneck add IC title --link 晶", db) == ["晶圆制造"]


def test_an_archived_chain_takes_no_new_links(district: str) -> None:
    ok(run(district, "chain", "archive", "SAI", "--yes"))
    before = state(district)
    assert_refused(
        run(district, "chain", "link", "add", "SAI", "算力", "--segment", "upstream"), 1, "archived"
    )
    assert state(district) == before
