"""Removing hidden data from a source's files: photos lose GPS, camera and author data but still
look right; documents are cleaned by mat2 only in a memory-backed folder that is always emptied
again; files that cannot be cleaned arrive untouched, and say so."""

import io
import os
import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test.utils import override_settings
from PIL import Image, ImageCms

from masthead.tips import bundles, scrubbing, submissions
from masthead.tips.bundles import NOT_SCRUBBED, SCRUBBED, Attachment

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
MAKE, MODEL, ARTIST, ORIENTATION = 0x010F, 0x0110, 0x013B, 0x0112
DATE_TIME_ORIGINAL = 0x9003

SHM = "/dev/shm"  # noqa: S108 - the memory-backed folder the tests use as the scrub dir
MAT2 = shutil.which("mat2")
needs_mat2 = pytest.mark.skipif(
    MAT2 is None, reason="mat2 is not installed (Debian: apt-get install mat2)"
)


def photo_with_gps(size: tuple[int, int] = (64, 32)) -> bytes:
    """A JPEG as a phone writes it: GPS position, camera, owner, time, and turned by a tag."""
    image = Image.new("RGB", size, "red")
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[MODEL] = "EOS 5D Mark IV"
    exif[ARTIST] = "Jane Source"
    exif[ORIENTATION] = 6  # shown turned 90° clockwise
    exif[EXIF_IFD] = {DATE_TIME_ORIGINAL: "2026:11:29 10:15:00"}
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 21.0, 5.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, icc_profile=icc, comment=b"Jane Source's phone")
    return output.getvalue()


def assert_no_hidden_data(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert not exif.get_ifd(EXIF_IFD)
        assert not {MAKE, MODEL, ARTIST, ORIENTATION} & set(exif)
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(image.info)
    for marker in (b"Canon", b"EOS 5D", b"Jane Source", b"2026:11:29"):
        assert marker not in data


@pytest.fixture
def without_mat2() -> Iterator[None]:
    with override_settings(MASTHEAD_TIPS_MAT2=""):
        yield


@pytest.fixture
def memory_scrub_dir() -> Iterator[Path]:
    """A fresh folder on /dev/shm (tmpfs), as MASTHEAD_TIPS_SCRUB_DIR."""
    if not os.path.isdir(SHM) or not scrubbing.is_memory_backed(SHM):
        pytest.skip(f"{SHM} is not a tmpfs here")
    folder = Path(tempfile.mkdtemp(prefix="masthead-scrub-test-", dir=SHM))
    try:
        with override_settings(MASTHEAD_TIPS_SCRUB_DIR=str(folder)):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- Photos, with Pillow ----------------------------------------------------------------------


def test_a_photo_loses_its_gps_camera_and_owner_but_still_looks_right(without_mat2):
    original = photo_with_gps()
    with Image.open(io.BytesIO(original)) as image:  # the test photo really carries them
        assert image.getexif().get_ifd(GPS_IFD)[2] == (48.0, 51.0, 30.0)
        assert image.getexif()[ARTIST] == "Jane Source"

    scrubbed = scrubbing.scrub(Attachment("IMG_0001.JPG", original))

    assert (scrubbed.treatment, scrubbed.note, scrubbed.name) == (
        SCRUBBED,
        "Pillow",
        "IMG_0001.JPG",
    )
    assert_no_hidden_data(scrubbed.data)
    with Image.open(io.BytesIO(scrubbed.data)) as image:
        image.load()
        assert image.format == "JPEG"
        # The orientation tag is gone, so the picture itself was turned: upright, not sideways.
        assert image.size == (32, 64)
        top, bottom = image.getpixel((16, 4)), image.getpixel((16, 60))
    assert top[2] > 200 and top[0] < 60  # blue half on top, as the phone showed it
    assert bottom[0] > 200 and bottom[2] < 60


def test_a_png_loses_its_text_chunks(without_mat2):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Source")
    text.add_itxt("Comment", "taken at the ministry", lang="en")
    output = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 128, 0, 128)).save(output, "PNG", pnginfo=text)
    assert b"Jane Source" in output.getvalue()

    scrubbed = scrubbing.scrub(Attachment("chart.png", output.getvalue()))

    assert scrubbed.treatment == SCRUBBED
    assert b"Jane Source" not in scrubbed.data and b"ministry" not in scrubbed.data
    with Image.open(io.BytesIO(scrubbed.data)) as image:
        assert image.format == "PNG" and image.text == {}
        assert image.getpixel((5, 5)) == (0, 128, 0, 128)


def test_photos_are_recognised_by_content_not_by_name(without_mat2):
    scrubbed = scrubbing.scrub(Attachment("notes.txt", photo_with_gps()))
    assert scrubbed.treatment == SCRUBBED
    assert_no_hidden_data(scrubbed.data)


def test_a_file_that_cannot_be_cleaned_arrives_untouched_and_says_why(without_mat2):
    scrubbed = scrubbing.scrub(Attachment("text.txt", b"Meet at noon.\n"))
    assert scrubbed.treatment == NOT_SCRUBBED
    assert scrubbed.note == "this kind of file cannot be cleaned here"
    assert scrubbed.data == b"Meet at noon.\n"


def test_a_corrupt_photo_is_sent_as_it_is(without_mat2):
    corrupt = photo_with_gps()[:300]  # a JPEG cut short
    scrubbed = scrubbing.scrub(Attachment("IMG_0002.jpg", corrupt))
    assert scrubbed.treatment == NOT_SCRUBBED and scrubbed.note
    assert scrubbed.data == corrupt
    garbage = b"\xff\xd8\xff\xe0 not really a JPEG"
    assert scrubbing.scrub(Attachment("x.jpg", garbage)).treatment == NOT_SCRUBBED


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [10_000, 40_000])  # over Pillow's warning and error limits
def test_a_decompression_bomb_is_refused_without_being_opened(without_mat2, side):
    bomb = png_claiming(side, side)
    scrubbed = scrubbing.scrub(Attachment("bomb.png", bomb))
    assert scrubbed.treatment == NOT_SCRUBBED
    assert scrubbed.note == "the image is too large to clean"
    assert scrubbed.data == bomb


def test_an_animated_gif_is_kept_whole_rather_than_flattened(without_mat2):
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:], comment=b"Jane")
    scrubbed = scrubbing.scrub(Attachment("clip.gif", output.getvalue()))
    assert scrubbed.treatment == NOT_SCRUBBED
    assert scrubbed.note == "animated or multi-page images cannot be cleaned here"
    assert scrubbed.data == output.getvalue()


def test_a_non_memory_scrub_dir_never_gets_a_file_but_photos_are_still_cleaned(tmp_path):
    if scrubbing.is_memory_backed(str(tmp_path)):
        pytest.skip("the temporary folder is memory-backed here")
    with override_settings(MASTHEAD_TIPS_MAT2="sh", MASTHEAD_TIPS_SCRUB_DIR=str(tmp_path)):
        assert scrubbing.mat2_program() is None
        pdf = scrubbing.scrub(Attachment("report.pdf", b"%PDF-1.4 Author Jane"))
        photo = scrubbing.scrub(Attachment("IMG.jpg", photo_with_gps()))
    assert (pdf.treatment, pdf.note) == (NOT_SCRUBBED, "this kind of file cannot be cleaned here")
    assert photo.treatment == SCRUBBED
    assert list(tmp_path.iterdir()) == []


def test_the_scrub_dir_counts_as_memory_backed_by_its_own_mount_only():
    mounts = "\n".join(
        [
            "overlay / overlay rw 0 0",
            "tmpfs /srv/mem tmpfs rw 0 0",
            "/dev/sda1 /srv/mem/disk ext4 rw 0 0",
            "ramfs /srv/ram\\040disk ramfs rw 0 0",
        ]
    )
    assert scrubbing.is_memory_backed("/srv/mem/masthead", mounts)
    assert not scrubbing.is_memory_backed("/srv/mem/disk/masthead", mounts)
    assert not scrubbing.is_memory_backed("/srv/memother", mounts)
    assert scrubbing.is_memory_backed("/srv/ram disk/x", mounts)
    assert not scrubbing.is_memory_backed("/var/data", mounts)


# --- Documents, with mat2 ---------------------------------------------------------------------


def mentions(data: bytes, text: str) -> bool:
    """Whether a PDF holds `text`, as plain bytes or as a UTF-16 string (Pillow writes those)."""
    return text.encode() in data or text.encode("utf-16-be") in data


def pdf_with_author() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(
        output, "PDF", author="Jane Source", title="Internal memo", creator="Ministry scanner"
    )
    return output.getvalue()


@needs_mat2
def test_mat2_removes_the_author_of_a_pdf_and_leaves_nothing_behind(memory_scrub_dir):
    original = pdf_with_author()
    assert mentions(original, "Jane Source")

    scrubbed = scrubbing.scrub(Attachment("memo.pdf", original))

    assert (scrubbed.treatment, scrubbed.note, scrubbed.name) == (SCRUBBED, "mat2", "memo.pdf")
    assert scrubbed.data.startswith(b"%PDF")
    for marker in ("Jane Source", "Internal memo", "Ministry scanner"):
        assert not mentions(scrubbed.data, marker)
    assert list(memory_scrub_dir.iterdir()) == []


@needs_mat2
def test_a_document_mat2_cannot_clean_arrives_untouched(memory_scrub_dir):
    broken = b"%PDF-1.4 this is not really a PDF /Author (Jane Source)"
    scrubbed = scrubbing.scrub(Attachment("memo.pdf", broken))
    assert (scrubbed.treatment, scrubbed.note) == (NOT_SCRUBBED, "cleaning failed")
    assert scrubbed.data == broken
    assert list(memory_scrub_dir.iterdir()) == []

    unknown = scrubbing.scrub(Attachment("memo.doc", b"\xd0\xcf\x11\xe0 old Word"))
    assert unknown.note == "this kind of file cannot be cleaned here"


@needs_mat2
def test_photos_stay_with_pillow_even_where_mat2_is_installed(memory_scrub_dir):
    # mat2 re-renders photos without applying their orientation: they would arrive sideways.
    scrubbed = scrubbing.scrub(Attachment("IMG_0003.jpg", photo_with_gps()))
    assert (scrubbed.treatment, scrubbed.note) == (SCRUBBED, "Pillow")
    with Image.open(io.BytesIO(scrubbed.data)) as image:
        assert image.size == (32, 64)


def test_a_stuck_cleaner_is_stopped_and_its_folder_deleted(memory_scrub_dir, tmp_path, monkeypatch):
    # A stand-in for a mat2 that hangs on a hostile file, after leaving files behind.
    stuck = tmp_path / "mat2"
    stuck.write_text(
        '#!/bin/sh\nfor f; do :; done\ncp "$f" "$f.cleaned.pdf"\n'
        'echo $$ > "' + str(tmp_path / "pid") + '"\nsleep 30 & wait\n'
    )
    stuck.chmod(0o755)
    monkeypatch.setattr(scrubbing, "MAT2_TIMEOUT_SECONDS", 0.5)
    with override_settings(MASTHEAD_TIPS_MAT2=str(stuck)):
        scrubbed = scrubbing.scrub(Attachment("memo.pdf", pdf_with_author()))
    assert (scrubbed.treatment, scrubbed.note) == (NOT_SCRUBBED, "cleaning failed")
    assert list(memory_scrub_dir.iterdir()) == []
    group = int((tmp_path / "pid").read_text())
    # The cleaner and what it started are gone. A killed process lingers in /proc for a moment
    # on a loaded machine, so wait a little for the kernel rather than looking only once.
    assert still_running_after(group, seconds=2.0) == []


def still_running_after(group: int, seconds: float) -> list[int]:
    """The processes of `group` still running once they have all gone, or `seconds` have
    passed, whichever comes first."""
    deadline = time.monotonic() + seconds
    running = running_in_group(group)
    while running and time.monotonic() < deadline:
        time.sleep(0.02)
        running = running_in_group(group)
    return running


def running_in_group(group: int) -> list[int]:
    """Processes of a process group that still run (not zombies waiting for init)."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            running.append(int(stat.parent.name))
    return running


def test_mat2s_sandbox_flag_is_read_the_way_the_installed_mat2_means_it(tmp_path, monkeypatch):
    # mat2 0.12-0.13.3 (Debian 12) define --no-sandbox with action="store_true" on "sandbox".
    inverted = tmp_path / "mat2-old"
    inverted.write_text("parser.add_argument('--no-sandbox', dest='sandbox', action='store_true',")
    fixed = tmp_path / "mat2-new"
    fixed.write_text("parser.add_argument('--no-sandbox', dest='sandbox', action='store_false',")
    for bwrap, old, new in [("/usr/bin/bwrap", ["--no-sandbox"], []), (None, [], ["--no-sandbox"])]:
        monkeypatch.setattr(scrubbing.shutil, "which", lambda name, found=bwrap: found)
        assert scrubbing._sandbox_flag(str(inverted)) == old
        assert scrubbing._sandbox_flag(str(fixed)) == new


# --- What the newsroom receives ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_newsroom_receives_the_photo_without_its_gps(newsroom_key):
    photo = scrubbing.scrub(Attachment("IMG_0001.jpg", photo_with_gps()))
    untouched = Attachment("IMG_0002.jpg", photo_with_gps())  # the source unchecked the box

    new = submissions.open_tip("Photos of the site.", [photo, untouched])

    stored = bytes(new.tip.messages.get().ciphertext)
    assert b"Jane Source" not in stored
    bundle = newsroom_key.open_bundle(stored)
    assert_no_hidden_data(bundle["files/IMG_0001.jpg"])
    with Image.open(io.BytesIO(bundle["files/IMG_0002.jpg"])) as image:
        assert image.getexif().get_ifd(GPS_IFD)  # the original, as evidence, when asked for
    about = bundle["about.txt"].decode()
    assert "files/IMG_0001.jpg: scrubbed (Pillow)" in about
    assert f"files/IMG_0002.jpg: {bundles.ORIGINAL}" in about
