"""JSON Schemas written from the published result formats, to check our exports against.

Gradescope: "Autograder Specifications", Output format (results.json): top level
score / execution_time / output / output_format / visibility / stdout_visibility /
extra_data / tests / leaderboard; each test score / max_score / status
(passed|failed) / name / name_format / number / output / output_format / tags /
visibility / extra_data. Visibility: hidden | after_due_date | after_published | visible.

Exercism: "The Test Runner Interface", results.json: version (1|2|3), status
(pass|fail|error), message (required when status is error, else null or absent),
tests (required from version 2), each with name, status (pass|fail|error),
message, output (at most 500 characters), test_code, and from version 3 task_id.
GitHub Classroom's grading reporter reads the same file plus a top-level
`max_score` and a numeric `score` on each test.
"""

import csv as _csv
import io as _io

VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
OUTPUT_FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}

GRADESCOPE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": OUTPUT_FORMAT,
        "test_output_format": OUTPUT_FORMAT,
        "test_name_format": OUTPUT_FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "name": {"type": "string"},
                    "name_format": OUTPUT_FORMAT,
                    "number": {"type": "string"},
                    "output": {"type": "string"},
                    "output_format": OUTPUT_FORMAT,
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": VISIBILITY,
                    "extra_data": {"type": "object"},
                },
            },
        },
        "leaderboard": {"type": "array"},
    },
}

EXERCISM_V3 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "status", "tests"],
    "properties": {
        "version": {"const": 3},
        "status": {"enum": ["pass", "fail", "error"]},
        "message": {"type": ["string", "null"]},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "status"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "status": {"enum": ["pass", "fail", "error"]},
                    "message": {"type": ["string", "null"]},
                    "output": {"type": ["string", "null"], "maxLength": 500},
                    "test_code": {"type": "string"},
                    "task_id": {"type": "integer", "minimum": 1},
                },
            },
        },
    },
    "allOf": [
        {  # message: required for error, otherwise null or absent
            "if": {"properties": {"status": {"const": "error"}}},
            "then": {"required": ["message"], "properties": {"message": {"type": "string", "minLength": 1}}},
            "else": {"properties": {"message": {"type": "null"}}},
        }
    ],
}

GITHUB_CLASSROOM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["max_score", "tests"],
    "properties": {
        "max_score": {"type": "number", "minimum": 0},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "status", "score"],
                "properties": {"score": {"type": "number"}},
            },
        },
    },
}


# -- CSV gradebook imports ------------------------------------------------------------------------
#
# Canvas, "How do I import grades in the Gradebook?" and its gradebook export: a header row whose first
# five columns are Student, ID, SIS User ID, SIS Login ID, Section (in that order), then one column per
# assignment (a name Canvas does not know becomes a new assignment); an optional second row whose first
# cell is "Points Possible" with each assignment's points; then one row per student, matched by ID, SIS
# User ID or SIS Login ID. A blank score leaves the grade as it is.
#
# Moodle, "Import grades" (CSV file): a header row; the user is identified by one column mapped to a user
# field (user id, username, ID number or email address); each other column is mapped to a grade item.
# Every row below the header is a user: no points row.


CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_IDENTIFIERS = {"email": "Email address", "idnumber": "ID number"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(text: str) -> list[list[str]]:
    return list(_csv.reader(_io.StringIO(text)))


def no_formulas(rows: list[list[str]]) -> list[str]:
    """OWASP CSV injection: the cells a spreadsheet would run."""
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def canvas_problems(text: str) -> list[str]:
    rows = csv_cells(text)
    problems = []
    if not rows or rows[0][:5] != CANVAS_FIXED:
        return [f"the header must start with {CANVAS_FIXED}"]
    width = len(rows[0])
    if width == 5:
        problems.append("no assignment column")
    body = rows[1:]
    if body and body[0][0] == "Points Possible":
        if any(cell for cell in body[0][1:5]) or not all(cell.replace(".", "", 1).isdigit() for cell in body[0][5:]):
            problems.append("the Points Possible row holds points under each assignment only")
        body = body[1:]
    for row in body:
        if len(row) != width:
            problems.append(f"row {row[:1]} has {len(row)} cells, the header {width}")
        elif not any(row[1:4]):
            problems.append(f"row {row[:1]} has no ID, SIS User ID or SIS Login ID: Canvas cannot match it")
        elif not all(cell == "" or cell.replace(".", "", 1).isdigit() for cell in row[5:]):
            problems.append(f"row {row[:1]} has a score that is not a number")
    return problems + [f"a cell a spreadsheet would run: {cell!r}" for cell in no_formulas(rows)]


def moodle_problems(text: str) -> list[str]:
    rows = csv_cells(text)
    if not rows:
        return ["empty"]
    header = rows[0]
    ids = [i for i, name in enumerate(header) if name in MOODLE_IDENTIFIERS]
    problems = [] if ids else [f"no column to identify users by ({', '.join(MOODLE_IDENTIFIERS)})"]
    grades = [i for i in range(len(header)) if i not in ids]
    if not grades:
        problems.append("no grade column")
    for row in rows[1:]:
        if len(row) != len(header):
            problems.append(f"row {row[:1]} has {len(row)} cells, the header {len(header)}")
        elif not any(row[i] for i in ids):
            problems.append(f"row {row[:1]} identifies no user (a Points Possible row?)")
        elif not all(row[i] == "" or row[i].replace(".", "", 1).isdigit() for i in grades):
            problems.append(f"row {row[:1]} has a grade that is not a number")
    return problems + [f"a cell a spreadsheet would run: {cell!r}" for cell in no_formulas(rows)]
