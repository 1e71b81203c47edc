"""`manage.py ingest FILE --title … --published 2021-08 [--publisher SLUG] [--url URL] [--language en]`:
create a Document from a UTF-8 text file.

Idempotent by SHA-256: running it twice on the same file reports the existing document and
exits 0. A file that is not UTF-8, is empty, or is not a file at all is refused with a
message and a non-zero exit. The last line of output is the document id, for scripts."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from factbase.models import Organisation
from factbase.partial_dates import PartialDate, PartialDateError
from factbase.services.ingest import decode_text, document_ingest


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Create a Document from a UTF-8 text file (idempotent: the same text is stored once)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The text file, UTF-8, e.g. seeds/001_….txt. Kept byte for byte.")
        parser.add_argument("--title", default="", help="Document title; default: the file's first non-blank line.")
        parser.add_argument(
            "--published", default="", help="Publication date, partial allowed: 2021, 2021-08 or 2021-08-05."
        )
        parser.add_argument("--publisher", default="", help="Slug of the publishing organisation (e.g. kommersant).")
        parser.add_argument("--url", default="", help="Where the article was published.")
        parser.add_argument("--language", default="en", help="BCP 47 language tag of the text (default: en).")

    def handle(self, *args, path, title, published, publisher, url, language, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            text = decode_text(file.read_bytes())
        except ValidationError as exc:
            raise CommandError(f"{path}: {_messages(exc)}") from exc

        published_date = None
        if published:
            try:
                published_date = PartialDate.parse(published)
            except PartialDateError as exc:
                raise CommandError(f"--published: {exc}") from exc

        publisher_org = None
        if publisher:
            publisher_org = Organisation.objects.filter(slug=publisher).first()
            if publisher_org is None:
                raise CommandError(f"--publisher: no organisation has the slug {publisher!r}.")

        try:
            result = document_ingest(
                text=text,
                title=title,
                published=published_date,
                publisher=publisher_org,
                url=url,
                language=language,
            )
        except ValidationError as exc:
            raise CommandError(f"{path}: {_messages(exc)}") from exc

        document = result.document
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created document #{document.pk} “{document.title}” "
                    f"({len(document.text)} characters, sha256 {document.sha256[:12]}…)."
                )
            )
        else:
            self.stdout.write(
                f"Already ingested: document #{document.pk} “{document.title}” has this exact text "
                f"(sha256 {document.sha256[:12]}…). Nothing changed."
            )
        self.stdout.write(str(document.pk))
