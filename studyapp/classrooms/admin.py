from django.contrib import admin

from .models import Classroom, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "created_by", "created_at", "archived_at"]
    search_fields = ["name", "join_code"]
    inlines = [MembershipInline]
