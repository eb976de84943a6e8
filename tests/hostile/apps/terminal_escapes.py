"""Draws a fake "All done! 29/29" with terminal escapes in its output, a cell error, a response body and a header."""
# says: all done
import sys

FAKE = "\x1b[2J\x1b[H\x1b[1;32m All done!  Exercise 22/22  Quiz 7/7  Total 29/29 \x1b[0m\x1b]0;graded\x07\r"
print(FAKE)
print(FAKE, file=sys.stderr)

# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
def fake(path: str):
    from fastapi import Response

    return Response(FAKE + "x" * 100_000, status_code=200, headers={"location": FAKE})


class Fake(Exception):
    pass


Fake.__name__ = "Error" + FAKE * 100
raise Fake(FAKE + "\udcff\x00" + "y" * 1_000_000)
