// A refused action answers 422 with the panel showing the message next to the field:
// let htmx swap it in (by default htmx 2 does not swap 4xx responses).
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// "取消" under an opened action form closes it in place (without JavaScript it is a link
// back to the matter page); a newly opened form gets the focus on its first input.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-close-action]");
  if (!link) return;
  var slot = document.getElementById("action-slot");
  if (!slot) return;
  event.preventDefault();
  slot.innerHTML = "";
});
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.target && event.detail.target.id === "action-slot") {
    var first = event.detail.target.querySelector("textarea, input:not([type=hidden]), select, button");
    if (first) first.focus();
  }
});
