"""Real Argos Translate packages with random weights, built in a blink, and pytest fixtures that
install them: the engines are tested with the real file format and runtime, offline.

A package is a SentencePiece tokenizer trained on generated text plus a CTranslate2 Transformer
whose weights come from a seeded random generator: the same arguments give the same archive and
the same (meaningless) translations. "tiny" models (d=32, 2+2 layers) translate in microseconds;
"base" models have Transformer-base dimensions (6+6 layers, d=512) for benchmarks.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import string
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np
import pytest
import sentencepiece
from ctranslate2.specs import common_spec, transformer_spec

from masthead.translation.engines import ENGLISH, engine_language, language_name

# Bump when the recipe changes, so cached archives built by an older recipe are not reused.
RECIPE = "2"
OTHER_LANGUAGES = ["zh-hans", "fr", "de", "it", "pt", "ru", "es"]
# The 14 pairs of the Argos index: English to and from every other Masthead language.
ENGLISH_PAIRS = [(ENGLISH, code) for code in OTHER_LANGUAGES] + [
    (code, ENGLISH) for code in OTHER_LANGUAGES
]


@dataclass(frozen=True)
class ModelSize:
    layers: int
    width: int
    ffn: int
    heads: int
    corpus_lines: int
    corpus_words: int
    vocabulary: int
    quantization: str | None
    # Whether translations end after ten or so tokens (see `_stop_after_a_few_tokens`); without
    # it random weights go on until the decoding limit.
    short_outputs: bool


SIZES = {
    "tiny": ModelSize(2, 32, 64, 4, 400, 300, 600, None, short_outputs=True),
    # The dimensions of a Transformer-base, as Argos models are assumed to have.
    "base": ModelSize(6, 512, 2048, 8, 40_000, 60_000, 32_000, "int8", short_outputs=False),
}
# Decoder positions the "short outputs" position table covers.
_POSITIONS = 1024

_COMMON_TEXT = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their has would when if more no out "
    "said what up its about into than them can only other new some could time these two may then "
    "do first any my now such like our over man me even most made after also did many before must "
    "through back years where much your way well down should because each just those people how "
    "too little state good very make world still own see men work long get here between both life "
    "being under never day same another know while last might us great old year off come since "
    "against go came right used take three inspector port public money records documents agency "
    "emails report minister council city police court union contract mayor"
)
_FOREIGN_TEXT = (
    "le la les des est une dans pour qui und der die das ist nicht mit los las del por para che "
    "per non não em uma который это не на что в 的 是 在 人 新闻 我们 港口 文件 ß é è à ç ñ ü ö € —"
)


def build_argos_package(
    directory: Path,
    from_code: str,
    to_code: str,
    *,
    seed: int = 0,
    size: str = "tiny",
    version: str = "0.0.1",
) -> Path:
    """Write `translate-<from>_<to>-<version>.argosmodel` into `directory`; its path.

    Codes are Masthead's; metadata.json holds Argos's ("zh" for "zh-hans"). Archives are cached
    in the system's temporary folder, so building the same one again is a file copy.
    """
    name = f"translate-{engine_language(from_code)}_{engine_language(to_code)}-" + version.replace(
        ".", "_"
    )
    cached = _cache_dir() / f"{name}-{size}-{seed}.argosmodel"
    if not cached.exists():
        _write_atomically(cached, _build_archive(name, from_code, to_code, seed, size, version))
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"{name}.argosmodel"
    shutil.copyfile(cached, archive)
    return archive


def _cache_dir() -> Path:
    key = f"{RECIPE}-{ctranslate2.__version__}-{sentencepiece.__version__}-{np.__version__}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"masthead-argos-models-{digest}"
    path.mkdir(exist_ok=True)
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-")
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def _build_archive(
    name: str, from_code: str, to_code: str, seed: int, size: str, version: str
) -> bytes:
    dimensions = SIZES[size]
    tokenizer = _tokenizer(size)
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = Path(scratch) / "model"
        model_dir.mkdir()
        _model_spec(tokenizer, dimensions, seed).save(str(model_dir))
        files = {path.name: path.read_bytes() for path in sorted(model_dir.iterdir())}
    metadata = {
        "package_version": version,
        "argos_version": "1.11.0",
        "from_code": engine_language(from_code),
        "from_name": language_name(from_code),
        "to_code": engine_language(to_code),
        "to_name": language_name(to_code),
        "type": "translate",
        "links": [],
    }
    entries = {
        "metadata.json": json.dumps(metadata, indent=2).encode(),
        "sentencepiece.model": tokenizer,
        "README.md": f"Random weights for Masthead's tests ({size}, seed {seed}).\n".encode(),
        **{f"model/{file}": data for file, data in files.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(f"{name}/", date_time=(2024, 1, 1, 0, 0, 0)), b"")
        for path, data in entries.items():
            info = zipfile.ZipInfo(f"{name}/{path}", date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


_tokenizers: dict[str, bytes] = {}


def _tokenizer(size: str) -> bytes:
    """A SentencePiece model trained on generated multilingual text (byte fallback: it encodes
    anything), shared by every package of a size."""
    if size not in _tokenizers:
        dimensions = SIZES[size]
        model = io.BytesIO()
        sentencepiece.SentencePieceTrainer.train(
            sentence_iterator=iter(_corpus(dimensions)),
            model_writer=model,
            vocab_size=dimensions.vocabulary,
            model_type="unigram",
            character_coverage=1.0,
            byte_fallback=True,
            hard_vocab_limit=False,
            num_threads=1,
            minloglevel=2,
        )
        _tokenizers[size] = model.getvalue()
    return _tokenizers[size]


def _corpus(dimensions: ModelSize) -> list[str]:
    generator = random.Random(0)  # noqa: S311 (made-up text, not secrets)
    common_words, foreign_words = _COMMON_TEXT.split(), _FOREIGN_TEXT.split()
    words = set(common_words) | set(foreign_words)
    while len(words) < dimensions.corpus_words:
        words.add("".join(generator.choices(string.ascii_lowercase, k=generator.randint(2, 9))))
    vocabulary = sorted(words)
    common = common_words * 3 + foreign_words
    lines = []
    for _ in range(dimensions.corpus_lines):
        count = generator.randint(4, 18)
        line = " ".join(
            generator.choice(common if generator.random() < 0.6 else vocabulary)
            for _ in range(count)
        )
        lines.append(line.capitalize() + generator.choice([".", ".", "?", "!", ",", " 72%.", "。"]))
    return lines


def _model_spec(
    tokenizer: bytes, dimensions: ModelSize, seed: int
) -> transformer_spec.TransformerSpec:
    processor = sentencepiece.SentencePieceProcessor(model_proto=tokenizer)
    vocabulary = [processor.id_to_piece(index) for index in range(processor.get_piece_size())]
    spec = transformer_spec.TransformerSpec.from_config(
        (dimensions.layers, dimensions.layers),
        dimensions.heads,
        pre_norm=True,
        activation=common_spec.Activation.RELU,
    )
    weights = _RandomWeights(seed, dimensions.width, dimensions.ffn, len(vocabulary))
    weights.embeddings(spec.encoder.embeddings[0])
    weights.embeddings(spec.decoder.embeddings)
    weights.layer_norm(spec.encoder.layer_norm)
    weights.layer_norm(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        weights.self_attention(layer.self_attention)
        weights.feed_forward(layer.ffn)
    for layer in spec.decoder.layer:
        weights.self_attention(layer.self_attention)
        weights.cross_attention(layer.attention)
        weights.feed_forward(layer.ffn)
    weights.linear(spec.decoder.projection, len(vocabulary), dimensions.width)
    _emit_words_only(spec, vocabulary)
    if dimensions.short_outputs:
        _stop_after_a_few_tokens(spec, vocabulary, dimensions.width)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=dimensions.quantization)
    return spec


def _emit_words_only(spec: transformer_spec.TransformerSpec, vocabulary: list[str]) -> None:
    """Never produce <unk>, <s> or byte pieces, so translations are words, not control bytes."""
    for index, piece in enumerate(vocabulary):
        if piece in ("<unk>", "<s>") or (piece.startswith("<0x") and piece.endswith(">")):
            spec.decoder.projection.bias[index] = -1e4


def _stop_after_a_few_tokens(
    spec: transformer_spec.TransformerSpec, vocabulary: list[str], width: int
) -> None:
    """Make the end-of-sentence token win after about ten decoding steps.

    The decoder's last dimension is given to the position alone: a table of position encodings
    (sinusoids elsewhere) holds the step number there, no embedding or layer writes to it, and
    only </s> reads it from the final layer, with a weight that outgrows the other tokens'
    scores as the step number grows.
    """
    last = width - 1
    positions = np.arange(_POSITIONS, dtype=np.float32)[:, None]
    frequencies = 1 / 10000 ** (np.arange(width // 2, dtype=np.float32) / (width // 2))
    table = np.concatenate([np.sin(positions * frequencies), np.cos(positions * frequencies)], 1)
    table[:, last] = positions[:, 0]
    spec.decoder.position_encodings.encodings = table.astype(np.float32)
    spec.decoder.embeddings.weight[:, last] = 0
    for layer in spec.decoder.layer:
        for output in (
            layer.self_attention.linear[1],
            layer.attention.linear[2],
            layer.ffn.linear_1,
        ):
            output.weight[last, :] = 0
            output.bias[last] = 0
    end = vocabulary.index("</s>")
    spec.decoder.projection.weight[:, last] = 0
    spec.decoder.projection.weight[end, last] = 5
    spec.decoder.projection.bias[end] = -20


class _RandomWeights:
    """Fills CTranslate2 layer specs with seeded random float32 weights."""

    def __init__(self, seed: int, width: int, ffn: int, vocabulary: int) -> None:
        self.random = np.random.default_rng(seed)
        self.width, self.ffn, self.vocabulary = width, ffn, vocabulary

    def matrix(self, rows: int, columns: int) -> np.ndarray:
        return self.random.normal(0, columns**-0.5, (rows, columns)).astype(np.float32)

    def embeddings(self, spec) -> None:
        spec.weight = self.matrix(self.vocabulary, self.width)

    def layer_norm(self, spec) -> None:
        spec.gamma = np.ones(self.width, dtype=np.float32)
        spec.beta = np.zeros(self.width, dtype=np.float32)

    def linear(self, spec, rows: int, columns: int) -> None:
        spec.weight = self.matrix(rows, columns)
        spec.bias = np.zeros(rows, dtype=np.float32)

    def self_attention(self, spec) -> None:
        self.layer_norm(spec.layer_norm)
        self.linear(spec.linear[0], 3 * self.width, self.width)  # queries, keys, values
        self.linear(spec.linear[1], self.width, self.width)

    def cross_attention(self, spec) -> None:
        self.layer_norm(spec.layer_norm)
        self.linear(spec.linear[0], self.width, self.width)  # queries
        self.linear(spec.linear[1], 2 * self.width, self.width)  # keys, values
        self.linear(spec.linear[2], self.width, self.width)

    def feed_forward(self, spec) -> None:
        self.layer_norm(spec.layer_norm)
        self.linear(spec.linear_0, self.ffn, self.width)
        self.linear(spec.linear_1, self.width, self.ffn)


@pytest.fixture(scope="session")
def argos_archives(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Tiny `.argosmodel` archives for the 14 English-centred pairs, each with its own weights."""
    directory = tmp_path_factory.mktemp("argos-archives")
    return {
        pair: build_argos_package(directory, *pair, seed=index)
        for index, pair in enumerate(ENGLISH_PAIRS)
    }


@pytest.fixture
def installed_argos_models(settings, tmp_path, argos_archives) -> Iterator[Path]:
    """The 14 tiny models installed (by the real installer) in a fresh models folder, with the
    Argos engine selected; yields the models folder."""
    from masthead.translation.engines import reset_engine
    from masthead.translation.packages import install_package

    models = tmp_path / "translation-models"
    settings.MASTHEAD_TRANSLATION_MODELS_DIR = models
    settings.MASTHEAD_TRANSLATION_ENGINE = "argos"
    reset_engine()
    for archive in argos_archives.values():
        install_package(archive, models)
    yield models
    reset_engine()
