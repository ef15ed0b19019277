"""`rai-graph demo history`: the example's records committed as the history they describe."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from rai_graph.cli import main

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = [pytest.mark.xdist_group("test_demo_history"), pytest.mark.slow]

ROOT = Path(__file__).parent.parent
AS_OF = "2026-11-24"


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("history") / "northwind"
    output = _invoke("demo", "history", "--repo", str(ROOT), "-o", str(target))
    assert "commits by" in output
    return target


def test_the_history_holds_exactly_the_example_and_judges_the_same(history: Path) -> None:
    """Every file of frameworks/, controls/ and evidence/ (and the settings), byte for byte; the
    judgement as of the demo date is the example's."""
    for folder in ("frameworks", "controls", "evidence"):
        source = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file())
        copied = sorted(p.relative_to(history).as_posix() for p in (history / folder).rglob("*") if p.is_file())
        assert copied == source
        assert all((history / path).read_bytes() == (ROOT / path).read_bytes() for path in source)
    assert _git(history, "status", "--porcelain") == ""
    status = ["status", "--as-of", AS_OF, "--format", "json", "--no-cache"]
    assert _invoke(*status, "--repo", str(history)) == _invoke(*status, "--repo", str(ROOT))


def test_commits_are_dated_and_authored_as_the_records_say(history: Path) -> None:
    log = _git(history, "log", "--reverse", "--format=%ad|%an|%s", "--date=short").splitlines()
    assert len(log) > 100
    assert len({line.split("|")[1] for line in log}) >= 5
    dates = [line.split("|")[0] for line in log]
    assert dates == sorted(dates)
    assert all(line.rsplit("(#", 1)[1].rstrip(")").isdigit() for line in log)
    # Each approval comes after the evidence it approves was added (unless both share a day).
    added: dict[str, str] = {}
    approved = 0
    for day, _author, subject in (line.split("|", 2) for line in log):
        for part in subject.rsplit(" (#", 1)[0].split("; "):
            if part.startswith("Add "):
                added.setdefault(part.removeprefix("Add "), day)
            elif part.startswith("Approve ") and part.removeprefix("Approve ") in added:
                assert added[part.removeprefix("Approve ")] <= day, part
                approved += 1
    assert approved > 50


def test_git_derived_kpis_have_real_figures(history: Path) -> None:
    kpis = json.loads(_invoke("kpis", "--repo", str(history), "--as-of", AS_OF, "--format", "json"))
    assert kpis["approval_time"]["approvals_measured"] > 50
    assert kpis["approval_time"]["median_days"] > 0


def test_diff_between_two_quarters_shows_the_work_of_the_quarter(history: Path) -> None:
    tags = _git(history, "tag", "--list", "posture-*").split()
    assert {"posture-2026-q2", "posture-2026-q3"} <= set(tags)
    output = _invoke("diff", "posture-2026-q2", "posture-2026-q3", "--repo", str(history), "--as-of", AS_OF)
    assert "improvement" in output


def test_the_same_records_give_the_same_commits(history: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _invoke("demo", "history", "--repo", str(ROOT), "-o", str(again))
    assert _git(again, "rev-parse", "HEAD") == _git(history, "rev-parse", "HEAD")


def test_an_existing_folder_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "history", "--repo", str(ROOT), "-o", str(tmp_path)])
    assert (result.exit_code, "already exists" in result.output) == (2, True), result.output


def test_kpis_history_judges_each_quarter_as_of_its_date(
    history: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One point per tag, judged from git objects as of the tagged commit's date: the last one
    agrees with `status` run on that commit's checkout as of that date; read again, from the cache."""
    import rai_graph.pipeline

    monkeypatch.setenv("XDG_CACHE_HOME", str(history.parent / "xdg"))
    document = json.loads(_invoke("kpis", "--repo", str(history), "--history", "--format", "json"))
    points = document["points"]
    assert {p["label"] for p in points} == set(_git(history, "tag", "--list", "posture-*").split())
    assert [p["date"] for p in points] == sorted(p["date"] for p in points)
    assert [p["label"] for p in points][-2:] == ["posture-2026-q3", "posture-2026-q4"]
    credit = [p["readiness"].get("credit-scoring") for p in points if "credit-scoring" in p["readiness"]]
    assert credit[0] < credit[-1]
    last = points[-1]
    status = json.loads(_invoke("status", "--repo", str(history), "--as-of", last["date"], "--format", "json"))
    readiness = {s["name"]: s["readiness"] for s in status["systems"] if s["name"] in last["readiness"]}
    assert readiness == pytest.approx(last["readiness"], abs=1e-4)  # status JSON rounds to 4 places

    calls: list[int] = []
    real = rai_graph.pipeline.run
    monkeypatch.setattr(rai_graph.pipeline, "run", lambda *a, **k: calls.append(1) or real(*a, **k))
    again = json.loads(_invoke("kpis", "--repo", str(history), "--history", "--format", "json"))
    assert again == document
    assert calls == []
