import factory

from factbase.enums import JobKind, JobStatus
from factbase.models import Job


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = JobKind.SUGGESTION_SCAN
    status = JobStatus.QUEUED
    parameters = factory.LazyFunction(dict)

    class Params:
        succeeded = factory.Trait(
            status=JobStatus.SUCCEEDED, progress_done=3, progress_total=3, result={"documents": 3}
        )
