"""Finding the images an export refers to and adding them to Wagtail's image library, once.

The export names attachments (`post_type` "attachment": the file's URL, title, alt text,
caption, the post it belongs to). `MediaLibrary` learns them from the first pass over the file
(`add_attachment`), then gives the importer a Wagtail image for a featured image (`featured`)
or for an image in a body (`finder`, the `ImageFinder` that `bodies.convert_body` calls).

Files come from `--media-dir` (a copy of `wp-content/uploads`: the URL's path after
`/uploads/` is looked up there; a resized copy such as `photo-1024x683.jpg` falls back to the
original `photo.jpg`), or with `--fetch-media` from the URL itself. Nothing is ever fetched
otherwise. Each file becomes one Wagtail image (remembered as an `ImportedItem` of kind
"attachment", keyed on the attachment id, or on the file's path for an image no attachment
names), so a second import reuses it. What cannot be found, read or fetched is listed for the
report, never fatal. In a dry run nothing is written or copied: found files give an unsaved
image (`pk` None).

Details:
- `--media-dir` may be the uploads folder itself, or a folder with `wp-content/uploads` or
  `uploads` below it. A URL's path never leads out of it (`../`, links pointing elsewhere).
- A body image without an attachment id is matched to the attachment with the same file (any
  size of it), so it becomes the same image.
- The image's description (Masthead's default alt text) is the attachment's alt text; a body
  image's own alt text is used only where the attachment has none (the body block keeps its
  own alt text either way). The title is the attachment's title, else the file name.
- Downloads (`fetch=True`): http and https only, redirects only to http and https, 20 s
  without data gives up, at most 50 MB, and the answer must say it is an image.
- In a dry run with `fetch=True`, a file that is not in the media folder is counted as
  imported without being downloaded (a real run may still find that it cannot be fetched).
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import re
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.utils.file import hash_filelike

from masthead.wordpress.bodies import ImageRequest
from masthead.wordpress.models import ImportedItem

Image = AbstractImage  # for annotations: whatever `get_image_model()` returns

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
DOWNLOAD_TIMEOUT_S = 20
USED_BY_LISTED = 5
KEY_MAX_LENGTH = 200  # ImportedItem.key

# Pillow's name for a format → the file extension Wagtail knows it by.
IMAGE_EXTENSIONS = {
    "JPEG": "jpg",
    "MPO": "jpg",  # JPEGs from many cameras, as Pillow reads them
    "PNG": "png",
    "GIF": "gif",
    "WEBP": "webp",
    "AVIF": "avif",
    "HEIF": "heic",
}

# "photo-1024x683.jpg": a size WordPress made of "photo.jpg"; "photo-scaled.jpg": the copy
# WordPress (5.3+) makes of a big upload and names as the attachment's file.
_SIZED_NAME = re.compile(r"^(?P<stem>.+?)(?P<size>-\d+x\d+)?(?P<scaled>-scaled)?(?P<ext>\.\w+)$")


@dataclass
class Attachment:
    wp_id: int
    url: str  # wp:attachment_url (absolute)
    title: str
    alt: str  # postmeta _wp_attachment_image_alt
    caption: str  # the attachment's excerpt (plain text)
    description: str  # the attachment's content (plain text)
    parent_id: int  # the post it was uploaded to (0: none)
    link: str  # the attachment page's permalink


@dataclass
class MissingMedia:
    url: str  # or "attachment 123" where only the id is known
    reason: str  # "not in the media folder", "download failed: HTTP 404", ...
    used_by: list[str] = field(default_factory=list)  # the first few items, once each
    also_used_by: int = 0  # how many more items use it, not listed

    def add_user(self, used_by: str) -> None:
        if used_by in self.used_by:
            return
        if len(self.used_by) < USED_BY_LISTED:
            self.used_by.append(used_by)
        else:
            self.also_used_by += 1


class _Unusable(Exception):
    """The file cannot become an image; the message is the reason the report gives."""


@dataclass
class _Source:
    """What an image is made of: the key it is remembered under and what to call it."""

    key: str
    url: str
    title: str
    alt: str
    uploads_path: str | None  # the URL's path below /uploads/, decoded; None: not an upload


class MediaLibrary:
    """The images of one import run (see the module docstring).

    `imported`: images created (in a dry run: that would be created); `reused`: lookups answered
    by an image imported before (by an earlier run or earlier in this one); `missing`: what could
    not be used, by URL.
    """

    def __init__(self, *, site: str, media_dir: Path | None, fetch: bool, dry_run: bool) -> None:
        self.site = site
        self.fetch = fetch
        self.dry_run = dry_run
        self.imported = 0
        self.reused = 0
        self.missing: dict[str, MissingMedia] = {}
        self._roots = _upload_roots(media_dir) if media_dir is not None else None
        self._attachments: dict[int, Attachment] = {}
        self._attachment_by_file: dict[str, int] = {}  # uploads path of the original → id
        self._attachment_by_url: dict[str, int] = {}
        self._images: dict[str, Image | None] = {}  # key → image (None: missing) this run
        self._missing_by_key: dict[str, MissingMedia] = {}
        self._key_by_url: dict[str, str] = {}
        self._imported_ids: dict[str, int] | None = None  # key → image id, from earlier runs
        self._image_model = get_image_model()

    # --- What the importer calls ------------------------------------------------------------

    def add_attachment(self, attachment: Attachment) -> None:
        self._attachments[attachment.wp_id] = attachment
        if attachment.url:
            self._attachment_by_url[attachment.url] = attachment.wp_id
            uploads_path = _uploads_path(attachment.url)
            if uploads_path:
                self._attachment_by_file.setdefault(_original_name(uploads_path), attachment.wp_id)

    def attachment(self, wp_id: int) -> Attachment | None:
        return self._attachments.get(wp_id)

    def featured(self, attachment_id: int, used_by: str) -> Image | None:
        """The image for a post's `_thumbnail_id`, or None (then listed in `missing`)."""
        return self._find(
            ImageRequest(url="", attachment_id=attachment_id, alt="", caption=""), used_by
        )

    def finder(self, used_by: str) -> Callable[[ImageRequest], Image | None]:
        """The `ImageFinder` for `convert_body` of the item `used_by` describes."""

        def find_image(request: ImageRequest) -> Image | None:
            image = self._find(request, used_by)
            attachment = self._attachments.get(request.attachment_id)
            if image is not None and attachment is not None:
                # What a gallery shows under the picture when the post gives no caption.
                image.wordpress_caption = attachment.caption
            return image

        return find_image

    # --- Finding ----------------------------------------------------------------------------

    def _find(self, request: ImageRequest, used_by: str) -> Image | None:
        # A body image named only by its URL: the key it resolved to before, without parsing.
        by_url = request.url if request.attachment_id is None and request.url else ""
        key = self._key_by_url.get(by_url) if by_url else None
        source = None
        if key is None:
            source = self._source(request)
            if source is None:
                name = f"attachment {request.attachment_id}"
                return self._report_missing(
                    name, f"{name} is not in the export", f"unknown:{name}", used_by
                )
            key = source.key
        if key not in self._images:
            self._images[key] = self._image_for(source, used_by)
            if by_url:
                self._key_by_url[by_url] = key
            return self._images[key]
        image = self._images[key]
        if image is None:
            self._missing_by_key[key].add_user(used_by)
        else:
            self.reused += 1
        return image

    def _image_for(self, source: _Source, used_by: str) -> Image | None:
        """The image imported before for `source`, else a new one, else None (reported)."""
        image = self._imported_before(source.key)
        if image is not None:
            self.reused += 1
            return image
        try:
            image = self._import(source)
        except _Unusable as unusable:
            return self._report_missing(source.url, str(unusable), source.key, used_by)
        self.imported += 1
        return image

    def _source(self, request: ImageRequest) -> _Source | None:
        attachment = None
        if request.attachment_id is not None:
            attachment = self._attachments.get(request.attachment_id)
            if attachment is None and not request.url:
                return None
        if attachment is None and request.url:
            wp_id = self._attachment_by_url.get(request.url)
            uploads_path = _uploads_path(request.url)
            if wp_id is None and uploads_path:
                wp_id = self._attachment_by_file.get(_original_name(uploads_path))
            attachment = self._attachments.get(wp_id) if wp_id is not None else None
        if attachment is not None and attachment.url:
            return _Source(
                key=str(attachment.wp_id),
                url=attachment.url,
                title=attachment.title,
                alt=attachment.alt or request.alt,
                uploads_path=_uploads_path(attachment.url),
            )
        uploads_path = _uploads_path(request.url)
        if uploads_path:
            key = _bounded_key("file:", _original_name(uploads_path))
        else:
            key = _bounded_key("url:", request.url)
        return _Source(
            key=key,
            url=request.url,
            title=attachment.title if attachment else "",
            alt=(attachment.alt if attachment else "") or request.alt,
            uploads_path=uploads_path,
        )

    def image_this_run(self, wp_id: int) -> Image | None:
        """The image this run made or found for attachment `wp_id` (unsaved in a dry run),
        without a query; None if it did not look for one or found none."""
        return self._images.get(str(wp_id))

    def _imported_before(self, key: str) -> Image | None:
        """The image an earlier run made for `key`, if it still exists."""
        if self._imported_ids is None:
            self._imported_ids = dict(
                ImportedItem.objects.filter(
                    site=self.site,
                    kind=ImportedItem.ATTACHMENT,
                    content_type=self._content_type(),
                    object_id__isnull=False,
                ).values_list("key", "object_id")
            )
        image_id = self._imported_ids.get(key)
        if image_id is None:
            return None
        return self._image_model.objects.filter(pk=image_id).first()

    def _report_missing(self, url: str, reason: str, key: str, used_by: str) -> None:
        entry = self.missing.get(url)
        if entry is None:
            entry = self.missing[url] = MissingMedia(url=url, reason=reason, used_by=[])
        entry.add_user(used_by)
        self._missing_by_key[key] = entry
        self._images[key] = None
        return None

    # --- Importing --------------------------------------------------------------------------

    def _import(self, source: _Source) -> Image:
        """A new image for `source` (unsaved in a dry run); raises _Unusable."""
        path, not_found = self._local_file(source)
        if path is not None:
            try:
                file = path.open("rb")
            except OSError as error:
                raise _Unusable(f"could not be read ({error.strerror or error})") from None
            with file:
                extension, size = _check_image(file)
                file.seek(0)
                return self._create(source, file, _file_name(path.name, extension), size)
        if not self.fetch:
            raise _Unusable(not_found)
        url = self._absolute_url(source.url)
        if self.dry_run:
            return self._image_model(title=_title(source, url), description=source.alt[:255])
        try:
            data = _download(url)
        except _Unusable as unusable:
            raise _Unusable(
                f"{not_found}; {unusable}" if self._roots is not None else str(unusable)
            ) from None
        extension, size = _check_image(io.BytesIO(data))
        name = _file_name(PurePosixPath(unquote(urlsplit(url).path)).name, extension)
        return self._create(source, io.BytesIO(data), name, size, url=url)

    def _local_file(self, source: _Source) -> tuple[Path | None, str]:
        """The file in the media folder, or None and why not."""
        if self._roots is None:
            return None, "no --media-dir given"
        if not source.uploads_path:
            return None, "not in the media folder (its address has no /uploads/)"
        if "\x00" in source.uploads_path:
            return None, "not in the media folder (not a usable file name)"
        for name in _names_to_try(source.uploads_path):
            for root in self._roots:
                try:
                    candidate = (root / name.lstrip("/")).resolve()
                except (OSError, RuntimeError):
                    continue
                if not candidate.is_relative_to(root):
                    return None, "its path leads outside the media folder"
                if candidate.is_file():
                    return candidate, ""
        return None, "not in the media folder"

    def _absolute_url(self, url: str) -> str:
        absolute = urljoin(self.site.rstrip("/") + "/", url) if self.site else url
        if urlsplit(absolute).scheme.lower() not in ("http", "https"):
            raise _Unusable("not downloaded: not an http or https address")
        return absolute

    def _create(
        self,
        source: _Source,
        file: IO[bytes],
        name: str,
        size: tuple[int, int],
        url: str = "",
    ) -> Image:
        title = _title(source, url or name)
        if self.dry_run:
            return self._image_model(
                title=title, description=source.alt[:255], width=size[0], height=size[1]
            )
        image = self._image_model(title=title, description=source.alt[:255])
        image.file_size = file.seek(0, io.SEEK_END)
        file.seek(0)
        image.file_hash = hash_filelike(file)
        file.seek(0)
        stored_name = ""
        try:
            with transaction.atomic():
                image.file.save(name, File(file), save=False)
                stored_name = image.file.name
                image.width, image.height = size
                image.save()
                ImportedItem.objects.update_or_create(
                    site=self.site,
                    kind=ImportedItem.ATTACHMENT,
                    key=source.key,
                    defaults={
                        "guid": source.url[:500],
                        "content_type": self._content_type(),
                        "object_id": image.pk,
                    },
                )
        except BaseException as error:
            if stored_name:
                image.file.storage.delete(stored_name)
            if isinstance(error, OSError):
                raise _Unusable(f"could not be stored ({error})") from error
            raise
        if self._imported_ids is not None:
            self._imported_ids[source.key] = image.pk
        return image

    def _content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self._image_model)


# --- Files and names ------------------------------------------------------------------------


def _upload_roots(media_dir: Path) -> list[Path]:
    """The folders a URL's uploads path is looked up in, the given one first."""
    media_dir = Path(media_dir)
    if not media_dir.is_dir():
        raise ValueError(f"The media folder {media_dir} does not exist or is not a folder.")
    roots = [media_dir, media_dir / "wp-content" / "uploads", media_dir / "uploads"]
    return [root.resolve() for root in roots if root.is_dir()]


def _uploads_path(url: str) -> str | None:
    """The URL's path after "/uploads/", decoded ("2024/05/photo.jpg"); None if it has none."""
    if not url:
        return None
    path = urlsplit(url).path
    marker = path.find("/uploads/")
    if marker < 0:
        return None
    return unquote(path[marker + len("/uploads/") :]) or None


def _original_name(uploads_path: str) -> str:
    """The name of the upload a resized or scaled copy was made from."""
    folder, _, name = uploads_path.rpartition("/")
    match = _SIZED_NAME.match(name)
    if match is None:
        return uploads_path
    original = match["stem"] + match["ext"]
    return f"{folder}/{original}" if folder else original


def _names_to_try(uploads_path: str) -> list[str]:
    """The original before a resized copy; either of the original and its `-scaled` copy."""
    folder, _, name = uploads_path.rpartition("/")
    match = _SIZED_NAME.match(name)
    if match is None:
        return [uploads_path]
    stem, ext = match["stem"], match["ext"]
    names = [stem + (match["scaled"] or "") + ext, stem + ext, stem + "-scaled" + ext, name]
    prefix = f"{folder}/" if folder else ""
    return list(dict.fromkeys(prefix + each for each in names))


def _bounded_key(prefix: str, value: str) -> str:
    key = prefix + value
    if len(key) <= KEY_MAX_LENGTH:
        return key
    return prefix + "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _file_name(name: str, extension: str) -> str:
    """`name` with the extension of what the file really is."""
    stem, dot, current = name.rpartition(".")
    if not dot:
        stem = name
    if current.lower() == extension or (extension == "jpg" and current.lower() == "jpeg"):
        return name
    return f"{stem or 'image'}.{extension}"


def _title(source: _Source, name_or_url: str) -> str:
    title = source.title.strip() or PurePosixPath(unquote(urlsplit(name_or_url).path)).name
    return (title or "Imported image")[:255]


def _check_image(file: IO[bytes]) -> tuple[str, tuple[int, int]]:
    """The extension and size of the image in `file`; raises _Unusable if it is none Masthead
    takes (not an image, a truncated one, a format not in WAGTAILIMAGES_EXTENSIONS)."""
    try:
        with PillowImage.open(file) as picture:
            picture_format = picture.format or ""
            size = picture.size
            picture.load()
    except (OSError, SyntaxError, ValueError, PillowImage.DecompressionBombError) as error:
        raise _Unusable(f"not an image file ({error})") from None
    extension = IMAGE_EXTENSIONS.get(picture_format)
    accepted = getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ["gif", "jpg", "jpeg", "png", "webp"])
    if extension is None or extension not in accepted:
        raise _Unusable(f"not an image file Masthead takes ({picture_format or 'unknown'} image)")
    return extension, size


# --- Downloads ------------------------------------------------------------------------------


# Downloads go to public web hosts only: an export naming http://127.0.0.1/ or the cloud's
# metadata address must not make the server fetch (and publish) what only it can reach.
ALLOW_PRIVATE_HOSTS = False  # tests serve images on loopback


def _refuse_private_host(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        raise _Unusable(f"download failed: cannot resolve {host!r}") from None
    if ALLOW_PRIVATE_HOSTS:
        return
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise _Unusable(f"not downloaded: {host} is a private or local address")


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise _Unusable(f"download failed: redirected to a non-web address ({newurl})")
        _refuse_private_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str) -> bytes:
    """The image at `url` (http or https); raises _Unusable saying why not."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise _Unusable("not downloaded: not an http or https address")
    _refuse_private_host(url)
    opener = urllib.request.build_opener(_WebOnlyRedirects)
    # The scheme is checked above and on every redirect.
    request = urllib.request.Request(url, headers={"User-Agent": "Masthead WordPress import"})  # noqa: S310
    limit = MAX_DOWNLOAD_BYTES
    too_large = f"download failed: larger than {limit // (1024 * 1024)} MB"
    try:
        with opener.open(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            content_type = response.headers.get_content_type()
            if not content_type.startswith("image/"):
                raise _Unusable(f"download failed: not an image (Content-Type {content_type})")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise _Unusable(too_large)
            chunks, received = [], 0
            while chunk := response.read(min(1024 * 1024, limit + 1 - received)):
                chunks.append(chunk)
                received += len(chunk)
                if received > limit:
                    raise _Unusable(too_large)
    except urllib.error.HTTPError as error:
        raise _Unusable(f"download failed: HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise _Unusable(f"download failed: {error.reason}") from None
    except TimeoutError:
        raise _Unusable("download failed: timed out") from None
    except (OSError, ValueError, HTTPException) as error:
        raise _Unusable(f"download failed: {error}") from None
    return b"".join(chunks)
