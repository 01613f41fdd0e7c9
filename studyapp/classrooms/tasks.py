"""Background work for classes, run by Django's tasks framework (``django.tasks``): immediately in
development and tests, by the queue's worker in production. Arguments are JSON (ids and strings,
never model instances), and tasks are enqueued in ``transaction.on_commit`` so a worker never looks
for a row that was rolled back."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from studyapp.accounts.models import User

from .models import Invitation, Notification
from .notifications import wants_digest

# --- roster invitations (issue 14, point 2) ---------------------------------------------------


@task
def send_roster_invitation(*, invitation_id: int, link: str) -> None:
    """Mail an imported address its sign-up link. An invitation accepted (or gone) by the time the
    task runs is not mailed."""
    invitation = (
        Invitation.objects.select_related("classroom__course", "invited_by").filter(pk=invitation_id, accepted_at__isnull=True).first()
    )
    if invitation is None:
        return
    inviter = invitation.invited_by.get_full_name() or invitation.invited_by.username
    context = {"invitation": invitation, "classroom": invitation.classroom, "inviter": inviter, "link": link}
    send_mail(
        subject=f"{inviter} invites you to the class “{invitation.classroom.name}”",
        message=render_to_string("classrooms/invitation_mail.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


# --- notifications (issue 14, point 7) --------------------------------------------------------


@task
def send_digest(*, user_id: int) -> int:
    """Mail the person one message with their notifications not mailed yet, and mark those mailed;
    returns how many it listed (0: nothing was sent). Nothing is mailed twice: the lines are locked,
    mailed and marked in one transaction, so a second task for the same person finds none left (and
    a mail server that refuses the message leaves them for the next digest).

    Skipped, and the lines left unmarked (they stay in the in-app list, and ``mailed_at`` stays the
    truth: set only when a message went out), when the person turned the digest off or has no email
    address. Turning mail back on then sends those still unmailed in the next digest."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not wants_digest(user):
        return 0
    with transaction.atomic():
        lines = list(
            Notification.objects.for_user(user)
            .filter(mailed_at__isnull=True)
            .select_related("assignment__classroom")
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
        )
        if not lines:
            return 0
        site = settings.STUDYAPP_SITE_URL
        context = {
            "user": user,
            "lines": [(line, site + line.assignment.get_absolute_url()) for line in lines],
            "list_url": site + reverse("classrooms:notifications"),
            "mail_url": site + reverse("classrooms:notification_mail"),
        }
        message = EmailMultiAlternatives(
            subject=f"Your class notifications: {len(lines)} new" if len(lines) > 1 else f"Your class notification: {lines[0].text}"[:200],
            body=render_to_string("classrooms/digest_mail.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("classrooms/digest_mail.html", context), "text/html")
        message.send()
        Notification.objects.filter(pk__in=[line.pk for line in lines]).update(mailed_at=timezone.now())
    return len(lines)
