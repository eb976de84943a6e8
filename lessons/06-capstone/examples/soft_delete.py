"""Soft delete: the row stays, flagged is_deleted; one lookup makes it gone
everywhere."""

from fastapi import Depends, FastAPI, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    email: Mapped[str]
    is_deleted: Mapped[bool] = mapped_column(default=False)


class UserOut(BaseModel):
    id: int
    name: str
    email: str


engine = create_engine(
    "sqlite://",
    connect_args={"check_same_thread": False},
    poolclass=StaticPool,
)
Base.metadata.create_all(engine)
with Session(engine) as db:
    db.add(User(name="Ada Lovelace", email="ada@example.com"))
    db.add(User(name="Alan Turing", email="alan@example.com"))
    db.commit()


def get_db():
    with Session(engine) as db:
        yield db


def find_user(db: Session, user_id: int) -> User:
    """The lookup every /users/{user_id} route uses: deleted is missing."""
    user = db.get(User, user_id)
    if user is None or user.is_deleted:
        raise HTTPException(
            status_code=status.HTTP_404_NOT_FOUND, detail="User not found"
        )
    return user


app = FastAPI()


@app.get("/users", response_model=list[UserOut])
def list_users(db: Session = Depends(get_db)):
    return db.scalars(select(User).where(User.is_deleted.is_(False))).all()


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int, db: Session = Depends(get_db)):
    return find_user(db, user_id)


@app.delete("/users/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_user(user_id: int, db: Session = Depends(get_db)) -> None:
    find_user(db, user_id).is_deleted = True  # deleting twice: 404 too
    db.commit()
