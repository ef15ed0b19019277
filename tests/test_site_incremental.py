"""Incremental site builds (issue #18): a build that rebuilds only the changed pages gives the very
site a full build gives, byte for byte; anything it cannot vouch for is a full build.

Each test builds into folders it creates. ``SOURCE_DATE_EPOCH`` fixes the sitemap's date, which
MkDocs otherwise takes from the clock (a full build at midnight would differ too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equivalence import examples
from rai_graph.audience import Audience
from rai_graph.commands.site import BuiltSite, SiteBuildError, build_site, run_mkdocs
from rai_graph.pipeline import run
from rai_graph.render.site import mkdocs_yaml
from rai_graph.site_build import STAMP, AnchorKeeper, Stamp, files_under

from repo_builder import GovernanceRepo, literal

AS_OF = dt.date(2026, 6, 1)
RECORDS = ("ra-1", "ra-2", "ra-3", "ra-4")


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")


def governance_repo(root: Path) -> GovernanceRepo:
    repo = GovernanceRepo(root).with_base()
    repo.add_system()
    repo.add_system("chatbot", "Chatbot", title="Support chatbot", tier="Limited")
    for index, local in enumerate(RECORDS):
        system = "credit-scoring" if index % 2 == 0 else "chatbot"
        repo.add_evidence(local, system=system, confidentiality="Public" if index < 2 else "Internal",
                          artifact_bytes=f"# Assessment {local}\n".encode())
    return repo


def record_path(repo: GovernanceRepo, local: str) -> Path:
    found = list((repo.root / "evidence").rglob(f"{local}.ttl"))
    assert len(found) == 1, found
    return found[0]


def site_files(folder: Path) -> dict[str, bytes]:
    """The built site as a full build leaves it: every file but the stamp (it holds mtimes)."""
    return {path: (folder / path).read_bytes() for path in sorted(files_under(folder)) if path != STAMP}


def differing(first: dict[str, bytes], second: dict[str, bytes]) -> Iterator[str]:
    """The paths whose bytes differ between two sites (or that one of them lacks)."""
    for path in sorted(first.keys() | second.keys()):
        if first.get(path) != second.get(path):
            yield path


def build(repo: GovernanceRepo, folder: Path, audience: Audience = "internal", as_of: dt.date = AS_OF,
          site_name: str | None = None) -> BuiltSite:
    return build_site(run(repo.root, as_of), audience, output=folder / "site", source_dir=folder / "src",
                      site_name=site_name)


def full_build(repo: GovernanceRepo, folder: Path, **options: object) -> dict[str, bytes]:
    built = build(repo, folder, **options)  # type: ignore[arg-type]
    assert not built.partial, "a build into new folders was partial"
    return site_files(built.output)


@pytest.fixture
def repo(tmp_path: Path) -> GovernanceRepo:
    return governance_repo(tmp_path / "repo")


def retitle(repo: GovernanceRepo, local: str, title: str) -> None:
    path = record_path(repo, local)
    text = path.read_text(encoding="utf-8")
    before = literal(f"Evidence {local}")
    current = before if before in text else text.split("dcterms:title ", 1)[1].split(" ;", 1)[0]
    path.write_text(text.replace(current, literal(title), 1), encoding="utf-8")


# --- examples -------------------------------------------------------------------------------


def test_one_changed_record_rebuilds_its_pages_only_and_gives_the_full_builds_site(
        repo: GovernanceRepo, tmp_path: Path) -> None:
    first = build(repo, tmp_path / "a")
    assert not first.partial
    assert first.files_rewritten > first.pages
    retitle(repo, "ra-2", "Bias review, second edition")
    again = build(repo, tmp_path / "a")
    assert again.partial
    assert 0 < again.files_rewritten < first.pages / 2, again
    assert again.artifacts_copied == 0
    assert again.artifacts == first.artifacts
    built = site_files(again.output)
    assert not list(differing(built, full_build(repo, tmp_path / "b")))
    assert any(b"Bias review, second edition" in data for data in built.values())


def test_nothing_changed_rewrites_nothing(repo: GovernanceRepo, tmp_path: Path) -> None:
    build(repo, tmp_path / "a")
    again = build(repo, tmp_path / "a")
    assert again.partial
    assert again.files_rewritten == 0
    assert again.artifacts_copied == 0


def test_a_changed_artefact_is_copied_again_and_a_withheld_one_removed(
        repo: GovernanceRepo, tmp_path: Path) -> None:
    built = build(repo, tmp_path / "a", audience="public")
    public = [path for path in site_files(built.output) if path.startswith("artifacts/")]
    assert public, "the public site holds no artefact: the test would prove nothing"
    # ra-1's artefact changes without a new record: its hash no longer matches, it is withheld.
    (repo.root / "evidence" / "credit-scoring" / "ra-1.md").write_bytes(b"# Changed after review\n")
    # ra-2 gets a new artefact with a new record hash: copied again.
    (repo.root / "evidence" / "chatbot" / "ra-2.md").write_bytes(b"# Assessment ra-2, revised\n")
    path = record_path(repo, "ra-2")
    text = path.read_text(encoding="utf-8")
    old = text.split("rai:sha256 ", 1)[1].split(" ;", 1)[0]
    path.write_text(text.replace(old, literal(hashlib.sha256(b"# Assessment ra-2, revised\n").hexdigest())),
                    encoding="utf-8")
    again = build(repo, tmp_path / "a", audience="public")
    assert again.partial
    assert again.artifacts_copied == 1
    assert not list(differing(site_files(again.output), full_build(repo, tmp_path / "b", audience="public")))


@pytest.mark.slow
@pytest.mark.parametrize("disturbance", ["stray output file", "deleted output page", "stray source file",
                                         "other site name", "other audience", "no stamp", "damaged stamp"])
def test_what_a_partial_build_cannot_vouch_for_makes_a_full_build(
        repo: GovernanceRepo, tmp_path: Path, disturbance: str) -> None:
    built = build(repo, tmp_path / "a")
    options: dict[str, object] = {}
    if disturbance == "stray output file":
        (built.output / "stale.html").write_text("old", encoding="utf-8")
    elif disturbance == "deleted output page":
        (built.output / "executive.html").unlink()
    elif disturbance == "stray source file":
        (built.source / "notes.md").write_text("# Notes\n", encoding="utf-8")
    elif disturbance == "other site name":
        options["site_name"] = "Another name"
    elif disturbance == "other audience":
        options["audience"] = "auditor"
    elif disturbance == "no stamp":
        (built.output / STAMP).unlink()
    else:
        (built.output / STAMP).write_text('{"format": 1, "key": ', encoding="utf-8")
    again = build(repo, tmp_path / "a", **options)  # type: ignore[arg-type]
    assert not again.partial, disturbance
    assert not list(differing(site_files(again.output), full_build(repo, tmp_path / "b", **options)))


def test_a_source_page_edited_by_hand_is_written_again(repo: GovernanceRepo, tmp_path: Path) -> None:
    built = build(repo, tmp_path / "a")
    page = built.source / "executive.md"
    page.write_text("# Edited by hand\n", encoding="utf-8")
    again = build(repo, tmp_path / "a")
    assert again.partial
    assert again.files_rewritten == 1
    assert not list(differing(site_files(again.output), full_build(repo, tmp_path / "b")))


def test_a_build_that_stops_half_way_leaves_no_stamp_and_the_next_is_full(
        repo: GovernanceRepo, tmp_path: Path) -> None:
    build(repo, tmp_path / "a")
    retitle(repo, "ra-1", "Interrupted edition")
    import rai_graph.commands.site as command

    def stop(*args: object, **kwargs: object) -> None:
        raise SiteBuildError("MkDocs could not build the site:\n  stopped")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(command, "run_mkdocs", stop)
        with pytest.raises(SiteBuildError):
            build(repo, tmp_path / "a")
    assert not (tmp_path / "a" / "site" / STAMP).exists()
    again = build(repo, tmp_path / "a")
    assert not again.partial
    assert not list(differing(site_files(again.output), full_build(repo, tmp_path / "b")))


def test_a_partial_build_still_checks_the_anchors_of_pages_it_does_not_read(tmp_path: Path) -> None:
    """MkDocs knows anchors only for pages it reads: the stamp's are restored, so a link from an
    unchanged page to an anchor a changed page lost fails strictly, as in a full build."""
    source, output = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    nav = (("Home", "index.md"), ("Target", "target.md"))
    (source / "index.md").write_text("# Home\n\nSee [the part](target.md#the-part).\n", encoding="utf-8")
    (source / "target.md").write_text("# Target\n\n## The part\n\nText.\n", encoding="utf-8")
    config = mkdocs_yaml(str(source), str(output), nav=nav, scripts=())
    keeper = AnchorKeeper(None)
    run_mkdocs(source, output, config_text=config, on_env=keeper)
    assert "the-part" in keeper.anchors["target.md"]
    assert keeper.links["index.md"]["target.md"] == {"the-part": "target.md#the-part"}
    stamp = Stamp("key", {}, [], keeper.destinations, keeper.anchors, keeper.links)
    (source / "target.md").write_text("# Target\n\nThe part is gone.\n", encoding="utf-8")
    (output / "target.html").unlink()
    with pytest.raises(SiteBuildError, match="does not contain an anchor '#the-part'"):
        run_mkdocs(source, output, config_text=config, partial=True, on_env=AnchorKeeper(stamp))
    # Without the stamp's anchors MkDocs would not have noticed: the restore is what checks it.
    (output / "target.html").unlink(missing_ok=True)
    run_mkdocs(source, output, config_text=config, partial=True, on_env=AnchorKeeper(None))


def test_the_stamp_is_written_last_and_read_back(repo: GovernanceRepo, tmp_path: Path) -> None:
    built = build(repo, tmp_path / "a")
    stamp = Stamp.load(built.output)
    assert stamp is not None
    assert set(stamp.outputs) == set(site_files(built.output))
    assert all(stamp.anchors[page] is not None for page in stamp.destinations)
    raw = json.loads((built.output / STAMP).read_text(encoding="utf-8"))
    assert raw["format"] == 1


# --- property -------------------------------------------------------------------------------

EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("retitle"), st.sampled_from(RECORDS), st.text("abcdefgh ", min_size=1, max_size=12)),
        st.tuples(st.just("artefact"), st.sampled_from(RECORDS), st.binary(min_size=1, max_size=40)),
        st.tuples(st.just("confidentiality"), st.sampled_from(RECORDS), st.sampled_from(["Public", "Internal"])),
        st.tuples(st.just("add"), st.sampled_from(("ra-5", "ra-6")), st.just("")),
        st.tuples(st.just("as-of"), st.sampled_from(("2026-06-01", "2027-03-01")), st.just("")),
        st.tuples(st.just("audience"), st.sampled_from(("internal", "public")), st.just("")),
    ),
    min_size=1, max_size=4,
)


@pytest.mark.slow
@settings(max_examples=examples(4), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_after_any_edits_the_incremental_site_is_the_full_builds(edits: list[tuple[str, str, object]],
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    work = tmp_path_factory.mktemp("incremental")
    repo = governance_repo(work / "repo")
    audience: Audience = "internal"
    as_of = AS_OF
    build(repo, work / "kept", audience, as_of)
    for step, (kind, target, value) in enumerate(edits):
        if kind == "retitle":
            retitle(repo, target, f"Record {value}".strip())
        elif kind == "artefact":
            path = record_path(repo, target).with_suffix(".md")
            assert isinstance(value, bytes)
            path.write_bytes(value)
        elif kind == "confidentiality":
            path = record_path(repo, target)
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("rai:Public", f"rai:{value}").replace("rai:Internal", f"rai:{value}"),
                            encoding="utf-8")
        elif kind == "add" and not (repo.root / "evidence" / "chatbot" / f"{target}.ttl").exists():
            repo.add_evidence(target, system="chatbot", confidentiality="Public")
        elif kind == "as-of":
            as_of = dt.date.fromisoformat(target)
        elif kind == "audience":
            audience = target  # type: ignore[assignment]
        kept = build(repo, work / "kept", audience, as_of)
        fresh = build(repo, work / f"fresh-{step}", audience, as_of)
        assert not list(differing(site_files(kept.output), site_files(fresh.output))), (edits, step, kept.partial)
