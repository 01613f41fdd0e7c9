import functools
import zoneinfo
from pathlib import Path

from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User

REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
BROWSER_ZONE = {"data-browser-zone": "fill"}  # static/js/time-zone.js selects the browser's zone in such a select


@functools.cache
def canonical_zones() -> tuple[str, ...]:
    """The zones a person lives in: those of the tz database's ``zone.tab`` (one line per country's
    zone; no aliases such as "US/Eastern" or "Europe/Kiev", no "localtime", "Factory" or "Etc/GMT+5"),
    that this system can load. Without ``zone.tab``, the loadable zones under a region's name."""
    available = zoneinfo.available_timezones()
    for base in zoneinfo.TZPATH:
        table = Path(base) / "zone.tab"
        if table.is_file():
            rows = (line.split("\t") for line in table.read_text().splitlines() if line and not line.startswith("#"))
            return tuple(sorted({row[2] for row in rows if len(row) > 2} & available))
    return tuple(sorted(name for name in available if name.split("/")[0] in REGIONS))


def _place(name: str) -> str:
    """ "America/Argentina/Buenos_Aires" -> "Argentina / Buenos Aires"."""
    return " / ".join(name.split("/")[1:]).replace("_", " ")


def time_zone_choices() -> list[tuple[str, object]]:
    """UTC, then the canonical zones grouped by region (Django renders each group as an <optgroup>)."""
    zones = canonical_zones()
    groups = [(region, [(z, _place(z)) for z in zones if z.split("/")[0] == region]) for region in REGIONS]
    return [("UTC", "UTC"), *((region, names) for region, names in groups if names)]


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional. Only used to reset a forgotten password.")
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        widget=forms.Select(attrs=BROWSER_ZONE),
        help_text="Your study day starts at 4 a.m. here. This browser's zone is chosen for you when it can tell.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "time_zone")


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = User
        fields = ("email", "time_zone")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        saved = self.instance.time_zone
        if saved and saved != "UTC" and saved not in canonical_zones():
            field.choices = [(saved, f"{saved} (as saved)"), *time_zone_choices()]  # an old alias stays as it was saved
        if not saved or saved == "UTC":  # the default was never changed: offer the browser's zone
            field.widget.attrs.update(BROWSER_ZONE)
