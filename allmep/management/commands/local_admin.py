"""Make sure a local superuser "admin" exists, with a password made here and shown once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        'Create the local superuser "admin" with a random password, printed once. '
        "If it exists, say so; --reset gives it a new random password."
    )
    # It touches only the user table: it runs whether or not the static files were collected
    # (records.checks), as a developer runs it without DJANGO_DEBUG=1.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Give the existing admin a new random password.")
        parser.add_argument(
            "--port", type=int, default=8000, help="The port the site is served on, for the admin's address (8000)."
        )

    def handle(self, *args, reset=False, port=8000, **options):
        admin_url = f"http://127.0.0.1:{port}/ar/admin/"
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: USERNAME}).first()
        if user is not None and not reset:
            self.stdout.write(
                f'The superuser "{USERNAME}" already exists; log in at {admin_url}. Its password is not stored '
                f"anywhere readable; to get a new one run: manage.py local_admin --reset"
            )
            return
        # Never a fixed password: a fresh random one each time, shown only now.
        password = secrets.token_urlsafe(18)
        if user is None:
            User._default_manager.create_superuser(username=USERNAME, email="", password=password)
            action = "Created"
        else:
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
            action = "Reset"
        self.stdout.write(self.style.SUCCESS(f'{action} the superuser "{USERNAME}".'))
        self.stdout.write(f"  Log in at {admin_url}")
        self.stdout.write(f"  Username: {USERNAME}")
        self.stdout.write(f"  Password: {password}")
        self.stdout.write("This password is shown only once; store it in your password manager.")
