"""Give a user a role: ``python manage.py grant_role alice instructor``."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from studyapp.accounts.models import Role, User


class Command(BaseCommand):
    help = "Set a user's role (learner, instructor or author)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args: object, username: str, role: str, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        user.role = role
        user.save(update_fields=["role"])  # through save(): the signed-in copy kept in the cache is dropped
        self.stdout.write(f"{username} is now {Role(role).label.lower()}")
