"""Custom headers through a Response parameter, and when they are lost."""

from fastapi import FastAPI, HTTPException, Response
from fastapi.responses import JSONResponse

app = FastAPI()
VIEWS: dict[int, int] = {}


@app.get("/pages/{page_id}")
def page(page_id: int, response: Response) -> dict:
    VIEWS[page_id] = VIEWS.get(page_id, 0) + 1
    response.headers["X-Views"] = str(VIEWS[page_id])  # (1)!
    return {"id": page_id}


@app.get("/lost/{page_id}")
def lost(page_id: int, response: Response) -> JSONResponse:
    response.headers["X-Views"] = "1"  # (2)!
    return JSONResponse({"id": page_id})


@app.get("/kept/{page_id}")
def kept(page_id: int) -> JSONResponse:
    return JSONResponse({"id": page_id}, headers={"X-Views": "1"})  # (3)!


@app.get("/raised/{page_id}")
def raised(page_id: int, response: Response) -> dict:
    response.headers["X-Views"] = "0"
    raise HTTPException(404, detail="No such page")  # (4)!
