"""HTML: declare HTMLResponse and escape what you did not write yourself."""

from html import escape

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse

app = FastAPI()
POSTS = {1: {"title": "Fish & chips <3"}}


@app.get("/posts/{post_id}", response_class=HTMLResponse)  # (1)!
def post_page(post_id: int) -> str:
    post = POSTS.get(post_id)
    if post is None:
        raise HTTPException(404, detail="Post not found")  # (2)!
    title = escape(post["title"])  # (3)!
    return f"<!doctype html>\n<title>Post</title>\n<h1>{title}</h1>\n"
