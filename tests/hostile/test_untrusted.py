"""Everything from the worker and the class folder is untrusted input.

Two parts:

- the grader's side of the channel, fed odd replies by a fake worker (a
  thread on the other end of a socketpair): each malformed or oversized
  message fails with a clear reason, costs bounded time and memory, and
  never raises anything but SandboxError;
- one `grader batch` over a class folder where hostile entries (a symlink to
  a classmate, a FIFO, /dev/zero, a loop, a 100 MB file, a name that is not
  UTF-8, a file whose name and metadata disagree, terminal escapes, odd
  metadata, a malformed worker report, a gradebook-URL thief) sit beside
  honest notebooks; then the exports. The hostile ones earn nothing and say
  why, no report or export holds control characters or a classmate's data,
  the gradebook stores the odd text, and the honest ones keep full marks.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from classroom import odd_text
from submissions import APPS, render

from grader.classroom.gradebook import ERROR, GRADED, NOT_LOADED, UNUSABLE, Gradebook
from grader.lessons import all_lessons
from grader.sandbox import replies
from grader.sandbox.channel import HEADER, Channel
from grader.sandbox.runner import Sandbox, SandboxError
from grader.source import MAX_INPUT_BYTES, Submission

ROOT = Path(__file__).resolve().parents[2]
FIRST, SECOND = all_lessons()[:2]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# -- the channel, fed by a fake worker ------------------------------------------------------------


class FakeWorker:
    """A sandbox whose 'worker' is a thread answering each request with `answer(request) -> bytes`."""

    def __init__(self, tmp_path: Path, answer):
        ours, theirs = socket.socketpair()
        self.sandbox = Sandbox(Submission(tmp_path / "x.py", "module", []))
        self.sandbox.channel = Channel(ours)
        # A real process in a session of its own stands in for the worker: stop() kills its group.
        self.sandbox.process = subprocess.Popen(["sleep", "600"], start_new_session=True)
        self.peer = Channel(theirs)
        self.thread = threading.Thread(target=self._serve, args=(answer,), daemon=True)
        self.thread.start()

    def _serve(self, answer) -> None:
        try:
            while True:
                request = self.peer.recv()
                self.peer.sock.sendall(answer(request))
        except Exception:  # noqa: BLE001 - the grader closed its end
            pass

    def close(self) -> None:
        self.sandbox.close()
        self.peer.close()


def frame(message: dict | bytes) -> bytes:
    data = message if isinstance(message, bytes) else json.dumps(message).encode()
    return HEADER.pack(len(data)) + data


def reply(**fields):
    return lambda request: frame({"id": request["id"], **fields})


BODY = base64.b64encode(b'{"ok": true}').decode()
MALFORMED = {
    "status is a string": reply(status="200", headers=[], body=BODY),
    "status out of range": reply(status=99, headers=[], body=BODY),
    "status is a boolean": reply(status=True, headers=[], body=BODY),
    "headers not a list": reply(status=200, headers={"a": "b"}, body=BODY),
    "header of three": reply(status=200, headers=[["a", "b", "c"]], body=BODY),
    "header value a number": reply(status=200, headers=[["a", 1]], body=BODY),
    "body not base64": reply(status=200, headers=[], body="%%%"),
    "body missing": reply(status=200, headers=[]),
    "nested 100000 deep": lambda request: frame(b'{"id": "' + request["id"].encode() + b'", "status": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    "a 5000-digit number": lambda request: frame(b'{"id": "' + request["id"].encode() + b'", "status": ' + b"7" * 5000 + b"}"),
    "over the size limit": lambda request: frame({"id": request["id"], "status": 200, "headers": [], "body": "A" * 8_000_000}),
    "not JSON": lambda request: frame(b"\xff\xfe not json"),
    "a list, not an object": lambda request: frame(b"[1, 2]"),
}
WORDS = "malformed answer|broke the grader's channel|unreadable message|over the"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_reply_fails_the_request_and_stops_the_worker(tmp_path, case):
    fake = FakeWorker(tmp_path, MALFORMED[case])
    try:
        with pytest.raises(SandboxError) as raised:
            fake.sandbox.request("GET", "/books", {}, b"")
        assert re.search(WORDS, str(raised.value)), str(raised.value)
        assert len(str(raised.value)) < 1000
        assert not fake.sandbox.alive, "a worker that broke the protocol must be stopped"
    finally:
        fake.close()


@pytest.mark.timeout(120)
def test_hundreds_of_thousands_of_headers_fail_that_request_only(tmp_path):
    many = [[f"x-{i}", "v"] for i in range(300_000)]
    fake = FakeWorker(tmp_path, reply(status=200, headers=many, body=BODY))
    try:
        with pytest.raises(SandboxError, match="holds over 4096 lists and objects"):  # counted, never parsed
            fake.sandbox.request("GET", "/books", {}, b"")
        assert not fake.sandbox.alive  # only a forged reply can hold that many: the honest worker passes on 101
    finally:
        fake.close()
    fake = FakeWorker(tmp_path, reply(status=200, headers=many[:101], body=BODY))
    try:
        with pytest.raises(SandboxError, match="more than 100 headers"):
            fake.sandbox.request("GET", "/books", {}, b"")
        assert fake.sandbox.alive  # an honest worker may pass on an app's odd response: it keeps running
    finally:
        fake.close()
    fake = FakeWorker(tmp_path, reply(status=200, headers=[["x-big", "v" * 70_000]], body=BODY))
    try:
        with pytest.raises(SandboxError, match="headers hold 70005 characters"):
            fake.sandbox.request("GET", "/books", {}, b"")
    finally:
        fake.close()


@pytest.mark.timeout(120)
def test_an_honest_reply_passes_unchanged(tmp_path):
    fake = FakeWorker(tmp_path, reply(status=201, headers=[["location", "/books/1"]], body=BODY, truncated=False))
    try:
        assert fake.sandbox.request("POST", "/books", {}, b"{}") == (201, [("location", "/books/1")], b'{"ok": true}')
    finally:
        fake.close()


@pytest.mark.timeout(120)
def test_error_and_tamper_strings_are_capped_and_cleaned(tmp_path):
    fake = FakeWorker(tmp_path, reply(error="\x1b[2J" + "e" * 1_000_000))
    try:
        with pytest.raises(SandboxError) as raised:
            fake.sandbox.request("GET", "/", {}, b"")
        text = str(raised.value)
        assert "(cut, " in text and len(text) < 3000 and "\x1b" not in text and "\\x1b[2J" in text
    finally:
        fake.close()
    fake = FakeWorker(tmp_path, reply(tampered="\udcff" * 1000))
    try:
        with pytest.raises(SandboxError):
            fake.sandbox.request("GET", "/", {}, b"")
        assert "\\udcff" in fake.sandbox.tampered and "cut" in fake.sandbox.tampered
        fake.sandbox.tampered.encode("utf-8")
    finally:
        fake.close()


@pytest.mark.timeout(120)
def test_openapi_documents_of_absurd_depth_or_type(tmp_path):
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    for document, words in ((deep, "nests deeper"), ([1, 2], "not give a JSON object"), ("x", "not give a JSON object")):
        fake = FakeWorker(tmp_path, reply(document=document))
        try:
            with pytest.raises(SandboxError, match=words):
                fake.sandbox.openapi()
        finally:
            fake.close()


@pytest.mark.parametrize(
    "message, words",
    [
        ({"app": "ok", "route_count": "6"}, "route_count"),
        ({"app": "ok", "route_count": 10**12}, "route_count"),
        ({"app": "ok", "route_count": True}, "route_count"),
        ({"app": "all done"}, "app state"),
        ({"app": "ok", "cell_errors": "boom"}, "cell_errors"),
        ({"app": "ok", "cell_errors": [{}] * 1001}, "cell_errors"),
        ({"app": "ok", "cell_errors": ["boom"]}, "cell error"),
        ({"app": "ok", "cell_errors": [{"cell": "1"}]}, "cell number"),
        ({"app": "ok", "cell_errors": [{"message": ["x"]}]}, "error message"),
        ({"app": "ok", "quiz_answers": ["b"]}, "quiz_answers"),
        ({"app": "ok", "quiz_answers": {str(i): "b" for i in range(101)}}, "quiz_answers"),
        ({"app": "not_asgi", "app_type": {"x": 1}}, "detail"),
    ],
)
def test_a_malformed_loaded_report_is_refused(message, words):
    with pytest.raises(replies.Malformed, match=words):
        replies.loaded(message)


def test_a_loaded_report_keeps_capped_clean_strings():
    report = replies.loaded(
        {"app": "ok", "route_count": 3, "cell_errors": [{"cell": 2, "line": None, "type": "E" * 5000, "message": "\x1b]0;x\x07\udcff\x00" + "m" * 10_000}]}
    )
    error = report["cell_errors"][0]
    assert "(cut, 4800 more characters)" in error["type"]
    assert error["message"].startswith("\\x1b]0;x\\x07\\udcff\\x00") and "(cut, " in error["message"]
    assert report["route_count"] == 3


# -- a class folder, graded in one batch ---------------------------------------------------------------

GRADER = Path(sys.executable).parent / "grader"
CANARY = "CANARY-7f3a9c"  # in the gradebook URL; no submission may see it


def _notebook(lesson_slug: str) -> dict:
    return json.loads((ROOT / "solutions" / f"{lesson_slug}.ipynb").read_text())


def _code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": f"c{abs(hash(source)) % 10**8}", "metadata": {}, "outputs": [], "source": source}


def _write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, dict):
        data = json.dumps(data)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


THIEF = f'''
import glob, os
found = [k for k in os.environ if "GRADER_DB" in k]
for name in glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline"):
    try:
        data = open(name, "rb").read()
    except OSError:
        continue
    if b"GRADER_DB" in data or b"{CANARY}" in data:
        found.append(name + " " + data.decode(errors="replace"))
print("found:", found)
'''


class ClassBatch:
    def __init__(self, tmp_path: Path):
        self.root = root = tmp_path / "class"
        slug1, slug2 = FIRST.slug, SECOND.slug
        solved1, solved2 = _notebook(slug1), _notebook(slug2)
        # Honest.
        self.honest = {
            ("ann", FIRST.id): _write(root / "ann" / f"{slug1}.ipynb", solved1),
            ("ben", FIRST.id): _write(root / "ben" / f"{slug1}.ipynb", solved1),
            ("ben", SECOND.id): _write(root / "ben" / f"{slug2}.ipynb", solved2),
            ("hal", FIRST.id): _write(root / "hal" / f"{slug1}.ipynb", solved1),
            ("gus\\xff", FIRST.id): _write(Path(os.fsdecode(os.fsencode(root) + b"/gus\xff")) / f"{slug1}.ipynb", solved1),
            ("lee\\x1b[2J", FIRST.id): _write(root / "lee\x1b[2J" / f"{slug1}.ipynb", solved1),
        }
        # A symlink to a classmate's notebook, a FIFO, /dev/zero, a loop, a sparse 100 MB + 1 file.
        (root / "carl").mkdir()
        (root / "carl" / f"{slug1}.ipynb").symlink_to(f"../ann/{slug1}.ipynb")
        (root / "dora").mkdir()
        os.mkfifo(root / "dora" / f"{slug1}.ipynb")
        (root / "eve").mkdir()
        (root / "eve" / f"{slug1}.ipynb").symlink_to("/dev/zero")
        (root / "fay").mkdir()
        (root / "fay" / f"{slug1}.ipynb").symlink_to(root / "fay" / f"{slug1}.ipynb")
        (root / "gil").mkdir()
        with (root / "gil" / f"{slug1}.ipynb").open("wb") as fh:
            fh.truncate(MAX_INPUT_BYTES + 1)
        # hal's second file: named for lesson 02, but the metadata (and code) are lesson 01's.
        _write(root / "hal" / f"{slug2}.ipynb", solved1)
        # Untouched; two submissions for one lesson; cells that crash while the app loads.
        _write(root / "ivy" / f"{slug1}.ipynb", (ROOT / "exercises" / f"{slug1}.ipynb").read_bytes())
        _write(root / "jon" / f"{slug1}.ipynb", solved1)
        _write(root / "jon" / f"late-{slug1}.ipynb", solved1)
        crashing = _notebook(slug1)
        crashing["cells"].append(_code_cell('raise ValueError("\\udcff\\x00\\x1b[2J\\x1b[H All done! 29/29 " + "z" * 100000)'))
        _write(root / "kim" / f"{slug1}.ipynb", crashing)
        # Hostile apps: terminal escapes everywhere, a malformed worker report, 300k headers, a URL thief.
        for student, app in (("mia", "terminal_escapes"), ("pat", "raw_malformed_report"), ("quin", "many_headers")):
            _write(root / student / f"{slug1}.py", render((APPS / f"{app}.py").read_text(), {}))
        thief = _notebook(slug1)
        thief["cells"].append(_code_cell(THIEF))
        _write(root / "sam" / f"{slug1}.ipynb", thief)
        # Odd metadata: a string where an object is expected, in the notebook and in a cell.
        odd = _notebook(slug1)
        odd["metadata"]["grader"] = "capstone"
        for cell in odd["cells"]:
            marks = cell["metadata"].get("nbgrader", {})
            if not (marks.get("grade") and not marks.get("solution")):  # the autograded check cells stay recognisable
                cell["metadata"]["nbgrader"] = "solution"
        _write(root / "ray" / f"{slug1}.ipynb", odd)
        odd_lesson = _notebook(slug1)
        odd_lesson["metadata"]["grader"] = {"lesson": ["capstone"]}
        _write(root / "rex" / f"{slug1}.ipynb", odd_lesson)
        # Ids that differ only in a character a file name drops: both must export.
        _write(root / "o:b" / "notes.py", "x = 1\n")
        _write(root / "o_b" / "notes.py", "x = 1\n")

        self.db = tmp_path / f"gradebook-{CANARY}.db"
        env = dict(os.environ, GRADER_DB_URL=f"sqlite:///{self.db}", COLUMNS="200")
        run = subprocess.run([str(GRADER), "batch", str(root), "--jobs", "2"], capture_output=True, timeout=900, env=env, cwd=tmp_path)
        self.stdout, self.stderr, self.returncode = run.stdout.decode(), run.stderr.decode(), run.returncode
        run = subprocess.run([str(GRADER), "batch", str(root), "--json", "--regrade"], capture_output=True, timeout=900, env=env, cwd=tmp_path)
        self.json = json.loads(run.stdout) if run.returncode == 0 else {"error": run.stderr.decode()}
        self.exports = {}
        for fmt in ("gradescope", "exercism"):
            out = tmp_path / fmt
            done = subprocess.run([str(GRADER), "export", fmt, "--out", str(out)], capture_output=True, timeout=300, env=env)
            assert done.returncode == 0, done.stderr
            self.exports[fmt] = {p.parent.name: p.read_text(encoding="utf-8") for p in out.glob("*/results.json")}
        done = subprocess.run([str(GRADER), "export", "csv"], capture_output=True, timeout=300, env=env)
        assert done.returncode == 0, done.stderr
        self.csv = done.stdout.decode()
        with Gradebook(str(self.db)) as book:
            self.rows = book.results()

    def outcomes(self, student: str) -> list[dict]:
        return [o for o in self.json["outcomes"] if o["student"] == student]

    def one(self, student: str) -> dict:
        (outcome,) = self.outcomes(student)
        return outcome

    def look(self, student: str) -> list[str]:
        return [why for entry in self.json["needs_a_look"] if entry["student"] == student for why in entry["why"]]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> ClassBatch:
    return ClassBatch(tmp_path_factory.mktemp("untrusted"))


@pytest.mark.timeout(1800)
def test_the_batch_finishes_and_every_file_has_a_status(batch):
    assert batch.returncode == 0, batch.stderr[-3000:]
    assert "error" not in batch.json, batch.json
    assert all(o["status"] in (GRADED, NOT_LOADED, UNUSABLE) for o in batch.json["outcomes"]), batch.json["counts"]
    assert ERROR not in batch.json["counts"]
    assert len(batch.rows) == len(batch.json["outcomes"]) == 24


@pytest.mark.timeout(1800)
def test_honest_notebooks_keep_full_marks(batch):
    for (student, lesson), _ in batch.honest.items():
        (row,) = [r for r in batch.rows if r.student == student and r.lesson_id == lesson]
        assert row.status == GRADED and row.score == row.max_score > 0, (student, lesson, row.reason)


@pytest.mark.timeout(1800)
@pytest.mark.parametrize(
    "student, words",
    [
        ("carl", "a symlink to a file outside carl's folder: not followed"),
        ("dora", "a FIFO, not a file"),
        ("eve", "a symlink to a file outside eve's folder"),
        ("fay", "a symlink loop"),
        ("gil", "104,857,601 bytes is more than the 100 MB"),
        ("o:b", "cannot tell which lesson"),
    ],
)
def test_odd_entries_are_unusable_with_their_reason(batch, student, words):
    outcome = batch.one(student)
    assert outcome["status"] == UNUSABLE and outcome["score"] == 0
    assert words in outcome["reason"]
    assert "/ann/" not in outcome["reason"] + outcome["source"]  # nothing of the classmate carl's link points at


@pytest.mark.timeout(1800)
def test_a_symlink_never_hands_over_a_classmates_grade(batch):
    assert batch.one("ann")["status"] == GRADED  # ann's row is still there
    carl = batch.exports["gradescope"]["carl"]
    assert json.loads(carl)["score"] == 0
    assert "/ann/" not in carl


@pytest.mark.timeout(1800)
def test_name_and_metadata_disagreeing_replaces_no_grade(batch):
    (conflict,) = [o for o in batch.outcomes("hal") if o["source"].endswith(f"{SECOND.slug}.ipynb")]
    assert conflict["status"] == UNUSABLE and conflict["lesson"] is None
    assert f"file name says lesson {SECOND.slug}" in conflict["reason"]
    exported = json.loads(batch.exports["exercism"]["hal"])
    first = [t for t in exported["tests"] if t["task_id"] == FIRST.number]
    assert all(t["status"] == "pass" for t in first)  # hal's lesson-01 grade is intact


@pytest.mark.timeout(1800)
@pytest.mark.parametrize(
    "student, words",
    [
        ("ivy", "looks untouched"),
        ("jon", "one of 2 submissions for lesson"),
        ("kim", "crashed: Cell"),
        ("hal", "metadata says"),
        ("dora", "FIFO"),
    ],
)
def test_needs_a_look_names_it(batch, student, words):
    assert any(words in why for why in batch.look(student)), batch.look(student)
    assert words.split()[0] in batch.stdout  # and the human summary shows it too


@pytest.mark.timeout(1800)
def test_hostile_apps_earn_nothing_and_say_why(batch):
    assert batch.one("mia")["score"] == 0
    assert batch.one("quin")["score"] == 0
    pat = batch.one("pat")
    assert pat["status"] == NOT_LOADED and "malformed report" in pat["reason"]
    (quin,) = [r for r in batch.rows if r.student == "quin"]
    assert "more than 100 headers" in quin.report


@pytest.mark.timeout(1800)
def test_odd_metadata_grades_normally(batch):
    for student in ("ray", "rex"):
        outcome = batch.one(student)
        assert outcome["status"] == GRADED and outcome["score"] == outcome["max_score"], outcome


@pytest.mark.timeout(1800)
def test_no_control_characters_in_any_report_or_export(batch):
    texts = {"summary": batch.stdout, "csv": batch.csv}
    texts.update({f"{fmt}/{name}": text for fmt, files in batch.exports.items() for name, text in files.items()})
    for row in batch.rows:
        texts[f"gradebook {row.student}"] = row.reason + row.student + row.source
    for row in batch.rows:
        texts[f"gradebook report {row.student}"] = row.report or "{}"
    for where, text in texts.items():
        assert not CONTROL.search(text), where
        for value in _strings(json.loads(text)) if text.startswith("{") else [text]:  # JSON: the strings it decodes to
            assert not CONTROL.search(value), (where, value[:200])
    assert "All done" in batch.exports["gradescope"]["mia"]  # the fake is there, as inert text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.timeout(1800)
def test_the_gradebook_stores_surrogates_and_nuls_as_escapes(batch):
    (kim,) = [r for r in batch.rows if r.student == "kim"]
    notes = json.loads(kim.report)["notes"]
    crash = next(n for n in notes if "ValueError" in n)
    assert "\\udcff\\x00\\x1b[2J" in crash and "(cut, " in crash  # the worker sends 500 characters; feedback keeps 400
    assert {r.student for r in batch.rows} >= {"gus\\xff", "lee\\x1b[2J"}


@pytest.mark.timeout(1800)
def test_export_folders_are_unique_per_student(batch):
    folders = set(batch.exports["gradescope"])
    assert len(folders) == len({r.student for r in batch.rows})
    assert "o_b" in folders and any(name.startswith("o_b-") for name in folders)


@pytest.mark.timeout(1800)
def test_no_submission_sees_the_gradebook_url(batch):
    (sam,) = [r for r in batch.rows if r.student == "sam"]
    output = json.loads(sam.report)["output"]
    assert "found: []" in output, output
    assert all(CANARY not in (r.report or "") for r in batch.rows)


def test_odd_text_is_stored_and_read_back_in_sqlite(tmp_path):
    odd_text.round_trip(Gradebook(str(tmp_path / "book.db")))  # PostgreSQL: tests/classroom/test_gradebook_postgres.py
