import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = False

    class Params:
        curator = factory.Trait(is_staff=True)
        reviewer = factory.Trait(is_staff=True)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        names = list(extracted or [])
        if self.is_staff and not names:
            names = ["reviewers"] if self.username.startswith("reviewer") else ["curators"]
        for name in names:
            self.groups.add(Group.objects.get(name=name))
