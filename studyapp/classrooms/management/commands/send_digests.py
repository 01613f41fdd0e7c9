"""``manage.py send_digests``: the daily notifications run. Run it once a day (cron or a systemd
timer): it writes the "new assignment" lines of work that opened since (and for learners who joined
since) and the "due tomorrow" lines, then enqueues one ``send_digest`` task per person with
lines not mailed yet who wants mail and has an address. With ``STUDYAPP_TASKS=database`` the
worker (``manage.py db_worker``) sends them; in development they are sent at once."""

from functools import partial
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.classrooms.models import MailPreference
from studyapp.classrooms.notifications import notify_due_tomorrow, notify_opened
from studyapp.classrooms.tasks import send_digest


class Command(BaseCommand):
    help = "Write the notifications of assignments opened and due tomorrow, and enqueue one email digest per person with unmailed notifications."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        opened = notify_opened(now=now)
        told = notify_due_tomorrow(now=now)
        people = (
            User.objects.filter(is_active=True, notifications__mailed_at__isnull=True)
            .exclude(email="")
            .exclude(pk__in=MailPreference.objects.filter(digest=False).values("user_id"))
            .distinct()
            .values_list("pk", flat=True)
        )
        ids = list(people)
        for user_id in ids:
            # on_commit: the worker never looks for rows an open transaction could still roll back.
            transaction.on_commit(partial(send_digest.enqueue, user_id=user_id))
        self.stdout.write(f"Notifications written: {opened} new assignment, {told} due tomorrow. Digests enqueued: {len(ids)}.")
