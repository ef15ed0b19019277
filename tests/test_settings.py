"""rai-graph.toml is read key by key, and a mistake never switches strict approvals off (issue #15,
property 3).

The threat: a contributor (or a careless edit) adds an unknown key, a wrong value or a syntax error
to the settings file in the same pull request as a forged approval. Had the whole file fallen back
to the defaults, ``approval_strictness`` would read ``off`` and the forged approval would count.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rai_graph.cli import main
from rai_graph.load.trees import WorkTree
from rai_graph.settings import SETTING_NAMES, STRICTEST, _as_written, _schema, read_settings

from repo_builder import GovernanceRepo

STRICT_VALUES = ("author", "signature", "author-and-signature")


def _read(tmp_path: Path, text: str) -> tuple[str, list[tuple[int | None, str]]]:
    (tmp_path / "rai-graph.toml").write_text(text, encoding="utf-8")
    found, errors = read_settings(WorkTree(tmp_path))
    return found.approval_strictness, [(e.line, e.message) for e in errors]


@pytest.mark.parametrize("strictness", STRICT_VALUES)
def test_an_unknown_key_is_an_error_on_its_line_and_keeps_the_strictness(tmp_path: Path, strictness: str) -> None:
    """One unknown key: an error on that line; every other key, strictness first, as written."""
    text = f'base_iri = "https://example.org/acme/"\napproval_strictness = "{strictness}"\nstrictnes = "off"\n'
    found, errors = _read(tmp_path, text)
    assert found == strictness
    assert [line for line, _ in errors] == [3]
    assert "strictnes: unknown setting" in errors[0][1]


@pytest.mark.parametrize("strictness", STRICT_VALUES)
def test_a_bad_value_of_another_key_keeps_the_strictness(tmp_path: Path, strictness: str) -> None:
    """A wrong as_of (not a date) or frameworks (not a list) is its own error; strictness stays."""
    found, errors = _read(tmp_path, f'as_of = "next tuesday"\nframeworks = 3\napproval_strictness = "{strictness}"\n')
    assert found == strictness
    assert sorted(line for line, _ in errors) == [1, 2]


def test_a_misspelt_strictness_reads_as_the_strictest(tmp_path: Path) -> None:
    """``approval_strictness = "auther"`` is an error on its line and means the strictest, not off."""
    found, errors = _read(tmp_path, '\napproval_strictness = "auther"\n')
    assert found == STRICTEST
    assert errors[0][0] == 2
    assert "used until it is fixed" in errors[0][1]


@pytest.mark.parametrize("strictness", STRICT_VALUES)
@pytest.mark.parametrize("breakage", ['as_of = [\n', 'x = "unterminated\n', "\x00\n", "[[[\n"])
def test_a_file_toml_cannot_read_keeps_the_strictness_its_line_states(
    tmp_path: Path, strictness: str, breakage: str
) -> None:
    """A syntax error anywhere: the file's other settings are lost, its strictness is not."""
    found, errors = _read(tmp_path, f'approval_strictness = "{strictness}"\n{breakage}')
    assert found == strictness
    assert len(errors) == 1
    assert "approvals strict" in errors[0][1]


def test_a_file_toml_cannot_read_with_an_unreadable_strictness_is_strictest(tmp_path: Path) -> None:
    found, _ = _read(tmp_path, "approval_strictness = author\n[[[\n")
    assert found == STRICTEST


def test_a_file_without_the_strictness_key_is_not_strict(tmp_path: Path) -> None:
    """The control case: strictness is opt-in, so a file that never mentions it stays off."""
    assert _read(tmp_path, 'base_iri = "https://example.org/acme/"\nunknown = 1\n')[0] == "off"


_JUNK = st.sampled_from([
    "unknown = 1", "as_of = 3", 'as_of = "soon"', "frameworks = 2", "base_iri = []", "x = [", "[table]",
    "[[array]]", 'install = "--index-url evil"', "freshness_from_commit_date = 'yes'", "= =", '"', "#", "",
    'approval_strictness = "off" # duplicate', "\t", "é = 1",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(strictness=st.sampled_from(STRICT_VALUES), before=st.lists(_JUNK, max_size=6), after=st.lists(_JUNK, max_size=6))
def test_no_mistake_around_a_strict_setting_reads_as_off(
    tmp_path: Path, strictness: str, before: list[str], after: list[str]
) -> None:
    """Whatever else the file holds (unknown keys, bad values, broken syntax, even a second
    strictness line saying off), a file stating a strict approval_strictness is never read as off."""
    text = "\n".join([*before, f'approval_strictness = "{strictness}"', *after]) + "\n"
    found, _ = _read(tmp_path, text)
    assert found != "off", text


def test_check_says_when_approvals_are_not_bound_to_their_authors(repo: GovernanceRepo) -> None:
    """A repository that runs without strict approvals is told so on standard error by the
    human output (machine formats stay clean on both streams, which tools often merge), once
    strictness is on it is not, and --quiet keeps it quiet."""
    repo.add_approved_evidence("risk")

    def checked(*extra: str) -> tuple[str, str]:
        result = CliRunner().invoke(main, ["check", "--repo", str(repo.root), "--as-of", "2026-06-01",
                                           "--fail-on", "none", *extra])
        assert result.exit_code == 0, result.output
        return result.stdout, result.stderr

    stdout, stderr = checked()
    assert "approvals are not bound to their authors" in stderr
    assert "approval_strictness" not in stdout
    assert "approvals are not bound" not in checked("--format", "json")[1]
    assert "approvals are not bound" not in checked("--quiet")[1]
    assert "approvals are not bound" in checked()[1], "a replayed run says it too"
    repo.write_text("rai-graph.toml", 'approval_strictness = "author"\n')
    assert "approvals are not bound" not in checked()[1]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "9001-01-01"])
def test_an_as_of_at_the_end_of_the_calendar_is_an_error_not_a_crash(tmp_path: Path, day: str) -> None:
    """``as_of = 9999-12-31`` overflowed every look-ahead (reports crashed): it is an error on its
    line, the default (today) is used, and the strictness beside it stays."""
    found, errors = _read(tmp_path, f'as_of = {day}\napproval_strictness = "author"\n')
    assert found == "author"
    assert errors == [(1, "as_of: as_of must lie between 1900-01-01 and 9000-12-31; the default used")]


_TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False)
    | st.sampled_from(["off", "author", "signature", "author-and-signature", "auther", ".", "-e .",
                       "rai-graph==0.2.0", "git+https://github.com/org/rai-graph@v1", "https://x/a.whl",
                       "2026-01-02", "", "yes", "eu-ai-act"])
    | st.text(max_size=8) | st.dates() | st.datetimes(),
    lambda inner: st.lists(inner, max_size=3), max_leaves=5)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(SETTING_NAMES), value=_TOML_VALUES)
def test_values_read_without_pydantic_are_what_the_schema_makes_of_them(key: str, value: object) -> None:
    """Values of the exact type TOML gives for a key skip pydantic (its import is a tenth of a
    one-folder check); they must be exactly the values the schema accepts and returns for them."""
    from pydantic import ValidationError

    if not _as_written(key, value):
        return
    try:
        validated = getattr(_schema().model_validate({key: value}), key)
    except ValidationError as exc:
        pytest.fail(f"{key} = {value!r} skipped the schema, which rejects it: {exc}")
    assert (validated, type(validated)) == (value, type(value))


def test_values_the_schema_must_see_are_sent_to_it() -> None:
    """Coercions (a date written as a string, "yes" for true) and invalid values go to pydantic."""
    for key, value in [("as_of", "2026-01-02"), ("as_of", dt.date(1800, 1, 1)), ("frameworks", ["a", 1]),
                       ("freshness_from_commit_date", "yes"), ("approval_strictness", "auther"),
                       ("install", "-e ."), ("base_iri", 3)]:
        assert not _as_written(key, value), (key, value)


@pytest.mark.usefixtures("own_cache_secret")
def test_a_check_after_one_edit_imports_no_pydantic(tmp_path: Path) -> None:
    """The check after one changed record (a pre-commit hook's, which re-judges its folder) reads
    valid settings and prints its JSON without importing pydantic."""
    import subprocess
    import sys

    from rai_graph.authoring.generator import generate_repository

    root = tmp_path / "repo"
    generate_repository(root, systems=2, seed=3)
    (root / "rai-graph.toml").write_text('frameworks = ["eu-ai-act", "nist-ai-rmf"]\nas_of = 2026-11-24\n'
                                         'freshness_from_commit_date = false\n', encoding="utf-8")
    arguments = ["check", "--format", "json", "--repo", str(root), "--fail-on", "none"]
    environment = dict(os.environ)
    assert subprocess.run([sys.executable, "-m", "rai_graph", *arguments], env=environment,
                          capture_output=True, check=False).returncode == 0
    record = sorted((root / "evidence").glob("*/*.ttl"))[-1]
    with record.open("a", encoding="utf-8") as stream:
        stream.write("# edited\n")
    probe = ("import sys; from click.testing import CliRunner; from rai_graph.cli import main; "
             f"r = CliRunner().invoke(main, {arguments!r}); assert r.exit_code == 0, r.output; "
             "print('pydantic' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                           env=environment)
    assert found.stdout.strip() == "False", found.stdout + found.stderr
