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
        "tests": {"type": "array", "items": {"type": "object", "required": ["name", "status", "score"], "properties": {"score": {"type": "number"}}}},
    },
}
