"""Redirects: RedirectResponse defaults to 307; a permanent move is 308."""

from fastapi import FastAPI, status
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/articles/{article_id}")
def article(article_id: int) -> dict:
    return {"id": article_id}


@app.get("/old/{article_id}")
def temporary(article_id: int) -> RedirectResponse:
    return RedirectResponse(f"/articles/{article_id}")  # (1)!


@app.get("/blog/{article_id}")
def moved(article_id: int) -> RedirectResponse:
    return RedirectResponse(
        f"/articles/{article_id}",
        status_code=status.HTTP_308_PERMANENT_REDIRECT,  # (2)!
    )


@app.get(
    "/posts/{article_id}", response_class=RedirectResponse, status_code=308
)
def moved_too(article_id: int) -> str:
    return f"/articles/{article_id}"  # (3)!
