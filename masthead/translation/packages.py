"""Argos Translate model packages on disk: checking and installing `.argosmodel` archives, and
listing the installed ones.

An `.argosmodel` file is a zip holding one folder: `metadata.json` (from_code, to_code,
package_version…), `model/` (a CTranslate2 model) and `sentencepiece.model`. Installing checks
all of that, and that the model loads, on a copy unpacked in a hidden folder inside the models
folder; only then does the package take its place (replacing an older one for the same pair).
Nothing is left behind when a check fails.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import ctranslate2
import sentencepiece
from django.conf import settings

from masthead.translation.engines import masthead_language, masthead_languages, pair_name

logger = logging.getLogger(__name__)

METADATA = "metadata.json"
MODEL = "model"
TOKENIZER = "sentencepiece.model"
_MAC_RESOURCES = "__MACOSX"
_STAGING_PREFIX = ".installing-"
_SYMLINK = 0o120000
_FILE_TYPE = 0o170000


class PackageError(Exception):
    """An archive or installed package that can't be used; the message names the problem."""


@dataclass(frozen=True)
class InstalledPackage:
    """An installed translation model for one pair of Masthead languages."""

    source: str
    target: str
    version: str
    name: str  # the package's folder name, e.g. "translate-en_fr-1_9"
    path: Path
    target_prefix: str = ""

    @property
    def label(self) -> str:
        """How routes and the status command name the model: "translate-en_fr-1_9 (1.9)"."""
        return f"{self.name} ({self.version})" if self.version else self.name

    @property
    def model_dir(self) -> Path:
        return self.path / MODEL

    @property
    def tokenizer_path(self) -> Path:
        return self.path / TOKENIZER


@dataclass
class PackageScan:
    """What the models folder holds: usable packages, and folders that can't be used (and why)."""

    packages: list[InstalledPackage] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (folder name, problem)


def models_dir() -> Path:
    return Path(settings.MASTHEAD_TRANSLATION_MODELS_DIR)


def scan_packages(directory: Path | None = None) -> PackageScan:
    """Read every package folder's metadata (no model is loaded). Where two folders hold the same
    pair, the newer version is used and the other is listed as a problem."""
    directory = directory if directory is not None else models_dir()
    scan = PackageScan()
    if not directory.is_dir():
        return scan
    by_pair: dict[tuple[str, str], InstalledPackage] = {}
    for folder in sorted(directory.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        try:
            package = read_package(folder)
        except PackageError as error:
            scan.problems.append((folder.name, str(error)))
            continue
        pair = (package.source, package.target)
        kept = by_pair.get(pair)
        if kept is not None and _version_key(kept.version) >= _version_key(package.version):
            package, kept = kept, package
        if kept is not None:
            scan.problems.append(
                (kept.name, f"Not used: {package.name} is a newer {pair_name(*pair)} model.")
            )
        by_pair[pair] = package
    scan.packages = sorted(by_pair.values(), key=lambda package: (package.source, package.target))
    return scan


def installed_packages(directory: Path | None = None) -> list[InstalledPackage]:
    """The usable installed packages; folders that can't be used are logged and skipped."""
    scan = scan_packages(directory)
    for name, problem in scan.problems:
        logger.warning("Skipping translation model folder %s: %s", name, problem)
    return scan.packages


def read_package(folder: Path) -> InstalledPackage:
    """The package in `folder`, from its metadata, once its files are there. Raises PackageError."""
    metadata_path = folder / METADATA
    if not metadata_path.is_file():
        raise PackageError(f"{folder.name} has no {METADATA}.")
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise PackageError(f"{METADATA} is not valid JSON ({error}).") from error
    if not isinstance(metadata, dict):
        raise PackageError(f"{METADATA} is not a JSON object.")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise PackageError(f'This is a "{kind}" package, not a translation model.')
    source = _language(metadata, "from_code")
    target = _language(metadata, "to_code")
    if source == target:
        raise PackageError(f"The model translates {source} into itself.")
    for required in (f"{MODEL}/model.bin", f"{MODEL}/config.json"):
        if not (folder / required).is_file():
            raise PackageError(f"The package has no {required}.")
    if not (folder / TOKENIZER).is_file():
        if (folder / "bpe.model").is_file():
            raise PackageError(
                "The package uses a BPE tokenizer (bpe.model), which Masthead does not support; "
                "use a SentencePiece package."
            )
        raise PackageError(f"The package has no {TOKENIZER}.")
    prefix = metadata.get("target_prefix") or ""
    return InstalledPackage(
        source=source,
        target=target,
        version=str(metadata.get("package_version") or ""),
        name=folder.name,
        path=folder,
        target_prefix=prefix if isinstance(prefix, str) else "",
    )


def install_package(archive: Path, directory: Path | None = None) -> InstalledPackage:
    """Check `archive` and install it into the models folder, replacing the package installed
    for the same pair (if any) once the new one has passed every check. Raises PackageError."""
    directory = directory if directory is not None else models_dir()
    with _open_archive(archive) as zip_file:
        members, top = _check_members(zip_file)
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=directory))
        try:
            _extract(zip_file, members, staging)
            package = read_package(staging / top)
            check_loadable(package)
            return _move_into_place(package, directory, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def check_loadable(package: InstalledPackage) -> None:
    """Load the tokenizer and the model once, so a damaged one is refused. Raises PackageError."""
    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package.tokenizer_path))
    except (OSError, RuntimeError) as error:
        raise PackageError(f"{TOKENIZER} could not be loaded ({error}).") from error
    if not ctranslate2.contains_model(str(package.model_dir)):
        raise PackageError(f"{MODEL}/ is not a CTranslate2 model.")
    try:
        translator = ctranslate2.Translator(
            str(package.model_dir), device="cpu", inter_threads=1, intra_threads=1
        )
    except (RuntimeError, ValueError, OSError) as error:
        raise PackageError(f"The model in {MODEL}/ could not be loaded ({error}).") from error
    translator.unload_model()


def _open_archive(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise PackageError(f"{archive} is not a file.")
    if not zipfile.is_zipfile(archive):
        raise PackageError(f"{archive.name} is not a zip archive (an .argosmodel file is one).")
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageError(f"{archive.name} could not be opened ({error}).") from error


def _check_members(zip_file: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], str]:
    """The members to extract (macOS resource forks left out) and the one top-level folder."""
    members = []
    tops = set()
    for member in zip_file.infolist():
        name = member.filename
        path = PurePosixPath(name)
        if not path.parts:
            raise PackageError(f"The archive holds a file with no name: {name!r}")
        if name.startswith("/") or "\\" in name or re.match(r"[A-Za-z]:", name):
            raise PackageError(f"The archive holds a file with an absolute path: {name}")
        if ".." in path.parts:
            raise PackageError(f"The archive holds a file outside its folder: {name}")
        if (member.external_attr >> 16) & _FILE_TYPE == _SYMLINK:
            raise PackageError(f"The archive holds a symbolic link: {name}")
        if path.parts[0] == _MAC_RESOURCES:
            continue
        if len(path.parts) == 1 and not member.is_dir():
            raise PackageError(f"The archive holds a file outside a package folder: {name}")
        tops.add(path.parts[0])
        members.append(member)
    if len(tops) != 1:
        found = ", ".join(sorted(tops)) or "none"
        raise PackageError(f"The archive must hold exactly one package folder (found: {found}).")
    top = tops.pop()
    if top.startswith("."):
        raise PackageError(f"The package folder's name can't start with a dot: {top}")
    limit_mb = settings.MASTHEAD_TRANSLATION_MAX_PACKAGE_MB
    size = sum(member.file_size for member in members)
    if size > limit_mb * 1024 * 1024:
        raise PackageError(
            f"The package unpacks to {size / 1024 / 1024:.1f} MB, more than the "
            f"{limit_mb} MB allowed (MASTHEAD_TRANSLATION_MAX_PACKAGE_MB)."
        )
    return members, top


def _extract(zip_file: zipfile.ZipFile, members: list[zipfile.ZipInfo], into: Path) -> None:
    """Write the members under `into` as plain files and folders (no modes, no links)."""
    root = into.resolve()
    for member in members:
        destination = (root / member.filename).resolve()
        if not destination.is_relative_to(root):
            raise PackageError(f"The archive holds a file outside its folder: {member.filename}")
        if member.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zip_file.open(member) as source, destination.open("wb") as target:
                shutil.copyfileobj(source, target)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            raise PackageError(f"The archive is damaged ({member.filename}: {error}).") from error


def _move_into_place(package: InstalledPackage, directory: Path, staging: Path) -> InstalledPackage:
    """Put the checked package in the models folder; the packages it replaces go to `staging`
    (deleted by the caller), and come back if the move fails."""
    final = directory / package.name
    replaced = [
        installed.path
        for installed in scan_packages(directory).packages
        if (installed.source, installed.target) == (package.source, package.target)
    ]
    if final.exists() and final not in replaced:
        replaced.append(final)
    moved_aside: list[tuple[Path, Path]] = []
    try:
        for index, old in enumerate(replaced):
            aside = staging / f"replaced-{index}"
            old.rename(aside)
            moved_aside.append((aside, old))
        package.path.rename(final)
    except OSError as error:
        for aside, old in reversed(moved_aside):
            aside.rename(old)
        raise PackageError(f"The package could not be moved into {directory} ({error}).") from error
    return read_package(final)


def _language(metadata: dict, key: str) -> str:
    code = metadata.get(key)
    if not isinstance(code, str) or not code:
        raise PackageError(f"{METADATA} has no {key}.")
    language = masthead_language(code)
    if language is None:
        raise PackageError(
            f"{METADATA} has {key} {code!r}, which is not one of Masthead's languages "
            f"({', '.join(masthead_languages())})."
        )
    return language


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", version))
