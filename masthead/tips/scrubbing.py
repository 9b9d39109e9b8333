"""Removing hidden data (GPS and camera data in photos, authors in documents) from a source's
files before they are encrypted, when the source leaves "remove hidden data" checked.

Photos (JPEG, PNG, WebP, GIF, TIFF, recognised by their content, not their name) are cleaned
by Pillow, in memory: the EXIF orientation is applied so the photo still looks right, colours
are converted to sRGB when the file carries an ICC profile (a profile can name the device, so
it is dropped), and the picture is re-encoded with no EXIF, GPS, maker notes, XMP, IPTC,
comments or PNG text chunks (JPEG at quality 95, keeping the chroma subsampling). Animated or
multi-page images are left as they are (re-encoding frame by frame risks damaging evidence;
mat2 would keep only the first frame), and so are decompression bombs.

Other files (PDF, Office and ODF documents, audio, video, HEIC, SVG...) go to Debian's mat2
when `MASTHEAD_TIPS_MAT2` is installed and `MASTHEAD_TIPS_SCRUB_DIR` is memory-backed (tmpfs
or ramfs): mat2 needs a file, and a plaintext file must never reach a disk. The file lives
there under a neutral name in a private folder for at most `MAT2_TIMEOUT_SECONDS`, and the
folder is deleted whatever happens. Photos do not go through mat2: its re-rendering drops the
orientation tag without turning the picture.

Nothing here raises for a bad file, and nothing is logged about a file but counts and times.
The notes (in English) end up in the bundle's `about.txt`, for journalists.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from functools import lru_cache
from pathlib import Path, PurePosixPath

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin

from masthead.tips.bundles import NOT_SCRUBBED, SCRUBBED, Attachment

logger = logging.getLogger(__name__)

MAT2_TIMEOUT_SECONDS: float = 60
# All the cleaning of one message: under nginx's 120 s proxy_read_timeout for the tip box.
SCRUB_BUDGET_SECONDS: float = 75
# Scrub folders older than this were left by a process that died (killed mid-clean).
STALE_FOLDER_SECONDS: float = 10 * 60
MEMORY_FILESYSTEMS = {"tmpfs", "ramfs"}

# Notes for journalists (about.txt).
PILLOW = "Pillow"
MAT2 = "mat2"
CANNOT_CLEAN = "this kind of file cannot be cleaned here"
CLEANING_FAILED = "cleaning failed"
TOO_LARGE = "the image is too large to clean"
SEVERAL_FRAMES = "animated or multi-page images cannot be cleaned here"
NO_TIME_LEFT = "there was no time left to clean it"

PILLOW_FORMATS = ["JPEG", "PNG", "WEBP", "GIF", "TIFF"]
JPEG_QUALITY = 95
# What mat2 (0.13) cleans, by extension: it picks its parser by the file's name.
MAT2_EXTENSIONS = frozenset(
    {
        "aif",
        "aifc",
        "aiff",
        "avi",
        "css",
        "docx",
        "epub",
        "flac",
        "gif",
        "heic",
        "htm",
        "html",
        "jfif",
        "jpe",
        "jpeg",
        "jpg",
        "m4v",
        "mp1",
        "mp2",
        "mp3",
        "mp4",
        "mpega",
        "mpg4",
        "mpga",
        "ncx",
        "oga",
        "odc",
        "odf",
        "odg",
        "odi",
        "odp",
        "ods",
        "odt",
        "ogg",
        "opus",
        "pdf",
        "png",
        "ppm",
        "pptx",
        "shtml",
        "spx",
        "svg",
        "svgz",
        "tar",
        "text",
        "tif",
        "tiff",
        "torrent",
        "txt",
        "wav",
        "wmv",
        "xht",
        "xhtm",
        "xhtml",
        "xlsx",
        "zip",
    }
)
# EXIF tags that identify a person, a device or a moment; none may survive Pillow's cleaning.
IDENTIFYING_TAGS = {
    0x010E,  # ImageDescription
    0x010F,  # Make
    0x0110,  # Model
    0x0131,  # Software
    0x0132,  # DateTime
    0x013B,  # Artist
    0x013C,  # HostComputer
    0x8298,  # Copyright
    0x83BB,  # IPTC
    0x8649,  # Photoshop
    0x8769,  # Exif IFD (dates, maker notes, serial numbers)
    0x8825,  # GPS IFD
    0x02BC,  # XMP
    0x8773,  # ICC profile
}
HIDDEN_INFO_KEYS = {
    "exif",
    "xmp",
    "icc_profile",
    "comment",
    "photoshop",
    "iptc",
    "XML:com.adobe.xmp",
}


def scrub_all(
    attachments: list[Attachment], budget_seconds: float | None = None
) -> list[Attachment]:
    """`scrub` for every file of one message, all within `budget_seconds` (default
    SCRUB_BUDGET_SECONDS) so the source's request ends well before a proxy gives up on it (and
    with it the codename shown once). Files left when the time is up are sent as they are."""
    budget = SCRUB_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    for attachment in attachments:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            attachment.treatment = NOT_SCRUBBED
            attachment.note = NO_TIME_LEFT
            continue
        scrub(attachment, time_limit=remaining)
    return attachments


def scrub(attachment: Attachment, time_limit: float | None = None) -> Attachment:
    """The attachment with its hidden data removed (treatment SCRUBBED), or unchanged with
    treatment NOT_SCRUBBED and a note saying why. Never raises for a bad file. mat2 gets at most
    `time_limit` seconds (and never more than MAT2_TIMEOUT_SECONDS)."""
    timeout = MAT2_TIMEOUT_SECONDS if time_limit is None else min(time_limit, MAT2_TIMEOUT_SECONDS)
    try:
        cleaned, note = _clean_image(attachment.data)
        if cleaned is None and note is None:
            cleaned, note = _clean_with_mat2(attachment.name, attachment.data, timeout)
    except Exception:  # a hostile file must never stop a tip
        logger.warning("Scrubbing failed unexpectedly; the file is sent as it is.")
        cleaned, note = None, CLEANING_FAILED
    if cleaned is None:
        attachment.treatment = NOT_SCRUBBED
        attachment.note = note or CLEANING_FAILED
    else:
        attachment.data = cleaned
        attachment.treatment = SCRUBBED
        attachment.note = note or ""
    return attachment


# --- Photos, with Pillow, in memory ---------------------------------------------------------


def _clean_image(data: bytes) -> tuple[bytes | None, str | None]:
    """(cleaned bytes, "Pillow"), (None, why not), or (None, None) when it is no photo."""
    # Sizes are checked here, not by turning Pillow's DecompressionBombWarning into an error:
    # warnings.catch_warnings() is not thread-safe, and the web server runs requests on threads.
    try:
        image = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    except Image.DecompressionBombError:
        return None, TOO_LARGE
    except Exception:  # not a photo Pillow may clean
        return None, None
    width, height = image.size
    if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
        image.close()
        return None, TOO_LARGE
    try:
        with image:
            return _reencode(image), PILLOW
    except _SeveralFrames:
        return None, SEVERAL_FRAMES
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, TOO_LARGE
    except Exception:  # a damaged or hostile photo
        return None, CLEANING_FAILED


class _SeveralFrames(Exception):
    pass


def _reencode(image: Image.Image) -> bytes:
    source_format = image.format
    if source_format == "MPO":  # a JPEG with extra pictures (depth or gain maps): keep the photo
        source_format = "JPEG"
    elif getattr(image, "n_frames", 1) > 1:
        raise _SeveralFrames
    subsampling = JpegImagePlugin.get_sampling(image) if source_format == "JPEG" else -1
    icc_profile = image.info.get("icc_profile")
    image.load()
    upright = ImageOps.exif_transpose(image)
    if icc_profile:
        upright = _to_srgb(upright, icc_profile)
    clean = upright.copy()  # a plain image: no EXIF, XMP, ICC, comments or text chunks
    clean.info = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
    output = io.BytesIO()
    if source_format == "JPEG":
        options: dict = {"quality": JPEG_QUALITY}
        if subsampling in (0, 1, 2):
            options["subsampling"] = subsampling
        clean.save(output, "JPEG", **options)
    elif source_format == "WEBP":
        clean.save(output, "WEBP", quality=JPEG_QUALITY)
    elif source_format == "TIFF":
        clean.save(output, "TIFF", compression="tiff_lzw")
    else:
        clean.save(output, source_format)
    cleaned = output.getvalue()
    _check_clean(cleaned)
    return cleaned


def _to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """The picture's colours in sRGB, so dropping its profile changes how it looks as little as
    possible. Unchanged where the profile or the mode does not allow it."""
    if image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        srgb = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except Exception:  # a broken profile is simply dropped
        return image
    return converted if converted is not None else image


def _check_clean(cleaned: bytes) -> None:
    """Refuses output that still carries hidden data (a Pillow change must not leak it)."""
    with Image.open(io.BytesIO(cleaned)) as result:
        if HIDDEN_INFO_KEYS & set(result.info) or getattr(result, "text", None):
            raise ValueError("hidden data survived")
        if IDENTIFYING_TAGS & set(result.getexif()):
            raise ValueError("hidden data survived")


# --- Everything else, with mat2, in a memory-backed folder ----------------------------------


def _clean_with_mat2(name: str, data: bytes, timeout: float) -> tuple[bytes | None, str]:
    extension = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    mat2 = mat2_program()
    if mat2 is None or extension not in MAT2_EXTENSIONS:
        return None, CANNOT_CLEAN
    scrub_dir = settings.MASTHEAD_TIPS_SCRUB_DIR
    folder = tempfile.mkdtemp(prefix="scrub-", dir=scrub_dir)  # private: mode 0700
    started = time.monotonic()
    try:
        upload = os.path.join(folder, f"upload.{extension}")
        descriptor = os.open(upload, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        if not _run_mat2(mat2, upload, folder, timeout):
            return None, CLEANING_FAILED
        cleaned = os.path.join(folder, f"upload.cleaned.{extension}")
        if not os.path.isfile(cleaned):
            return None, CLEANING_FAILED
        with open(cleaned, "rb") as file:
            return file.read(), MAT2
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        logger.debug("mat2 took %.1f s", time.monotonic() - started)


def mat2_program() -> str | None:
    """The mat2 program to use, or None where it is missing or the scrub folder is not
    memory-backed (so that no plaintext file ever reaches a disk)."""
    configured = settings.MASTHEAD_TIPS_MAT2
    program = shutil.which(configured) if configured else None
    scrub_dir = settings.MASTHEAD_TIPS_SCRUB_DIR
    if program is None or not scrub_dir or not os.path.isdir(scrub_dir):
        return None
    return program if is_memory_backed(scrub_dir) else None


def is_memory_backed(path: str, mounts: str | None = None) -> bool:
    """Whether `path` lies on tmpfs or ramfs: the file system of the longest mount point that
    contains it, in /proc/mounts (or in `mounts`, text in that format)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return False
    target = os.path.realpath(path)
    best, best_type = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape_mount(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type in MEMORY_FILESYSTEMS


def _unescape_mount(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)


def _run_mat2(mat2: str, upload: str, folder: str, timeout: float) -> bool:
    """Runs mat2 on `upload` in its own process group, killed (with anything it started)
    after `timeout` seconds. Its temporary files stay in `folder` too."""
    command = [mat2, *_sandbox_flag(mat2), upload]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": folder,
        "TMPDIR": folder,
        "XDG_CACHE_HOME": folder,
        "LANG": "C.UTF-8",
    }
    process = subprocess.Popen(  # noqa: S603 - a configured program, no shell
        command,
        cwd=folder,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return process.wait(timeout=timeout) == 0
    except subprocess.TimeoutExpired:
        logger.warning("mat2 ran longer than %.0f s and was stopped.", timeout)
        return False
    finally:
        if process.poll() is None or _group_alive(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _sandbox_flag(mat2: str) -> list[str]:
    """mat2 runs its helpers (exiftool, ffmpeg) under bubblewrap when it can; `--no-sandbox`
    is needed only where bwrap is missing. mat2 0.12-0.13.3 (Debian 12) define that flag the
    wrong way round (it turns the sandbox on), so their meaning is read from the program."""
    want_sandbox = shutil.which("bwrap") is not None
    flag_turns_sandbox_on = _no_sandbox_flag_is_inverted(os.path.realpath(mat2))
    wanted = want_sandbox if flag_turns_sandbox_on else not want_sandbox
    return ["--no-sandbox"] if wanted else []


INVERTED_FLAG = re.compile(
    r"""['"]--no-sandbox['"]\s*,\s*dest\s*=\s*['"]sandbox['"]\s*,\s*action\s*=\s*['"]store_true"""
)


@lru_cache(maxsize=8)
def _no_sandbox_flag_is_inverted(program: str) -> bool:
    try:
        with open(program, "rb") as file:
            text = file.read(200_000).decode("utf-8", "replace")
    except OSError:
        return False
    return INVERTED_FLAG.search(text) is not None


def sweep_stale_folders(now: float | None = None) -> int:
    """Deletes scrub folders that a killed process left behind (older than
    STALE_FOLDER_SECONDS); the number deleted. Run hourly by the worker."""
    scrub_dir = settings.MASTHEAD_TIPS_SCRUB_DIR
    if not scrub_dir or not os.path.isdir(scrub_dir):
        return 0
    now = time.time() if now is None else now
    swept = 0
    for folder in Path(scrub_dir).glob("scrub-*"):
        try:
            if folder.is_dir() and now - folder.stat().st_mtime > STALE_FOLDER_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
                swept += 1
        except OSError:
            continue
    return swept
