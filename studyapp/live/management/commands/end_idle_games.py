"""End every live game whose host has done nothing for half an hour (for cron; games also end
themselves when anyone opens them after that)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from studyapp.live.services import end_idle_games


class Command(BaseCommand):
    help = "End unattended live games (no host action for 30 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = end_idle_games(now=timezone.now())
        self.stdout.write(f"{ended} game{'s' if ended != 1 else ''} ended.")
