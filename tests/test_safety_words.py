"""The words a person uses to say "I need someone now" or "it can wait", in any of the three
languages, however they are typed; and never a false alarm from a message with content."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from escalation.safety_words import DATA, Ask, SafetyWordsError, default_words, load

HERE = Path(__file__).parent / "triage"


def _labelled(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _read(text: str, pending: bool = False) -> str | None:
    found = default_words().read(text, question_pending=pending)
    return found.ask.value if found else None


def test_every_labelled_case_reads_as_labelled():
    """339 short messages written for the project (two sets, en/nl/it): pleas, "it can wait"
    answers, and near-misses that must go to the triage instead."""
    wrong = [(row["text"], row["answer"], _read(str(row["text"]))) for row in _labelled("safety_words_cases.jsonl")
             if _read(str(row["text"])) != row["answer"]]
    assert wrong == []


def test_on_messages_kept_out_of_the_word_lists_it_catches_pleas_and_never_raises_a_false_alarm():
    """safety_words_heldout.jsonl (124 messages by a writer who saw neither the lists nor the
    other sets) is never used to change the lists; it measures how they generalise."""
    confusion = Counter((row["answer"], _read(str(row["text"]))) for row in _labelled("safety_words_heldout.jsonl"))
    def recall(label: str) -> float:
        return confusion[(label, label)] / sum(n for (want, _), n in confusion.items() if want == label)

    assert recall("now") >= 0.95 and recall("wait") >= 0.8
    assert sum(n for (want, got), n in confusion.items() if got == "now" and want != "now") == 0
    assert sum(n for (want, got), n in confusion.items() if got == "wait" and want != "wait") == 0


@pytest.mark.parametrize("text", ["HELP", "heeelp!!!", "NOW", "nu", "ORA", "999", "112", "SOS 🆘", "help me please",
                                  "i need someone now", "please answer", "aiutatemi", "help me alsjeblieft",
                                  "ik heb nu hulp nodig", "non sono al sicuro", "ineedhelp", "pls sum1 ansa"])
def test_a_plea_asks_for_someone_now(text):
    assert _read(text) == "now"


@pytest.mark.parametrize("text", ["help me with my housing form", "now what", "nu even niet", "ora vado al lavoro",
                                  "urgent question about my tag", "i need to talk to someone", "ok", "thanks 🙏",
                                  "wait for me outside", "i'm ok", "no"])
def test_words_with_other_content_go_to_the_triage(text):
    assert _read(text) is None


@pytest.mark.parametrize("text", ["WAIT", "wacht", "ASPETTA", "i'm ok, it can wait", "alles goed hoor, kan wachten",
                                  "sto bene, può aspettare", "it can wait till tmrw thanks"])
def test_it_can_wait(text):
    assert _read(text) == "wait"


def test_a_bare_no_is_an_answer_to_the_safety_question_only_while_it_is_open():
    assert _read("no", pending=True) == "now" and _read("nee", pending=True) == "now"
    assert _read("no") is None


def test_a_reading_names_the_line_that_decided_it():
    reading = default_words().read("HELP")
    assert reading is not None and reading.ask is Ask.NOW and reading.words == "HELP"
    name, line = reading.source.split(":")
    assert name == DATA.name and DATA.read_text(encoding="utf-8").splitlines()[int(line) - 1].strip() == "help"


@pytest.mark.parametrize("content, error", [
    ("help\n", "safety_words.txt:1: a word before any [section]"),
    ("[shout]\nhelp\n", "safety_words.txt:1: unknown section [shout]"),
    ("[now]\nhelp me\n", "safety_words.txt:2: [now] takes one word a line"),
    ("[spelling]\nsum1\n", "safety_words.txt:2: [spelling] takes 'written meant'"),
])
def test_a_malformed_words_file_names_its_line(tmp_path, content, error):
    path = tmp_path / DATA.name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SafetyWordsError, match=error.replace("[", r"\[").replace("]", r"\]")):
        load(path)


def test_an_edited_copy_in_the_triage_folder_is_used(tmp_path):
    (tmp_path / DATA.name).write_text("[now]\nmayday\n", encoding="utf-8")
    edited = default_words(tmp_path)
    assert edited.read("MAYDAY") is not None and edited.read("help") is None
    assert default_words(Path("/nonexistent")).read("help") is not None
