"""Your own 422 for a rule the model cannot express, with today's name."""

from datetime import date

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel


class Reminder(BaseModel):
    text: str
    due: date


app = FastAPI()


@app.post("/reminders", status_code=status.HTTP_201_CREATED)
def create_reminder(reminder: Reminder) -> Reminder:
    if reminder.due < date.today():
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,  # (1)!
            detail="A reminder cannot be due in the past",
        )
    return reminder
