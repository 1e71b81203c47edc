"""Ingest: `manage.py ingest` and the document_ingest service (idempotent by SHA-256)."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from factbase.models import Document, text_sha256
from factbase.partial_dates import PartialDate
from factbase.services.ingest import decode_text, document_ingest
from tests.factories import OrganisationFactory

SEED = Path(settings.BASE_DIR) / "seeds" / "000_3a67f61cbea0bcb9.txt"

pytestmark = pytest.mark.django_db


def run_ingest(*args):
    out = StringIO()
    call_command("ingest", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_ingest_command_creates_document_from_seed():
    publisher = OrganisationFactory(slug="kommersant", name="Kommersant", org_type="media_outlet")
    output = run_ingest(
        SEED, "--title", "Russia in Southeast Asia", "--published", "2021-08", "--publisher", "kommersant"
    )

    document = Document.objects.get()
    assert document.text == SEED.read_bytes().decode("utf-8")
    assert document.sha256 == text_sha256(document.text)
    assert (document.title, document.publisher, document.language) == ("Russia in Southeast Asia", publisher, "en")
    assert document.partial_date == PartialDate.parse("2021-08")
    assert output.splitlines()[-1] == str(document.pk)
    assert output.startswith(f"Created document #{document.pk}")


def test_ingest_command_second_run_reports_existing_document(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Lavrov visited Jakarta.\n", encoding="utf-8")
    first = run_ingest(path, "--title", "One")

    second = run_ingest(path, "--title", "Another title")

    document = Document.objects.get()
    assert Document.objects.count() == 1
    assert document.title == "One"
    assert second.splitlines() == [
        f"Already ingested: document #{document.pk} “One” has this exact text (sha256 {document.sha256[:12]}…). "
        "Nothing changed.",
        str(document.pk),
    ]
    assert first.splitlines()[-1] == second.splitlines()[-1]


def test_ingest_command_defaults_title_to_first_line(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("\n  Lavrov   in Laos \nBody text.", encoding="utf-8")

    run_ingest(path)

    assert Document.objects.get().title == "Lavrov in Laos"


def test_ingest_command_refuses_non_utf8_file(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 in Vientiane".encode("latin-1"))

    with pytest.raises(CommandError) as excinfo:
        run_ingest(path)

    assert "not UTF-8 text: byte 3 (0xe9)" in str(excinfo.value)
    assert Document.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_ingest_command_refuses_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError) as excinfo:
        run_ingest(path)

    assert str(excinfo.value) == f"{path}: text: The text is empty: there is nothing to ingest."
    assert Document.objects.count() == 0


def test_ingest_command_exits_non_zero_on_refusal(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "empty.txt"
    path.write_bytes(b"")

    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "ingest", str(path)]).execute()

    assert excinfo.value.code == 1
    assert "The text is empty" in capsys.readouterr().err


def test_ingest_command_refuses_missing_file_and_unknown_publisher(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Text.", encoding="utf-8")

    with pytest.raises(CommandError, match="No such file"):
        run_ingest(tmp_path / "missing.txt")
    with pytest.raises(CommandError, match="no organisation has the slug 'nobody'"):
        run_ingest(path, "--publisher", "nobody")
    with pytest.raises(CommandError, match="--published: 'August' is not a date"):
        run_ingest(path, "--published", "August")
    assert Document.objects.count() == 0


def test_decode_text_drops_byte_order_mark_and_keeps_line_endings():
    assert decode_text("\ufeffLine one\r\nLine two".encode()) == "Line one\r\nLine two"


def test_document_ingest_refuses_nul_character():
    with pytest.raises(ValidationError) as excinfo:
        document_ingest(text="abc\x00def", title="Binary")

    assert excinfo.value.message_dict == {"text": ["The text contains a NUL character at 3: is it a binary file?"]}


def test_document_ingest_returns_existing_document_for_same_text():
    first = document_ingest(text="Same words.", title="First")
    second = document_ingest(text="Same words.", title="Second")

    assert (first.created, second.created) == (True, False)
    assert second.document == first.document
