// Behaviour that pages declare with data attributes: the Content-Security-Policy refuses inline
// handlers (onclick, onsubmit, hx-on) and htmx runs with allowEval off.

// A form or submit button with data-confirm asks before it is sent.
document.addEventListener("submit", (event) => {
  const message = event.submitter?.dataset.confirm || event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// A button with data-print prints the page.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// An htmx element with data-swap-statuses="400 409" shows those error answers in its target (the
// report's autosave shows "not saved" and edit conflicts) instead of dropping them. The event fires on
// the target; detail.elt is the element that made the request.
document.addEventListener("htmx:beforeSwap", (event) => {
  const statuses = event.detail.elt?.closest("[data-swap-statuses]")?.dataset.swapStatuses;
  if (statuses && statuses.split(" ").includes(String(event.detail.xhr.status))) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
