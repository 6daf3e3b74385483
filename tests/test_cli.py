"""The `hrbot` command line, run in-process with click's CliRunner over the hash encoder."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.config import ROOT
from tests.conftest import seed_triage

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    # The commands point the root logger at the runner's stderr, which is closed once the command returns.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def hash_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("BOT_ENCODER", "hash")
    monkeypatch.setenv("BOT_MODEL", "hash-256")
    monkeypatch.setenv("BOT_AUTO_BUILD", "false")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return monkeypatch


@pytest.fixture
def prebuilt(hash_env: pytest.MonkeyPatch, built_data_dir: Path) -> Path:
    """Point the commands at the session's index of the real corpus."""
    hash_env.setenv("BOT_DATA_DIR", str(built_data_dir))
    return built_data_dir


@pytest.fixture
def empty_data_dir(hash_env: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    hash_env.setenv("BOT_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def no_index(empty_data_dir: Path, built_data_dir: Path) -> Path:
    """A data folder with the classifier trained and no index: `hrbot build` builds the index."""
    seed_triage(built_data_dir, empty_data_dir)
    return empty_data_dir


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="hrbot")


def test_help_lists_the_commands() -> None:
    result = _run("--help")
    assert result.exit_code == 0
    for command in ("build", "ask", "eval", "serve", "corpus", "ingest"):
        assert command in result.output


def test_build_prints_counts(no_index: Path) -> None:
    result = _run("build")
    assert result.exit_code == 0, result.output
    assert "built " in result.stdout
    counts = result.stdout.split("built ", 1)[1]
    for unit in ("documents", "passages", "sentences", "texts embedded"):
        assert unit in counts
    manifest = json.loads((no_index / "index" / "manifest.json").read_text())
    assert f"{manifest['documents']} documents, {manifest['passages']} passages" in result.stdout


def test_second_build_says_up_to_date(no_index: Path) -> None:
    assert _run("build").exit_code == 0
    result = _run("build")
    assert result.exit_code == 0
    assert "up to date" in result.stdout
    assert (no_index / "index").is_symlink()


@pytest.mark.usefixtures("prebuilt")
def test_ask_json_prints_the_api_reply() -> None:
    result = _run("ask", "how do i use naloxone", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["kind"] == "answer"
    assert body["language"] == "en"
    assert body["citations"]
    for c in body["citations"]:
        assert f"[{c['id']}]" in body["answer"]
        assert c["url"].startswith("https://")


@pytest.mark.usefixtures("prebuilt")
def test_ask_json_for_an_emergency() -> None:
    result = _run("ask", "mi novio no respira", "--json", "--channel", "sms")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["kind"], body["language"]) == ("emergency", "es")
    assert "911" in body["answer"][:153]


@pytest.mark.usefixtures("prebuilt")
def test_ask_readable_output_lists_citations() -> None:
    result = _run("ask", "what are fentanyl test strips", "--channel", "web")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "[answer]"
    cited = [line for line in lines if line.startswith("  [")]
    assert cited
    assert any(line.strip().startswith("https://") for line in lines)
    assert "reviewed" in cited[0]


@pytest.mark.parametrize("question", ["", "   "])
@pytest.mark.usefixtures("prebuilt")
def test_ask_empty_question_fails_cleanly(question: str) -> None:
    result = _run("ask", question)
    assert result.exit_code != 0
    assert "empty" in result.output
    assert isinstance(result.exception, SystemExit), "a clean exit, not a crash"


@pytest.mark.usefixtures("prebuilt")
def test_ask_too_long_question_fails_cleanly() -> None:
    result = _run("ask", "x" * 1200)
    assert result.exit_code != 0
    assert "1000" in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.usefixtures("prebuilt")
def test_ask_unknown_language_is_rejected_by_the_option() -> None:
    result = _run("ask", "what is naloxone", "--lang", "fr")
    assert result.exit_code == 2
    assert "--lang" in result.output


@pytest.mark.usefixtures("empty_data_dir")
def test_ask_without_an_index_names_the_build_command() -> None:
    result = _run("ask", "how do i use naloxone")
    assert result.exit_code != 0
    assert "hrbot build" in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.usefixtures("prebuilt")
def test_eval_prints_a_table() -> None:
    cases = DATA / "eval.jsonl"
    result = _run("eval", str(cases), "--show", "0")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split()
    assert header == ["kind", "lang", "passed", "total", "rate"]
    total_row = next(line for line in result.stdout.splitlines() if line.startswith("all") and " all " in line)
    total = int(total_row.split()[3])
    assert total == sum(1 for line in cases.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.mark.usefixtures("prebuilt")
def test_eval_json_output(tmp_path: Path) -> None:
    cases = tmp_path / "two.jsonl"
    cases.write_text(
        '{"id": "a", "lang": "en", "question": "how do i use naloxone", "expect": "answer", "must_any": [["naloxone"]]}\n'
        "\n"
        '{"id": "b", "lang": "en", "question": "he is not breathing and his lips are blue", "expect": "emergency",'
        ' "must_any": [["911"]]}\n',
        encoding="utf-8",
    )
    result = _run("eval", str(cases), "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["kind"], r["passed"]) for r in rows] == [("a", "answer", True), ("b", "emergency", True)]


@pytest.mark.parametrize(
    "bad_line",
    [
        '{"id": "x", "question": "what is naloxone"',
        '{"id": "x", "lang": "en"}',
        "[1, 2, 3]",
        "not json at all",
        '{"id": "x", "question": "   ", "expect": "answer"}',
        '{"id": "x", "question": "what is naloxone", "expect": "answr"}',
    ],
)
@pytest.mark.usefixtures("prebuilt")
def test_eval_malformed_file_names_file_and_line(tmp_path: Path, bad_line: str) -> None:
    cases = tmp_path / "bad.jsonl"
    good = '{"id": "ok", "lang": "en", "question": "what is naloxone", "expect": "answer"}'
    cases.write_text(f"{good}\n\n{bad_line}\n", encoding="utf-8")
    result = _run("eval", str(cases))
    assert result.exit_code != 0
    assert f"{cases}:3:" in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.usefixtures("prebuilt")
def test_eval_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("eval", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_help_does_not_import_the_model_libraries() -> None:
    code = (
        "import sys\n"
        "from bot.cli import cli\n"
        "code = cli.main(['--help'], prog_name='hrbot', standalone_mode=False)\n"
        "heavy = [m for m in ('torch', 'sentence_transformers') if m in sys.modules]\n"
        "print('HEAVY', heavy, code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: hrbot" in result.stdout
    assert "HEAVY [] 0" in result.stdout


def test_python_dash_m_bot_help_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "build" in result.stdout and "ask" in result.stdout
