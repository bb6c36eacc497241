// A refused action answers 422 with the panel showing the message next to the field:
// let htmx swap it in (by default htmx 2 does not swap 4xx responses).
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
