"""``ldpm check`` on the corpus of semantically bad but sealed files, as a real process: one
line per file, each bad one INVALID with its sentence, exit 1; the good file OK."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.persistence.badfiles import CORPUS, make_corpus


def test_check_refuses_every_file_of_the_corpus(tmp_path: Path, demo_path: Path) -> None:
    corpus = make_corpus(demo_path, tmp_path / "corpus")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.values()}
    env = dict(os.environ, LDPM_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "ldpm", "check", str(demo_path), *map(str, corpus.values())],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 + len(corpus)
    assert lines[0].startswith(f"{demo_path}: OK — project ")
    for line, (case, path) in zip(lines[1:], corpus.items(), strict=True):
        assert line.startswith(f"{path}: INVALID — “{path.name}” "), line
        assert CORPUS[case].words in line, line
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in corpus.values()} == before
