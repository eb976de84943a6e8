"""Right: SQLAlchemy with a sessionmaker (expire_on_commit=False), a hard delete on an AUTOINCREMENT table, async
routes, UserOut(from_attributes=True) built by hand behind return annotations, add_exception_handler."""

# fails:

import hashlib
import secrets

from fastapi import Depends, FastAPI, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, create_engine, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool


def hash_password(password: str) -> str:
    return hashlib.sha256(("capstone:" + password).encode()).hexdigest()


def build_report(user: "User") -> dict:
    """Starter report code: assumes every name has a first and a last part."""
    first, last = user.name.split(" ", 1)
    return {
        "user_id": user.id,
        "initials": first[0] + last[0],
        "email_domain": user.email.split("@")[1],
    }


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "accounts"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never handed out twice, even after a delete

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), index=True)
    hashed_password: Mapped[str] = mapped_column(String(64))
    internal_notes: Mapped[str] = mapped_column(default="")
    is_deleted: Mapped[bool] = mapped_column(default=False)


engine = create_engine("sqlite+pysqlite:///:memory:", connect_args={"check_same_thread": False}, poolclass=StaticPool)
Base.metadata.create_all(engine)
SessionLocal = sessionmaker(engine, expire_on_commit=False)


def session():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


class UserIn(BaseModel):
    name: str
    email: str
    password: str


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    email: str


class Login(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    token: str


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=500, content={"detail": "Internal server error"})


app = FastAPI()
app.add_exception_handler(Exception, internal_error)
NOT_FOUND = HTTPException(status.HTTP_404_NOT_FOUND, "User not found")


def load(db: Session, user_id: int) -> User:
    user = db.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise NOT_FOUND
    return user


@app.post("/users", status_code=201)
async def create_user(body: UserIn, response: Response, db: Session = Depends(session)) -> UserOut:
    user = User(name=body.name, email=body.email, hashed_password=hash_password(body.password))
    db.add(user)
    db.commit()
    response.headers["location"] = f"/users/{user.id}"
    return UserOut.model_validate(user)


@app.get("/users")
async def list_users(db: Session = Depends(session)) -> list[UserOut]:
    return [UserOut.model_validate(user) for user in db.scalars(select(User).order_by(User.id))]


@app.get("/users/{uid}")
async def get_user(uid: int, db: Session = Depends(session)) -> UserOut:
    return UserOut.model_validate(load(db, uid))


@app.delete("/users/{uid}", status_code=204)
async def delete_user(uid: int, db: Session = Depends(session)) -> None:
    if db.execute(delete(User).where(User.id == uid)).rowcount == 0:
        raise NOT_FOUND
    db.commit()


@app.post("/login")
async def login(body: Login, db: Session = Depends(session)) -> Token:
    user = db.scalar(select(User).where(User.email == body.email))
    if user is None or not secrets.compare_digest(user.hashed_password, hash_password(body.password)):
        raise HTTPException(401, "Invalid credentials", headers={"WWW-Authenticate": "Bearer"})
    return Token(token=secrets.token_hex(16))


@app.get("/users/{uid}/report")
async def report(uid: int, db: Session = Depends(session)) -> dict:
    return build_report(load(db, uid))
