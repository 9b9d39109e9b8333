"""Finding an export's images in a media folder or on the web, and importing each file once."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from masthead.wordpress import media
from masthead.wordpress.bodies import ImageRequest
from masthead.wordpress.media import Attachment, MediaLibrary
from masthead.wordpress.models import ImportedItem

SITE = "https://old.example.org"
UPLOADS = f"{SITE}/wp-content/uploads"
POST = 'post 12 "Harbour news"'

Image = get_image_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site_dir(tmp_path) -> Path:
    """A copy of a WordPress site's files; its uploads are in wp-content/uploads."""
    (tmp_path / "site" / "wp-content" / "uploads").mkdir(parents=True)
    return tmp_path / "site"


@pytest.fixture
def uploads(site_dir) -> Path:
    return site_dir / "wp-content" / "uploads"


def picture_bytes(size=(40, 30), kind="JPEG") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (20, 90, 160)).save(buffer, kind)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG cut in half: its header says 400 by 300, its picture data ends early."""
    whole = picture_bytes(size=(400, 300))
    return whole[: len(whole) // 2]


def write_picture(path: Path, size=(40, 30), kind="JPEG") -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = picture_bytes(size, kind)
    path.write_bytes(data)
    return data


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def harbour(wp_id=7, url=f"{UPLOADS}/2024/05/harbour.jpg", **fields) -> Attachment:
    values = {
        "title": "Harbour at dawn",
        "alt": "Fishing boats moored in the harbour",
        "caption": "The harbour this morning.",
        "description": "",
        "parent_id": 12,
        "link": f"{SITE}/2024/05/harbour-news/harbour/",
    }
    return Attachment(wp_id=wp_id, url=url, **(values | fields))


def by_id(wp_id: int, alt="") -> ImageRequest:
    return ImageRequest(url="", attachment_id=wp_id, alt=alt, caption="")


def by_url(url: str, alt="") -> ImageRequest:
    return ImageRequest(url=url, attachment_id=None, alt=alt, caption="")


def library(media_dir: Path | None, *, fetch=False, dry_run=False, site=SITE) -> MediaLibrary:
    return MediaLibrary(site=site, media_dir=media_dir, fetch=fetch, dry_run=dry_run)


# --- Finding files ----------------------------------------------------------------------------


def test_an_attachment_becomes_an_image_with_its_title_alt_text_and_file(db, uploads):
    original = write_picture(uploads / "2024/05/harbour.jpg", size=(80, 60))
    images = library(uploads)
    images.add_attachment(harbour())

    image = images.finder(POST)(by_id(7))

    assert image.pk is not None
    assert (image.title, image.description) == (
        "Harbour at dawn",
        "Fishing boats moored in the harbour",
    )
    assert (image.width, image.height) == (80, 60)
    with image.open_file() as stored:
        assert stored.read() == original
    assert image.file_size == len(original) and image.file_hash
    remembered = ImportedItem.objects.get(site=SITE, kind="attachment", key="7")
    assert remembered.target == image
    assert (images.imported, images.reused, images.missing) == (1, 0, {})
    assert images.attachment(7).caption == "The harbour this morning."


def test_the_featured_image_is_found_by_attachment_id(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    images = library(uploads)
    images.add_attachment(harbour())

    image = images.featured(7, POST)

    assert image.title == "Harbour at dawn"
    assert Image.objects.count() == 1


def test_a_body_image_without_attachment_is_found_by_url_and_named_after_its_file(db, uploads):
    write_picture(uploads / "2023/11/chart.png", kind="PNG")
    images = library(uploads)

    image = images.finder(POST)(by_url(f"{UPLOADS}/2023/11/chart.png", alt="Rents since 2010"))

    assert (image.title, image.description) == ("chart.png", "Rents since 2010")
    assert ImportedItem.objects.get(key="file:2023/11/chart.png").object_id == image.pk


def test_an_attachment_without_alt_text_takes_the_body_images_alt_text(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    images = library(uploads)
    images.add_attachment(harbour(alt="", title=""))

    image = images.finder(POST)(by_id(7, alt="The harbour at low tide"))

    assert (image.title, image.description) == ("harbour.jpg", "The harbour at low tide")


def test_the_image_description_is_the_attachments_alt_text_not_one_posts(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    images = library(uploads)
    images.add_attachment(harbour())

    image = images.finder(POST)(by_id(7, alt="Our harbour, where the story starts"))

    assert image.description == "Fishing boats moored in the harbour"


def test_a_url_with_encoded_characters_is_found(db, uploads):
    write_picture(uploads / "2024/05/café crème.jpg")

    image = library(uploads).finder(POST)(by_url(f"{UPLOADS}/2024/05/caf%C3%A9%20cr%C3%A8me.jpg"))

    assert image is not None and image.title == "café crème.jpg"


def test_a_resized_copy_gives_the_original(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg", size=(800, 600))
    write_picture(uploads / "2024/05/harbour-300x225.jpg", size=(300, 225))

    image = library(uploads).finder(POST)(by_url(f"{UPLOADS}/2024/05/harbour-300x225.jpg"))

    assert (image.width, image.height) == (800, 600)


def test_a_resized_copy_without_its_original_is_used_itself(db, uploads):
    write_picture(uploads / "2024/05/harbour-300x225.jpg", size=(300, 225))

    image = library(uploads).finder(POST)(by_url(f"{UPLOADS}/2024/05/harbour-300x225.jpg"))

    assert (image.width, image.height) == (300, 225)


def test_a_scaled_attachment_is_found_from_either_file(db, uploads):
    write_picture(uploads / "2024/05/big.jpg", size=(900, 600))
    images = library(uploads)
    images.add_attachment(harbour(wp_id=8, url=f"{UPLOADS}/2024/05/big-scaled.jpg"))

    assert images.featured(8, POST).width == 900


def test_a_body_image_of_an_attachment_is_the_attachments_image(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg", size=(800, 600))
    write_picture(uploads / "2024/05/harbour-1024x768.jpg", size=(1024, 768))
    images = library(uploads)
    images.add_attachment(harbour())

    featured = images.featured(7, POST)
    in_body = images.finder(POST)(by_url(f"{UPLOADS}/2024/05/harbour-1024x768.jpg"))

    assert in_body == featured and in_body.title == "Harbour at dawn"
    assert Image.objects.count() == 1
    assert (images.imported, images.reused) == (1, 1)


@pytest.mark.parametrize(
    ("given", "uploads"),
    [
        ("site/wp-content/uploads", "site/wp-content/uploads"),
        ("site", "site/wp-content/uploads"),
        ("backup", "backup/uploads"),
    ],
    ids=["the uploads folder", "the site's folder", "a folder with uploads in it"],
)
def test_the_media_folder_may_be_the_uploads_or_a_folder_above_it(db, tmp_path, given, uploads):
    write_picture(tmp_path / uploads / "2024/05/harbour.jpg")
    images = library(tmp_path / given)
    images.add_attachment(harbour())

    assert images.featured(7, POST) is not None


def test_a_media_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        library(tmp_path / "nowhere")


# --- What cannot be used ----------------------------------------------------------------------


def test_without_a_media_folder_images_are_reported_missing(db):
    images = library(None)
    images.add_attachment(harbour())

    assert images.featured(7, POST) is None

    missing = images.missing[f"{UPLOADS}/2024/05/harbour.jpg"]
    assert (missing.reason, missing.used_by) == ("no --media-dir given", [POST])
    assert images.imported == 0 and not Image.objects.exists()


def test_a_file_not_in_the_media_folder_is_reported_once_with_who_uses_it(db, uploads):
    images = library(uploads)
    url = f"{UPLOADS}/2024/05/lost.jpg"
    for number in range(1, 9):
        images.finder(f'post {number} "Story {number}"')(by_url(url))
    images.finder('post 1 "Story 1"')(by_url(url))

    assert list(images.missing) == [url]
    missing = images.missing[url]
    assert missing.reason == "not in the media folder"
    assert missing.used_by == [f'post {n} "Story {n}"' for n in range(1, 6)]
    assert missing.also_used_by == 3


def test_an_attachment_id_the_export_lacks_falls_back_to_the_url(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    images = library(uploads)
    images.add_attachment(harbour())
    request = ImageRequest(
        url=f"{UPLOADS}/2024/05/harbour-300x225.jpg", attachment_id=70, alt="", caption=""
    )

    assert images.finder(POST)(request) == images.featured(7, POST)
    assert images.missing == {} and Image.objects.count() == 1


def test_an_attachment_id_the_export_lacks_is_reported(db, uploads):
    images = library(uploads)

    assert images.featured(99, POST) is None
    assert images.missing["attachment 99"].reason == "attachment 99 is not in the export"


@pytest.mark.parametrize(
    "content",
    [b"<html>Not found</html>", truncated_jpeg()],
    ids=["text named .jpg", "truncated JPEG"],
)
def test_a_file_that_is_not_a_readable_image_is_reported_and_nothing_is_stored(
    db, uploads, media_root, content
):
    (uploads / "2024/05").mkdir(parents=True)
    (uploads / "2024/05/harbour.jpg").write_bytes(content)
    images = library(uploads)
    images.add_attachment(harbour())

    assert images.featured(7, POST) is None

    assert images.missing[f"{UPLOADS}/2024/05/harbour.jpg"].reason.startswith("not an image file (")
    assert not Image.objects.exists() and not ImportedItem.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "path", ["../../secret.jpg", "%2e%2e/%2E%2E/secret.jpg", "2024/../../../secret.jpg"]
)
def test_a_url_cannot_lead_out_of_the_media_folder(db, uploads, site_dir, path):
    write_picture(site_dir / "secret.jpg")
    images = library(uploads)

    assert images.finder(POST)(by_url(f"{UPLOADS}/{path}")) is None

    assert images.missing[f"{UPLOADS}/{path}"].reason == "its path leads outside the media folder"
    assert not Image.objects.exists()


def test_a_link_in_the_media_folder_cannot_lead_out_of_it(db, uploads, site_dir):
    write_picture(site_dir / "secret.jpg")
    (uploads / "linked.jpg").symlink_to(site_dir / "secret.jpg")

    assert library(uploads).finder(POST)(by_url(f"{UPLOADS}/linked.jpg")) is None
    assert not Image.objects.exists()


def test_a_failed_save_leaves_no_image_and_no_file(db, uploads, media_root, monkeypatch):
    write_picture(uploads / "2024/05/harbour.jpg")
    images = library(uploads)
    images.add_attachment(harbour())

    def disk_full(**kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ImportedItem.objects, "update_or_create", disk_full)

    assert images.featured(7, POST) is None

    assert "No space left on device" in images.missing[harbour().url].reason
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


# --- Importing once ---------------------------------------------------------------------------


def test_the_same_image_asked_for_again_is_reused_without_a_query(
    db, uploads, django_assert_num_queries
):
    write_picture(uploads / "2024/05/harbour.jpg")
    write_picture(uploads / "2023/11/chart.png", kind="PNG")
    images = library(uploads)
    images.add_attachment(harbour())
    find = images.finder(POST)
    first, chart = find(by_id(7)), find(by_url(f"{UPLOADS}/2023/11/chart.png"))

    with django_assert_num_queries(0):
        again = images.finder('post 13 "More"')(by_id(7))
        chart_again = find(by_url(f"{UPLOADS}/2023/11/chart.png"))
        assert images.featured(7, POST) == first

    assert (again, chart_again) == (first, chart)
    assert (images.imported, images.reused) == (2, 3)
    assert Image.objects.count() == 2


def test_a_second_import_reuses_the_images_of_the_first(db, uploads, media_root):
    write_picture(uploads / "2024/05/harbour.jpg")
    write_picture(uploads / "2023/11/chart.png", kind="PNG")
    first_run = library(uploads)
    first_run.add_attachment(harbour())
    featured = first_run.featured(7, POST)
    chart = first_run.finder(POST)(by_url(f"{UPLOADS}/2023/11/chart.png"))
    files = stored_files(media_root)

    second_run = library(uploads)
    second_run.add_attachment(harbour())

    assert second_run.featured(7, POST) == featured
    assert second_run.finder(POST)(by_url(f"{UPLOADS}/2023/11/chart-300x200.png")) == chart
    assert (second_run.imported, second_run.reused) == (0, 2)
    assert Image.objects.count() == 2 and stored_files(media_root) == files


def test_a_second_import_needs_no_media_folder_for_images_it_has(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    first_run = library(uploads)
    first_run.add_attachment(harbour())
    featured = first_run.featured(7, POST)

    second_run = library(None)
    second_run.add_attachment(harbour())

    assert second_run.featured(7, POST) == featured
    assert second_run.missing == {}


def test_an_image_deleted_since_the_last_import_is_imported_again(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    first_run = library(uploads)
    first_run.add_attachment(harbour())
    first_run.featured(7, POST).delete()

    second_run = library(uploads)
    second_run.add_attachment(harbour())
    image = second_run.featured(7, POST)

    assert image.pk is not None and Image.objects.get() == image
    assert (second_run.imported, second_run.reused) == (1, 0)
    assert ImportedItem.objects.get(key="7").object_id == image.pk


def test_other_sites_images_are_not_reused(db, uploads):
    write_picture(uploads / "2024/05/harbour.jpg")
    first_site = library(uploads)
    first_site.add_attachment(harbour())
    first_site.featured(7, POST)

    other_site = library(uploads, site="https://other.example.net")
    other_site.add_attachment(harbour())

    assert other_site.featured(7, POST) is not None
    assert other_site.imported == 1 and Image.objects.count() == 2


# --- Dry run ----------------------------------------------------------------------------------


def run_through(images: MediaLibrary) -> list:
    images.add_attachment(harbour())
    find = images.finder(POST)
    return [
        images.featured(7, POST),
        find(by_url(f"{UPLOADS}/2024/05/harbour-300x225.jpg")),
        find(by_url(f"{UPLOADS}/2023/11/chart.png", alt="Rents since 2010")),
        find(by_url(f"{UPLOADS}/2024/05/lost.jpg")),
        find(by_url(f"{UPLOADS}/2024/05/notes.jpg")),
    ]


def test_a_dry_run_writes_nothing_but_reports_what_a_real_run_would(db, uploads, media_root):
    write_picture(uploads / "2024/05/harbour.jpg", size=(80, 60))
    write_picture(uploads / "2023/11/chart.png", kind="PNG")
    (uploads / "2024/05/notes.jpg").write_text("meeting notes")

    dry = library(uploads, dry_run=True)
    found = run_through(dry)

    assert not Image.objects.exists() and not ImportedItem.objects.exists()
    assert stored_files(media_root) == []
    featured, resized, chart, lost, notes = found
    assert featured.pk is None and (featured.title, featured.width) == ("Harbour at dawn", 80)
    assert resized is featured
    assert (chart.title, chart.description) == ("chart.png", "Rents since 2010")
    assert lost is None and notes is None

    real = library(uploads)
    run_through(real)
    assert (dry.imported, dry.reused) == (real.imported, real.reused) == (2, 1)
    assert {url: entry.reason for url, entry in dry.missing.items()} == {
        url: entry.reason for url, entry in real.missing.items()
    }


# --- Downloads --------------------------------------------------------------------------------


class OldSite(BaseHTTPRequestHandler):
    """The old WordPress site, still up: one image, a removed one, a page, and some tricks."""

    png = picture_bytes(size=(50, 40), kind="PNG")
    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        answers = {
            "/wp-content/uploads/2024/05/harbour.png": (200, "image/png", self.png),
            "/wp-content/uploads/2024/05/page.jpg": (200, "text/html", b"<p>Sign in</p>"),
            "/wp-content/uploads/2024/05/fake.jpg": (200, "image/jpeg", b"<p>Sign in</p>"),
            "/wp-content/uploads/2024/05/moved.png": (301, "", b""),
            "/wp-content/uploads/2024/05/to-ftp.png": (302, "", b""),
            "/image?id=5": (200, "image/png", self.png),
        }
        status, content_type, body = answers.get(self.path, (404, "text/html", b"Not found"))
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/wp-content/uploads/2024/05/harbour.png")
        if status == 302:
            self.send_header("Location", "ftp://127.0.0.1/harbour.png")
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def old_site(monkeypatch):
    """The old WordPress site, on loopback (which downloads are normally refused)."""
    monkeypatch.setattr(media, "ALLOW_PRIVATE_HOSTS", True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    OldSite.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_media_downloads_an_image_from_the_old_site(db, old_site):
    images = library(None, fetch=True, site=old_site)
    images.add_attachment(harbour(url=f"{old_site}/wp-content/uploads/2024/05/harbour.png"))

    image = images.featured(7, POST)

    assert image.pk is not None and (image.width, image.height) == (50, 40)
    with image.open_file() as stored:
        assert stored.read() == OldSite.png
    assert images.imported == 1 and images.missing == {}


def test_fetch_media_follows_redirects_relative_urls_and_names_files_by_their_format(db, old_site):
    images = library(None, fetch=True, site=old_site)
    find = images.finder(POST)

    moved = find(by_url("/wp-content/uploads/2024/05/moved.png"))
    no_name = find(by_url(f"{old_site}/image?id=5"))

    assert moved.width == 50 and moved.title == "moved.png"
    assert no_name.file.name.endswith(".png")
    assert images.missing == {}


def test_fetch_media_is_the_fallback_for_files_not_in_the_media_folder(db, old_site, uploads):
    images = library(uploads, fetch=True, site=old_site)

    image = images.finder(POST)(by_url(f"{old_site}/wp-content/uploads/2024/05/harbour.png"))

    assert image is not None and OldSite.requests == ["/wp-content/uploads/2024/05/harbour.png"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("gone.jpg", "download failed: HTTP 404"),
        ("page.jpg", "download failed: not an image (Content-Type text/html)"),
        ("fake.jpg", "not an image file ("),
        ("to-ftp.png", "download failed: redirected to a non-web address"),
    ],
)
def test_a_download_that_is_no_image_is_reported(db, old_site, media_root, path, reason):
    url = f"{old_site}/wp-content/uploads/2024/05/{path}"
    images = library(None, fetch=True, site=old_site)

    assert images.finder(POST)(by_url(url)) is None

    assert images.missing[url].reason.startswith(reason)
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_a_download_over_the_size_limit_is_reported(db, old_site, monkeypatch):
    monkeypatch.setattr(media, "MAX_DOWNLOAD_BYTES", 100)
    url = f"{old_site}/wp-content/uploads/2024/05/harbour.png"
    images = library(None, fetch=True, site=old_site)

    assert images.finder(POST)(by_url(url)) is None
    assert "larger than" in images.missing[url].reason


def test_a_non_web_address_is_not_fetched(db):
    images = library(None, fetch=True)

    assert images.finder(POST)(by_url("file:///etc/hostname")) is None
    assert images.missing["file:///etc/hostname"].reason == (
        "not downloaded: not an http or https address"
    )


def test_without_fetch_media_nothing_is_downloaded(db, old_site, uploads):
    url = f"{old_site}/wp-content/uploads/2024/05/harbour.png"

    assert library(uploads, site=old_site).finder(POST)(by_url(url)) is None
    assert library(None, site=old_site).finder(POST)(by_url(url)) is None

    assert OldSite.requests == []


def test_a_dry_run_with_fetch_media_counts_without_downloading(db, old_site):
    images = library(None, fetch=True, dry_run=True, site=old_site)

    image = images.finder(POST)(by_url(f"{old_site}/wp-content/uploads/2024/05/harbour.png"))

    assert image.pk is None and image.title == "harbour.png"
    assert images.imported == 1 and OldSite.requests == []
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/uploads/harbour.png",
        "http://localhost:{port}/uploads/harbour.png",
        "http://169.254.169.254/latest/meta-data/x.png",
        "http://[::1]:{port}/uploads/harbour.png",
        "http://10.0.0.7/uploads/harbour.png",
    ],
)
def test_addresses_only_the_server_can_reach_are_never_fetched(db, url):
    """An export naming a loopback, private or cloud-metadata address must not make the
    server fetch it (and publish what it got)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    OldSite.requests = []
    try:
        url = url.format(port=server.server_address[1])
        library = MediaLibrary(site=SITE, media_dir=None, fetch=True, dry_run=False)
        found = library.finder('post 1 "Story"')(ImageRequest(url, None, "", ""))
    finally:
        server.shutdown()
        server.server_close()
    assert found is None
    assert "private or local address" in library.missing[url].reason
    assert OldSite.requests == []
