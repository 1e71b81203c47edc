"""`manage.py dev_users`: make sure the development accounts exist and print how to log in.

Creates `admin` (superuser), `curator` and `reviewer` once, each with a random password
stored only in the git-ignored `.dev-credentials` file. Refuses to run in production."""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

ACCOUNTS = [("admin", None), ("curator", "curators"), ("reviewer", "reviewers")]


class Command(BaseCommand):
    help = "Create the development admin, curator and reviewer accounts (once) and print their logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("dev_users is for development only; use createsuperuser in production.")
        path = Path(settings.BASE_DIR) / ".dev-credentials"
        try:
            saved = json.loads(path.read_text()) if path.exists() else {}
        except (OSError, ValueError):
            saved = {}
        User = get_user_model()
        for username, group in ACCOUNTS:
            password = saved.get(username) or secrets.token_urlsafe(12)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, is_staff=True, is_superuser=group is None)
            if user is not None and not user.check_password(password):
                user.set_password(password)
            user.is_staff = True
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            saved[username] = password
        path.write_text(json.dumps(saved, indent=2))
        path.chmod(0o600)
        self.stdout.write("Log into the admin at /admin/ with one of these development accounts:")
        for username, group in ACCOUNTS:
            self.stdout.write(f"  {username:<9} password {saved[username]:<18} ({group or 'superuser'})")
        self.stdout.write(f"(Passwords are kept in {path.name}, which git ignores.)")
