"""Answers every request with 100 MB."""
# says: expected
# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE"])
def huge(path: str):
    from fastapi import Response

    return Response(b"x" * (100 * 1024 * 1024), status_code=200)
