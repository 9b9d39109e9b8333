"""Installing `.argosmodel` archives: what is refused, what replaces what, what is listed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from masthead.testing.argos import build_argos_package
from masthead.translation.packages import (
    PackageError,
    install_package,
    installed_packages,
    scan_packages,
)

TOP = "translate-en_fr-0_0_1"


def read_members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zip_file:
        return {info.filename: zip_file.read(info) for info in zip_file.infolist()}


def write_archive(path: Path, members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as zip_file:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            zip_file.writestr(info, data)
    return path


@pytest.fixture
def archive(tmp_path, argos_archives) -> Path:
    return argos_archives[("en", "fr")]


@pytest.fixture
def models(tmp_path) -> Path:
    return tmp_path / "models"


def leftovers(models: Path) -> list[str]:
    return sorted(path.name for path in models.iterdir()) if models.exists() else []


def test_an_archive_installs_as_its_folder(archive, models):
    package = install_package(archive, models)
    assert (package.source, package.target, package.version) == ("en", "fr", "0.0.1")
    assert package.path == models / TOP
    assert package.label == f"{TOP} (0.0.1)"
    assert (models / TOP / "model" / "model.bin").is_file()
    assert leftovers(models) == [TOP]
    assert installed_packages(models) == [package]


def test_chinese_is_zh_in_packages_and_zh_hans_in_masthead(tmp_path, models):
    package = install_package(build_argos_package(tmp_path, "zh-hans", "en"), models)
    assert (package.source, package.target, package.name) == (
        "zh-hans",
        "en",
        "translate-zh_en-0_0_1",
    )


def bad(members: dict[str, bytes], change: str) -> dict[str, bytes]:
    """The members of a good archive, damaged in one way."""
    members = dict(members)
    metadata = json.loads(members[f"{TOP}/metadata.json"])
    if change == "two top folders":
        members["other-package/README.md"] = b"hi"
    elif change == "file beside the folder":
        members["README.md"] = b"hi"
    elif change == "parent member":
        members[f"{TOP}/../escaped.txt"] = b"hi"
    elif change == "absolute member":
        members["/masthead-absolute.txt"] = b"hi"
    elif change.startswith("no "):
        del members[f"{TOP}/{change.removeprefix('no ')}"]
    elif change == "bad json":
        members[f"{TOP}/metadata.json"] = b"{not json"
    elif change == "wrong type":
        members[f"{TOP}/metadata.json"] = json.dumps({**metadata, "type": "sbd"}).encode()
    elif change == "unknown language":
        members[f"{TOP}/metadata.json"] = json.dumps({**metadata, "to_code": "ja"}).encode()
    elif change == "traditional chinese":
        members[f"{TOP}/metadata.json"] = json.dumps({**metadata, "to_code": "zt"}).encode()
    elif change == "missing from_code":
        members[f"{TOP}/metadata.json"] = json.dumps({**metadata, "from_code": None}).encode()
    elif change == "corrupt model.bin":
        members[f"{TOP}/model/model.bin"] = b"\x00garbage" * 1000
    elif change == "truncated model.bin":
        model = members[f"{TOP}/model/model.bin"]
        members[f"{TOP}/model/model.bin"] = model[: len(model) // 2]
    elif change == "corrupt sentencepiece.model":
        members[f"{TOP}/sentencepiece.model"] = b"not a tokenizer"
    elif change == "bpe instead of sentencepiece":
        members[f"{TOP}/bpe.model"] = members.pop(f"{TOP}/sentencepiece.model")
    else:
        raise AssertionError(change)
    return members


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("two top folders", "one package folder"),
        ("file beside the folder", "README.md"),
        ("parent member", "escaped.txt"),
        ("absolute member", "absolute"),
        ("no metadata.json", "metadata.json"),
        ("no model/model.bin", "model.bin"),
        ("no model/config.json", "config.json"),
        ("no sentencepiece.model", "sentencepiece.model"),
        ("bad json", "JSON"),
        ("wrong type", "sbd"),
        ("unknown language", "ja"),
        ("traditional chinese", "zt"),
        ("missing from_code", "from_code"),
        ("corrupt model.bin", "model"),
        ("truncated model.bin", "model"),
        ("corrupt sentencepiece.model", "sentencepiece.model"),
        ("bpe instead of sentencepiece", "bpe.model"),
    ],
)
def test_a_bad_archive_is_refused_and_leaves_nothing(tmp_path, archive, models, change, named):
    damaged = write_archive(tmp_path / "damaged.argosmodel", bad(read_members(archive), change))
    with pytest.raises(PackageError) as refused:
        install_package(damaged, models)
    assert named in str(refused.value)
    assert leftovers(models) == []
    assert not (tmp_path / "escaped.txt").exists()


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, models):
    text = tmp_path / "notes.argosmodel"
    text.write_text("not a zip")
    with pytest.raises(PackageError, match="not a zip"):
        install_package(text, models)
    with pytest.raises(PackageError, match="not a file"):
        install_package(tmp_path / "missing.argosmodel", models)
    assert leftovers(models) == []


def test_a_symbolic_link_is_refused(tmp_path, archive, models):
    members = {**read_members(archive), f"{TOP}/link": b"/etc/passwd"}
    linked = write_archive(tmp_path / "linked.argosmodel", members, symlinks=(f"{TOP}/link",))
    with pytest.raises(PackageError, match="link"):
        install_package(linked, models)
    assert leftovers(models) == []


def test_an_archive_too_large_unpacked_is_refused(settings, archive, models):
    settings.MASTHEAD_TRANSLATION_MAX_PACKAGE_MB = 0
    with pytest.raises(PackageError, match="MASTHEAD_TRANSLATION_MAX_PACKAGE_MB"):
        install_package(archive, models)
    assert leftovers(models) == []


def test_mac_resource_forks_are_ignored(tmp_path, archive, models):
    members = {**read_members(archive), "__MACOSX/._translate": b"\x00\x05\x16\x07"}
    package = install_package(write_archive(tmp_path / "mac.argosmodel", members), models)
    assert leftovers(models) == [package.name]


def test_a_newer_package_replaces_the_older_one_for_its_pair(tmp_path, models):
    old = install_package(build_argos_package(tmp_path / "a", "en", "fr", version="1.0"), models)
    new = install_package(
        build_argos_package(tmp_path / "b", "en", "fr", version="1.1", seed=5), models
    )
    assert (new.name, new.version) == ("translate-en_fr-1_1", "1.1")
    assert not old.path.exists()
    assert leftovers(models) == [new.name]
    assert installed_packages(models) == [new]


def test_reinstalling_the_same_name_replaces_its_files(tmp_path, models):
    first = build_argos_package(tmp_path / "a", "en", "fr", seed=1)
    second = build_argos_package(tmp_path / "b", "en", "fr", seed=2)
    install_package(first, models)
    package = install_package(second, models)
    assert (package.path / "model" / "model.bin").read_bytes() == read_members(second)[
        f"{TOP}/model/model.bin"
    ]
    assert leftovers(models) == [TOP]


def test_a_failed_reinstall_keeps_the_installed_package(tmp_path, archive, models):
    installed = install_package(archive, models)
    model = (installed.path / "model" / "model.bin").read_bytes()
    damaged = write_archive(
        tmp_path / "damaged.argosmodel", bad(read_members(archive), "corrupt model.bin")
    )
    with pytest.raises(PackageError):
        install_package(damaged, models)
    assert leftovers(models) == [TOP]
    assert (installed.path / "model" / "model.bin").read_bytes() == model


def test_unusable_folders_are_reported_not_fatal(tmp_path, archive, models):
    install_package(archive, models)
    (models / "__MACOSX").mkdir()
    (models / "half-copied").mkdir()
    (models / "half-copied" / "metadata.json").write_text("{")
    (models / ".installing-abc").mkdir()  # an install in progress elsewhere
    (models / "stray-file.txt").write_text("")
    scan = scan_packages(models)
    assert [package.name for package in scan.packages] == [TOP]
    assert sorted(folder for folder, _problem in scan.problems) == ["__MACOSX", "half-copied"]
    assert [package.name for package in installed_packages(models)] == [TOP]


def test_of_two_folders_for_one_pair_the_newer_is_used(tmp_path, models):
    install_package(build_argos_package(tmp_path / "a", "en", "fr", version="1.9"), models)
    newer = tmp_path / "b"
    install_package(build_argos_package(newer, "en", "fr", version="1.10"), newer / "models")
    (newer / "models" / "translate-en_fr-1_10").rename(models / "translate-en_fr-1_10")
    scan = scan_packages(models)
    assert [package.version for package in scan.packages] == ["1.10"]
    assert [folder for folder, _problem in scan.problems] == ["translate-en_fr-1_9"]
