"""Every request allocates 3 GiB."""
# says: 500
# @starter


@app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
def hog(path: str):
    blocks = [bytearray(256 * 1024**2) for _ in range(12)]
    return {"blocks": len(blocks)}
