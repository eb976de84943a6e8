// Lesson quizzes (rendered by docs/hooks/quiz.py): pick a choice, see its
// explanation, and find your answers again after a reload. Answers live in
// localStorage under one key per quiz version, so a changed quiz starts fresh.
(function () {
  "use strict";

  function storageKey(quiz) {
    return "course-quiz/" + quiz.dataset.quizId + "/" + quiz.dataset.quizVersion;
  }

  function loadAnswers(quiz) {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey(quiz))) || {};
    } catch (error) {
      return {}; // storage disabled or unreadable: the quiz still works, it just forgets
    }
  }

  function saveAnswers(quiz, answers) {
    try {
      if (Object.keys(answers).length) {
        window.localStorage.setItem(storageKey(quiz), JSON.stringify(answers));
      } else {
        window.localStorage.removeItem(storageKey(quiz));
      }
    } catch (error) {
      /* storage full or disabled: keep the answers for this visit only */
    }
  }

  function showQuestion(question, key) {
    var feedback = question.querySelector(".course-quiz__feedback");
    var picked = null;
    question.querySelectorAll(".course-quiz__choice").forEach(function (choice) {
      var chosen = choice.dataset.key === key;
      choice.querySelector("input").checked = chosen;
      choice.classList.toggle("is-chosen", chosen);
      choice.classList.toggle("is-right", chosen && choice.dataset.correct === "true");
      choice.classList.toggle("is-wrong", chosen && choice.dataset.correct !== "true");
      if (chosen) picked = choice;
    });
    if (!picked) {
      question.removeAttribute("data-state");
      feedback.hidden = true;
      feedback.textContent = "";
      return;
    }
    var right = picked.dataset.correct === "true";
    var why = picked.querySelector(".course-quiz__why");
    // Explanations of right choices usually open with "Right:" themselves.
    var label = right ? (/^\s*right\b/i.test(why.textContent) ? "" : "Right. ") : "Not quite: try another answer. ";
    question.dataset.state = right ? "right" : "wrong";
    feedback.hidden = false;
    feedback.innerHTML = "<strong>" + (right ? "✔ " : "✘ ") + label + "</strong>" + why.innerHTML;
  }

  function showScore(quiz, answers) {
    var questions = quiz.querySelectorAll(".course-quiz__question");
    var right = quiz.querySelectorAll('.course-quiz__question[data-state="right"]').length;
    var answered = Object.keys(answers).length;
    quiz.querySelector(".course-quiz__score").textContent = answered
      ? right + " of " + questions.length + " right (" + answered + " answered)."
      : "";
  }

  function setUp(quiz) {
    if (quiz.dataset.ready) return; // instant navigation may hand us the same page again
    quiz.dataset.ready = "true";
    var answers = loadAnswers(quiz);
    quiz.querySelectorAll(".course-quiz__question").forEach(function (question) {
      var number = question.dataset.number;
      showQuestion(question, answers[number]);
      question.addEventListener("change", function (event) {
        if (!event.target.matches("input[type=radio]")) return;
        answers[number] = event.target.value;
        saveAnswers(quiz, answers);
        showQuestion(question, answers[number]);
        showScore(quiz, answers);
      });
    });
    quiz.querySelector(".course-quiz__reset").addEventListener("click", function () {
      answers = {};
      saveAnswers(quiz, answers);
      quiz.querySelectorAll(".course-quiz__question").forEach(function (question) {
        showQuestion(question, undefined);
      });
      showScore(quiz, answers);
    });
    showScore(quiz, answers);
  }

  function setUpAll() {
    document.querySelectorAll(".course-quiz").forEach(setUp);
  }

  // mkdocs-material's instant navigation swaps pages without reloading
  // scripts; its document$ observable fires for every page it shows.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
