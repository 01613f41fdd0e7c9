"""``{% unread_notifications request.user as count %}``: how many of the signed-in person's own class
notifications are unread, for a link to their list on any page."""

from django import template

from studyapp.accounts.models import User

from ..models import Notification

register = template.Library()


@register.simple_tag
def unread_notifications(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().count()
