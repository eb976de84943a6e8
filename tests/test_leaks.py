"""The leak scan finds canaries and forbidden keys wherever an app puts them."""

import base64
import gzip
import hashlib
import json
import zlib

import pytest
from httpx2 import Headers

from grader import content_coding
from grader.client import Exchange, Reply
from grader.leaks import scan_exchange, scan_openapi
from grader.unescape import BUDGET_EXTRA, BUDGET_FACTOR, readable_text, readings, shown, shown_by_reply

SECRET = "Cn-s3cr3tvalue0001"
CANARIES = {SECRET: "the password sent"}
FORBIDDEN = {"password", "hashed_password"}


def exchange(body: bytes, headers=(), status=200) -> Exchange:
    return Exchange(Reply("GET", "/users/1", status, Headers(list(headers)), body))


def test_clean_response_has_no_leak():
    assert scan_exchange(exchange(b'{"id": 1, "name": "x"}'), CANARIES, FORBIDDEN) == []


def test_nested_forbidden_key_any_case_is_named_with_its_path():
    leaks = scan_exchange(exchange(b'{"items": [{"user": {"Hashed_Password": "x"}}]}'), CANARIES, FORBIDDEN)
    assert [str(leak) for leak in leaks] == [
        "forbidden key 'Hashed_Password' in GET /users/1 → 200, body at $.items[0].user.Hashed_Password"
    ]


def test_secret_under_a_renamed_key_in_an_error_response():
    leaks = scan_exchange(exchange(f'{{"detail": {{"pwd": "{SECRET}"}}}}'.encode(), status=400), CANARIES, FORBIDDEN)
    assert len(leaks) == 1 and "400" in leaks[0].where and leaks[0].what == "the password sent"


def test_secret_in_a_header_and_in_plain_text():
    leaks = scan_exchange(exchange(f"debug {SECRET}".encode(), headers=[("X-Debug", SECRET)]), CANARIES, FORBIDDEN)
    assert {leak.where for leak in leaks} == {"GET /users/1 → 200, header x-debug", "GET /users/1 → 200, body"}


def test_openapi_response_schema_through_refs_but_not_request_schemas():
    document = {
        "paths": {
            "/users": {
                "post": {
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserIn"}}}
                    },
                    "responses": {
                        "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserOut"}}}}
                    },
                }
            },
            "/users/{id}": {
                "get": {
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Stored"}}
                                }
                            }
                        }
                    }
                }
            },
        },
        "components": {
            "schemas": {
                "UserIn": {"properties": {"password": {"type": "string"}}},
                "UserOut": {"properties": {"id": {"type": "integer"}}},
                "Stored": {
                    "allOf": [{"$ref": "#/components/schemas/UserOut"}, {"properties": {"hashed_password": {}}}]
                },
            }
        },
    }
    leaks = scan_openapi(document, CANARIES, FORBIDDEN)
    assert [str(leak) for leak in leaks] == [
        "forbidden key 'hashed_password' in the OpenAPI schema of GET /users/{id} → 200"
    ]


# --- escaping cannot hide a secret ---------------------------------------------------------------

ESCAPED = "".join(f"\\u{ord(c):04x}" for c in SECRET)  # the secret, every character as a JSON \u escape


def test_secret_written_with_json_unicode_escapes_is_found():
    body = f'{{"detail": [{{"loc": ["body"], "input": {{"pwd": "{ESCAPED}"}}}}]}}'.encode()
    assert SECRET.encode() not in body
    leaks = scan_exchange(exchange(body, status=422), CANARIES, FORBIDDEN)
    assert [str(leak) for leak in leaks] == ["the password sent in GET /users/1 → 422, body at $.detail[0].input.pwd"]


def test_secret_in_a_json_document_inside_a_json_string_escaped_twice():
    inner = json.dumps({"password": SECRET}).replace(SECRET, ESCAPED.replace("\\", "\\\\"))
    body = json.dumps({"detail": inner}).encode()
    assert SECRET.encode() not in body and "password" not in json.loads(body)
    leaks = scan_exchange(exchange(body), CANARIES, set())
    assert [leak.what for leak in leaks] == ["the password sent"]


def test_secret_in_a_plain_text_body_with_escapes_or_entities():
    for text in (f"echo: {ESCAPED}", "echo: " + "".join(f"&#{ord(c)};" for c in SECRET), f"echo: {quote_all(SECRET)}"):
        leaks = scan_exchange(exchange(text.encode(), headers=[("content-type", "text/plain")]), CANARIES, FORBIDDEN)
        assert [leak.where for leak in leaks] == ["GET /users/1 → 200, body"], text


def quote_all(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


def test_secret_in_percent_encoded_rfc5987_and_rfc2047_header_values():
    encoded_word = "=?utf-8?b?" + base64.b64encode(SECRET.encode()).decode() + "?="
    for value in (
        quote_all(SECRET),
        f"attachment; filename*=UTF-8''{quote_all(SECRET)}.csv",
        f'attachment; filename="{encoded_word}"',
    ):
        leaks = scan_exchange(exchange(b"{}", headers=[("Content-Disposition", value)]), CANARIES, FORBIDDEN)
        assert [leak.where for leak in leaks] == ["GET /users/1 → 200, header content-disposition"], value


def test_decoding_is_bounded_and_tolerates_broken_encodings():
    nasty = ("\\u12" + "%zz" + "=?bogus?q?x?=" + "&#99999999;" + "[" * 5000) * 20
    assert scan_exchange(exchange(nasty.encode()), CANARIES, FORBIDDEN) == []
    # Every decoder applies on every layer, each giving another long text: the size budget stops it.
    swelling = "\\u0026amp;%2525&#37;=?x?" * 20_000
    assert sum(map(len, readings(swelling))) <= BUDGET_FACTOR * len(swelling) + BUDGET_EXTRA + len(swelling)


def test_readable_text_decodes_body_and_headers():
    reply = Reply(
        "GET",
        "/x",
        500,
        Headers([("X-Err", "ZeroDivisionError%3A%20division")]),
        b'{"detail": "File \\"/app/main.py\\""}',
    )
    text = readable_text(reply).lower()
    assert 'file "/app/main.py"' in text and "zerodivisionerror: division" in text


# --- What a client reads: content codings, binary encodings, case, headers run together -----------


def test_a_gzip_body_cut_before_its_trailer_reads_as_a_client_reads_it():
    body = json.dumps({"detail": "x", "p": SECRET}).encode()
    for cut in (gzip.compress(body)[:-8], gzip.compress(body)[:-4]):
        assert content_coding.decode([("Content-Encoding", "gzip")], cut, 1 << 20) == body
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert content_coding.decode([("content-encoding", "deflate")], raw.compress(body) + raw.flush(), 1 << 20) == body
    assert content_coding.decode([("content-encoding", "deflate")], zlib.compress(body), 1 << 20) == body
    # Codings stack, undone last applied first; one the decoder does not know stops it, as httpx does.
    assert (
        content_coding.decode([("content-encoding", "gzip, deflate")], zlib.compress(gzip.compress(body)), 1 << 20)
        == body
    )
    assert content_coding.decode([("content-encoding", "zz-unknown")], b"as sent", 1 << 20) == b"as sent"
    assert content_coding.decode([("content-encoding", "gzip")], b"not gzip", 1 << 20) == b"not gzip"


def test_a_decompression_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"0" * (64 << 20))
    assert len(bomb) < 100_000
    assert len(content_coding.decode([("content-encoding", "gzip")], bomb, 1 << 20)) == 1 << 20


def test_brotli_is_decoded_where_a_decoder_is_installed():
    brotli = pytest.importorskip("brotli")
    body = json.dumps({"p": SECRET}).encode()
    assert content_coding.decode([("content-encoding", "br")], brotli.compress(body), 1 << 20) == body
    assert (
        len(content_coding.decode([("content-encoding", "br")], brotli.compress(b"0" * (64 << 20)), 1 << 20)) == 1 << 20
    )


@pytest.mark.parametrize(
    "text",
    [
        base64.b64encode(SECRET.encode()).decode(),
        base64.urlsafe_b64encode(f"??>{SECRET}".encode()).decode().rstrip("="),
        json.dumps({"ref": base64.b64encode(json.dumps({"p": SECRET}).encode()).decode()}),
        SECRET.encode().hex(),
        SECRET.encode().hex().upper(),
        "x" + SECRET.encode().hex(),  # a run that starts with a stray hex letter
        SECRET.upper(),
    ],
)
def test_secrets_are_found_encoded(text):
    assert shown(text, {SECRET: "the password"}) == [SECRET]


def test_a_digest_sent_as_raw_bytes_in_base64_is_its_hex():
    digest = hashlib.sha256(b"pw").hexdigest()
    assert shown(base64.b64encode(bytes.fromhex(digest)).decode(), {digest: "the hash"}) == [digest]


def test_a_secret_split_across_two_headers_is_a_leak():
    reply = Reply("GET", "/users/9", 404, Headers([("X-A", SECRET[:8]), ("X-B", SECRET[8:])]), b"{}")
    leaks = scan_exchange(Exchange(reply), {SECRET: "the password"}, set())
    assert [leak.where for leak in leaks] == ["GET /users/9 → 404, header values run together"]
    assert shown_by_reply(reply, [SECRET]) == [SECRET]


def test_honest_text_shows_no_secret():
    honest = json.dumps({"id": 7, "etag": "a" * 40, "token": base64.b64encode(b"nothing to see").decode()})
    assert shown(honest, {SECRET: "the password"}) == []
