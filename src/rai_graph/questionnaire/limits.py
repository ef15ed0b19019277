"""Bounds on what is read from a customer's questionnaire: the file is untrusted.

A questionnaire comes from outside (a customer, a procurement portal), so a file that would take
unbounded time or memory to read — a zip bomb named .xlsx, a cell at XFD1048576 that makes the
sheet seventeen billion cells wide and tall, a shared-strings table of 100 MB, a SurveyJS survey
nested a hundred thousand levels deep — is refused with a message naming the file (and the cell
or line), before the expensive work starts. The bounds are far above any real questionnaire.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from rai_graph.questionnaire.errors import QuestionnaireError

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
"""All members of a workbook together, as the zip's directory declares them (zipfile never
inflates a member beyond its declared size, so the declaration bounds the work)."""
MAX_MEMBER_BYTES = 48 * 1024 * 1024
MAX_GRID_CELLS = 4_000_000
"""Rows × columns of a sheet's used range (a questionnaire has thousands of rows, tens of columns)."""
MAX_CELL_CHARS = 32_767
"""Excel's own limit on a cell's text."""
MAX_NESTING = 64
"""Panels within panels in a SurveyJS survey."""

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bounded(path: Path) -> bytes:
    """The bytes of ``path``, refused if larger than :data:`MAX_FILE_BYTES`."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise QuestionnaireError(f"{path}: {_mib(size)} is larger than the {_mib(MAX_FILE_BYTES)} "
                                         "a questionnaire may be")
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise QuestionnaireError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if len(data) > MAX_FILE_BYTES:
        raise QuestionnaireError(f"{path}: larger than the {_mib(MAX_FILE_BYTES)} a questionnaire may be")
    return data


def check_workbook(path: Path) -> None:
    """Refuse a workbook that is not a zip (an encrypted or legacy .xls file, anything else
    renamed) or would unpack to more than the bounds, before openpyxl reads a byte of it."""
    read_bounded_size(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise QuestionnaireError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if head == _OLE_SIGNATURE:
        raise QuestionnaireError(f"{path}: an encrypted (password-protected) or legacy .xls workbook; "
                                 "save it as an unprotected .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise QuestionnaireError(f"{path}: not an Excel workbook (not a zip archive: {exc})") from exc
    total = 0
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise QuestionnaireError(f"{path}: its part {member.filename} unpacks to {_mib(member.file_size)}, "
                                     f"more than the {_mib(MAX_MEMBER_BYTES)} read (a zip bomb?)")
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise QuestionnaireError(f"{path}: unpacks to {_mib(total)}, more than the {_mib(MAX_UNPACKED_BYTES)} "
                                 "read (a zip bomb?)")


def read_bounded_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise QuestionnaireError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise QuestionnaireError(f"{path}: {_mib(size)} is larger than the {_mib(MAX_FILE_BYTES)} "
                                 "a questionnaire may be")


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
