import datetime

import factory

from factbase import models

SAMPLE_TEXT = (
    "Russian Foreign Minister Sergei Lavrov visited Indonesia and Laos from July 6 to 8. "
    "He met with the leaders and foreign ministers of both countries. "
    "Streltsov said Moscow’s influence should not be counted on too much. 🙂 Emoji are code points."
)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.Sequence(lambda n: f"{SAMPLE_TEXT} (copy {n})")
    sha256 = factory.LazyAttribute(lambda o: models.text_sha256(o.text))
    date_lower = datetime.date(2021, 7, 1)
    date_upper = datetime.date(2021, 7, 31)
    date_precision = "month"

    class Params:
        # Places in the curation queue (factbase/services/queues.py); `assignee=` says whose.
        in_curation = factory.Trait(curation_state="in_curation")
        ready_for_review = factory.Trait(curation_state="ready_for_review")
        done = factory.Trait(curation_state="done")
