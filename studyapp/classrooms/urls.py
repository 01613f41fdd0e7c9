from django.urls import path

from .views import assignments, classes, learners, notifications, roster, statistics

app_name = "classrooms"

urlpatterns = [
    path("", classes.index, name="index"),
    path("new/", classes.new, name="new"),
    path("join/<str:code>/", classes.join, name="join"),
    path("<id:class_id>/", classes.detail, name="detail"),
    path("<id:class_id>/code/", classes.rotate_code, name="rotate_code"),
    path("<id:class_id>/instructors/", classes.add_instructor, name="add_instructor"),
    path("<id:class_id>/learners/<id:user_id>/remove/", classes.learner_status, {"status": "remove"}, name="remove_learner"),
    path("<id:class_id>/learners/<id:user_id>/restore/", classes.learner_status, {"status": "restore"}, name="restore_learner"),
    path("<id:class_id>/archive/", classes.archive, name="archive"),
    path("<id:class_id>/gradebook.csv", classes.gradebook_csv, name="gradebook_csv"),
    # assignments and the gradebook (points 3 and 4)
    path("<id:class_id>/gradebook/", assignments.gradebook_page, name="gradebook"),
    path("<id:class_id>/assignments/new/", assignments.new, name="assignment_new"),
    path("<id:class_id>/assignments/<id:assignment_id>/", assignments.detail, name="assignment"),
    path("<id:class_id>/assignments/<id:assignment_id>/start/", assignments.start, name="assignment_start"),
    path("<id:class_id>/assignments/<id:assignment_id>/overrides/", assignments.override, name="assignment_override"),
    # item statistics of a quiz assignment (point 5)
    path("<id:class_id>/assignments/<id:assignment_id>/statistics/", statistics.statistics, name="assignment_statistics"),
    path("<id:class_id>/assignments/<id:assignment_id>/statistics.csv", statistics.statistics_csv, name="assignment_statistics_csv"),
    # roster import and invitations (point 2)
    path("<id:class_id>/roster/import/", roster.roster_import, name="roster_import"),
    path("<id:class_id>/roster/import/confirm/", roster.roster_import_confirm, name="roster_import_confirm"),
    path("invitations/<str:token>/", roster.invitation, name="invitation"),
    # a learner's page and the class readiness panel (point 4)
    path("<id:class_id>/learners/<id:user_id>/", learners.learner, name="learner"),
    path("<id:class_id>/panels/readiness/", learners.readiness_panel, name="readiness_panel"),
    # a person's notifications and mail setting (point 7): their own, not tied to a class
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications_read"),
    path("notifications/mail/", notifications.mail, name="notification_mail"),
]
