"""(attributed_to, status, date_lower, id), as subject and object have (migration 0011):
`attributed_to=` in date order, and the attribution arm of `entity=` in date order, which
SQLite answers as a merge of the three roles' indexes, each read in order
(ClaimQuerySet.bounded)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('factbase', '0017_search_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['attributed_to', 'status', 'date_lower', 'id'], name='claim_attributed_date'),
        ),
    ]
