"""The form a source fills in: a message, files, whether to remove their hidden data, and a
honeypot. The files themselves arrive through the in-memory upload handler (`uploads.py`); this
form checks them against the limits and says in the source's language what is wrong."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masthead.tips import uploads

# The honeypot: a field people never see (hidden by the stylesheet, skipped by screen readers
# and the keyboard) that naive bots fill in like every other.
HONEYPOT_FIELD = "website"


def limits_in_words() -> str:
    """The file limits from settings, as a sentence for the form."""
    return gettext(
        "Up to %(count)s files, each at most %(file_mb)s MB and %(total_mb)s MB together."
    ) % {
        "count": settings.MASTHEAD_TIPS_MAX_FILES,
        "file_mb": settings.MASTHEAD_TIPS_MAX_FILE_MB,
        "total_mb": settings.MASTHEAD_TIPS_MAX_TOTAL_MB,
    }


def normalize_line_breaks(text: str) -> str:
    """Browsers send line breaks as CR LF; a textarea counts (and a source sees) one."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TipForm(forms.Form):
    """A new tip or a follow-up. `files` and `upload_problems` come from the upload handler."""

    message = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea,
        label=_("Your message"),
    )
    remove_hidden_data = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Remove hidden data from my files (recommended)"),
    )
    website = forms.CharField(required=False, max_length=200)

    def __init__(
        self,
        data=None,
        *,
        files: list[UploadedFile] | None = None,
        upload_problems: list[uploads.UploadProblem] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(data, **kwargs)
        self.uploaded_files = files or []
        self.upload_problems = upload_problems or []

    @property
    def filled_by_a_bot(self) -> bool:
        """Whether the hidden field was filled in (only meaningful once validated)."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def clean_message(self) -> str:
        message = normalize_line_breaks(self.cleaned_data.get("message") or "")
        limit = settings.MASTHEAD_TIPS_MAX_MESSAGE_CHARS
        if len(message) > limit:
            raise forms.ValidationError(
                gettext(
                    "Your message is too long: it has %(length)s characters and the limit is "
                    "%(limit)s. Please shorten it, or send the rest as a file."
                )
                % {"length": len(message), "limit": limit},
                code="too_long",
            )
        return message

    def clean(self) -> dict:
        cleaned = super().clean()
        for problem in self._file_problems():
            self.add_error(None, problem)
        message = cleaned.get("message")
        nothing_sent = not (message or "").strip() and not self.uploaded_files
        if nothing_sent and not self.errors:
            self.add_error(None, gettext("Write a message or choose at least one file."))
        return cleaned

    def _file_problems(self) -> list[str]:
        problems = []
        if any(problem.kind == uploads.TOO_MANY for problem in self.upload_problems):
            problems.append(
                gettext("You chose too many files: send at most %(count)s with one message.")
                % {"count": settings.MASTHEAD_TIPS_MAX_FILES}
            )
        for problem in self.upload_problems:
            if problem.kind == uploads.TOO_LARGE:
                problems.append(
                    gettext("“%(name)s” is larger than %(limit)s MB.")
                    % {"name": problem.name, "limit": settings.MASTHEAD_TIPS_MAX_FILE_MB}
                )
        over_total = [p.name for p in self.upload_problems if p.kind == uploads.OVER_TOTAL]
        if over_total:
            problems.append(
                gettext(
                    "Your files together are larger than %(limit)s MB (“%(name)s” did not fit)."
                )
                % {"name": over_total[0], "limit": settings.MASTHEAD_TIPS_MAX_TOTAL_MB}
            )
        return problems
