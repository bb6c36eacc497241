// Behaviour shared by every page, loaded from /static/ (the Content-Security-Policy allows no
// inline script or handler: fazhi/core/csp.py).

// <form data-confirm="确定删除吗？">: ask before submitting.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// Visible limits (#21): a textarea, or a text input of more than 200 characters, with a
// maxlength states its limit and counts down below it. The browser's own maxlength would cut a
// pasted text without a word, so it becomes data-limit: the server refuses a longer text with
// the limit named, and the counter (the same number) warns before. Characters are counted as
// the server counts them: code points, a line break as one.
var COUNTED = "textarea[maxlength], input[maxlength]:not([type]), input[maxlength][type=text], [data-limit]";

function length(text) {
  return Array.from(text.replace(/\r\n/g, "\n")).length;
}

function showCount(field) {
  var limit = parseInt(field.getAttribute("data-limit"), 10);
  var counter = document.getElementById(field.getAttribute("data-counter"));
  if (!counter || !limit) return;
  var left = limit - length(field.value);
  if (left >= 0) {
    counter.textContent = "最多 " + limit + " 字，还可输入 " + left + " 字";
    counter.classList.remove("over");
    field.removeAttribute("aria-invalid");
  } else {
    counter.textContent = "最多 " + limit + " 字，已超出 " + (-left) + " 字，请删减后再提交";
    counter.classList.add("over");
    field.setAttribute("aria-invalid", "true");
  }
}

var counters = 0;
function setUpCounters(root) {
  var fields = (root || document).querySelectorAll(COUNTED);
  for (var i = 0; i < fields.length; i++) {
    var field = fields[i];
    if (field.getAttribute("data-counter")) continue;
    var limit = parseInt(field.getAttribute("maxlength") || field.getAttribute("data-limit"), 10);
    if (!limit || (field.tagName === "INPUT" && limit <= 200)) continue;  // names, phones: the browser stops
    field.setAttribute("data-limit", String(limit));
    field.removeAttribute("maxlength");
    var counter = document.createElement("p");
    counter.className = "hint counter";
    counter.id = (field.id || "field-" + counters) + "-count";
    counters += 1;
    field.setAttribute("data-counter", counter.id);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    field.insertAdjacentElement("afterend", counter);
    showCount(field);
  }
}

document.addEventListener("input", function (event) {
  var field = event.target;
  if (field && field.getAttribute && field.getAttribute("data-counter")) showCount(field);
});
document.addEventListener("DOMContentLoaded", function () { setUpCounters(document); });
// forms swapped in by htmx (the workbench's action forms)
document.addEventListener("htmx:afterSettle", function (event) { setUpCounters(event.target); });
