"""Every request allocates 3 GiB: a 500 (MemoryError at the limit) or, on a loaded machine, the request time limit while the pages are touched."""
# says: 500|no answer within|memory
# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def hog(path: str):
    blocks = [bytearray(256 * 1024**2) for _ in range(12)]
    return {"blocks": len(blocks)}
