"""The tip box admin's forms: a reply to a source, and a newsroom public key to add.

Neither form ever shows back what was typed into it once it has been handled: a reply lives
only sealed and encrypted, and a key pasted by mistake (a private one) must not be echoed into
the page, the browser's form history or a screenshot.
"""

from __future__ import annotations

from django import forms

from masthead.tips import encryption
from masthead.tips.models import NewsroomKey

MAX_KEY_BYTES = 1024 * 1024  # an armored public key is a few kilobytes


class NotEchoedTextarea(forms.Textarea):
    """A textarea that always renders empty, whatever was submitted."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text="Sealed for the source as soon as you send it: only the holder of this tip's "
        "codename can read it, and it is not shown here again. A copy is encrypted to the "
        "newsroom's keys (download it below).",
        error_messages={"required": "Write a reply first: an empty reply is not sent."},
    )


class AddKeyForm(forms.Form):
    label = forms.CharField(
        max_length=100,
        help_text="Whose key this is, e.g. 'Tips desk 2026'.",
    )
    armored = forms.CharField(
        label="Public key",
        required=False,
        strip=False,
        widget=NotEchoedTextarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Paste the ASCII-armored public key (gpg --armor --export you@example.org), "
        "or upload it below. Never the private key.",
    )
    file = forms.FileField(
        label="…or a key file",
        required=False,
        help_text="An .asc file holding the public key.",
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        armored = cleaned.get("armored", "")
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_KEY_BYTES:
                raise forms.ValidationError("This file is too large to be a public key.")
            try:
                armored = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "This file is not an ASCII-armored key: export it with gpg --armor --export."
                ) from None
        if not armored.strip():
            raise forms.ValidationError("Paste a public key or upload a key file.")
        try:
            certs = encryption.parse_public_keys(armored)
        except encryption.KeyRejected as error:
            raise forms.ValidationError(str(error)) from None
        for cert in certs:
            existing = NewsroomKey.objects.filter(fingerprint=cert.fingerprint).first()
            if existing is not None:
                raise forms.ValidationError(
                    f"The key {cert.fingerprint} is already in the tip box ({existing.label})."
                )
        try:
            configured = encryption.configured_public_keys()
            in_settings = {cert.fingerprint for cert in encryption.parse_public_keys(configured)}
        except (encryption.KeyRejected, OSError):
            in_settings = set()
        for cert in certs:
            if cert.fingerprint in in_settings:
                raise forms.ValidationError(
                    f"The key {cert.fingerprint} is already in the tip box (from settings)."
                )
        cleaned["certs"] = certs
        return cleaned
