"""`report --format pdf`: WeasyPrint renders the HTML report; pages exist and their text is readable."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from rai_graph.cli import main
from test_report import AS_OF, CONFIDENTIAL_MARK, INTERNAL_MARK, build_fixture

# Its module-scoped outputs are built once, on one worker (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("test_report_pdf")


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, bytes]:
    """Page count, extracted text and bytes of the fixture's PDF report for auditors."""
    root = build_fixture(tmp_path_factory.mktemp("pdf") / "governance").root
    output = root.parent / "report.pdf"
    result = CliRunner().invoke(main, ["report",
        "--repo", str(root), "--as-of", AS_OF, "--framework", "test-fw", "--audience", "auditor",
        "--format", "pdf", "-o", str(output),
    ], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text, data


def test_pdf_has_pages_and_extractable_text(pdf_text: tuple[int, str, bytes]) -> None:
    """A real PDF with several pages whose text holds the report's sections and figures."""
    pages, text, data = pdf_text
    assert data.startswith(b"%PDF-")
    assert pages >= 3
    for expected in ("AUDIT READINESS REPORT", "Test framework", "Executive summary",
                     "Credit scoring model", "Gaps and what closes them", "Evidence register",
                     "Top risks", f"Page 1 of {pages}", "Art. 1(2)", "TC-02"):
        assert expected in text, expected


def test_pdf_keeps_to_the_audience(pdf_text: tuple[int, str, bytes]) -> None:
    """The auditor's PDF shows Internal records and nothing classified Confidential."""
    _pages, text, _data = pdf_text
    assert INTERNAL_MARK in text.replace("\n", "")
    assert CONFIDENTIAL_MARK not in text.replace("\n", "")


def test_pdf_metadata_names_the_report(pdf_text: tuple[int, str, bytes]) -> None:
    """The document title and creator identify the report and the tool."""
    _pages, _text, data = pdf_text
    metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert metadata is not None
    assert metadata.title == "Audit readiness report — Test framework — as of 2026-06-01"
    assert (metadata.creator or "").startswith("rai-graph ")


def test_pdf_output_path_is_required(tmp_path: Path) -> None:
    """PDF is binary: without -o the command stops with a usage error before loading anything."""
    result = CliRunner().invoke(main, ["report", "--repo", str(tmp_path), "--framework", "x", "--format", "pdf"])
    assert result.exit_code == 2
    assert "give -o FILE" in result.output
