"""An index of the claims by (status, date_lower, date_upper) that also holds the facet
columns (`claim_status_dates_facets`), so that the facets of a date range walk its entries,
not the claim rows (docs/performance.md, "Facets at a million claims"). On copies of the 1M
databases it took 11 s to build on SQLite (plus the index restore every SQLite migration
runs) and the migration 14 s on PostgreSQL.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("factbase", "0036_claim_preferred_fact"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=[
                    "status",
                    "date_lower",
                    "date_upper",
                    "predicate",
                    "subject_kind",
                    "attribution",
                    "modality",
                    "polarity",
                ],
                name="claim_status_dates_facets",
            ),
        ),
    ]
