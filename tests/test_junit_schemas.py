"""`check --format junit` against the strict consumers: Jenkins' junit-10.xsd for the report,
Maven Surefire's schema for each suite (``xmlschema``), and ``junitparser`` reading it back."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from junitparser import Error, Failure, JUnitXml, Skipped

from rai_graph.pipeline import run
from rai_graph.render import ci

from test_render_ci import BROKEN_TTL, build_repository

DATA = Path(__file__).parent / "data" / "junit"
AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """The JUnit report of the CI fixture repository, and each record's file:line by key."""
    repo, records, _parse_line, _ghost_line = build_repository(tmp_path_factory.mktemp("junit") / "repo")
    result = run(repo.root, AS_OF)
    files = [f.path for f in result.repository.files.values() if f.role != "ontology"]
    text = ci.junit(result.assessment, result.validation.errors, result.assessment.systems, result.model,
                    files=files)
    return text, {key: f"{record.path}:{record.line}" for key, record in records.items()}


def test_report_validates_against_jenkins_junit_10(report: tuple[str, dict[str, str]]) -> None:
    """The whole report is valid under Jenkins' junit-10.xsd; an unknown attribute is not."""
    schema = xmlschema.XMLSchema(DATA / "jenkins-junit-10.xsd")
    text, _ = report
    schema.validate(text)
    with_file = text.replace('<testcase name=', '<testcase file="x.ttl" name=', 1)
    assert not schema.is_valid(with_file)


def test_each_suite_validates_against_surefire(report: tuple[str, dict[str, str]]) -> None:
    """Each suite, as the document Surefire writes, is valid under its schema (time on every
    test case required); a case without time is not."""
    schema = xmlschema.XMLSchema(DATA / "surefire-test-report.xsd")
    text, _ = report
    suites = ET.fromstring(text).findall("testsuite")
    assert len(suites) == 4
    for suite in suites:
        schema.validate(ET.tostring(suite, encoding="unicode"))
    untimed = ET.fromstring(ET.tostring(suites[0], encoding="unicode"))
    case = untimed.find("testcase")
    assert case is not None
    del case.attrib["time"]
    assert not schema.is_valid(ET.tostring(untimed, encoding="unicode"))


def test_junitparser_reads_statuses_waivers_and_places(report: tuple[str, dict[str, str]]) -> None:
    """junitparser sees gaps as failures, the waiver as skipped with its reason, file errors as
    errors, and the file:line of each in its message."""
    text, where = report
    xml = JUnitXml.fromstring(text)
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"credit-scoring", "fraud-detection", "organisation", "files"}
    fraud = {case.name.split(" ", 1)[0]: case for case in suites["fraud-detection"]}
    (skipped,) = fraud["TC-02"].result
    assert isinstance(skipped, Skipped)
    assert skipped.message.startswith("waived: waived until 2026-12-31")
    assert skipped.message.endswith(f"({where['waived']})")
    (failure,) = fraud["TC-01"].result
    assert isinstance(failure, Failure)
    assert (failure.type, failure.message.endswith(f"({where['invalid']})")) == ("invalid", True)
    assert suites["fraud-detection"].skipped == 1
    assert suites["credit-scoring"].failures == 2
    files = {case.name: case for case in suites["files"]}
    (error,) = files[BROKEN_TTL].result
    assert isinstance(error, Error)
    assert error.type == "parse"
    assert all(case.time == 0 for suite in xml for case in suite)
