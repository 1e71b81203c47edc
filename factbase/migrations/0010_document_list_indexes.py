# Indexes for the document list: ordering=title and the published date filters walk an index and read only the page's rows.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('factbase', '0009_claim_list_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['title', 'id'], name='document_title'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['date_lower', 'date_upper', 'id'], name='document_dates'),
        ),
    ]
