"""The forms of import and export in the browser (views/transfer.py)."""

from django import forms

from studyapp.accounts.models import User
from studyapp.core.forms import ticked_ids

from . import services
from .access import may_edit_category

_MB = services.MAX_IMPORT_BYTES // (1024 * 1024)


def _format_choices() -> list[tuple[str, str]]:
    return [(key, fmt.label) for key, fmt in services.FORMATS.items()]


class ImportForm(forms.Form):
    """A file, its format, and the category for questions the file does not place."""

    file = forms.FileField(
        label="File",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.gift,.xml,text/plain,application/xml,text/xml"}),
        help_text=f"UTF-8 text, at most {_MB} MB.",
    )
    format = forms.ChoiceField(label="Format", choices=_format_choices)
    category = forms.CharField(
        label="Category (optional)",
        required=False,
        max_length=500,
        help_text="For questions the file does not place with <code>$CATEGORY:</code>: a path such as "
        "<code>$course$/top/Mine/Lambda</code>, or one below your first category such as <code>Lambda</code>. "
        "Empty: your first category.",
        widget=forms.TextInput(attrs={"list": "import-categories", "spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args: object, user: User, editable: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user
        self.editable = sorted(editable)

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > services.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / (1024 * 1024):.1f} MB; the limit is {_MB} MB. Split it into smaller files."
            )
        return bytes(upload.read(services.MAX_IMPORT_BYTES + 1))

    def clean_category(self) -> str | None:
        """The full path (a relative one below the author's first category), checked against their rights."""
        typed = str(self.cleaned_data.get("category") or "").strip()
        first = self.editable[0] if self.editable else None
        if not typed:
            return first
        path = services.normal_category(typed, default=first)
        if not may_edit_category(self.user, path):
            raise forms.ValidationError(f"{path} is not one of your categories: choose one you own or were given.")
        return path


MAX_TICKED = 1000


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="Format", choices=_format_choices)
    category = forms.CharField(
        label="Category",
        required=False,
        max_length=500,
        help_text="This category and those below it; empty: the whole bank.",
        widget=forms.TextInput(attrs={"list": "export-categories", "spellcheck": "false", "autocomplete": "off"}),
    )
    ids = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    """Questions ticked in the bank (its "Export" action): only these, within the category if one is given."""

    def clean_ids(self) -> list[int]:
        ticked = self.cleaned_data.get("ids") or []
        return ticked_ids(ticked, most=MAX_TICKED, noun="question") if ticked else []

    def clean_category(self) -> str | None:
        typed = str(self.cleaned_data.get("category") or "").strip()
        return services.normal_category(typed) if typed else None
