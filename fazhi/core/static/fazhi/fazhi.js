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
