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

// A form that saves itself (hx-post on the form: the report's autosave) and is also sent whole by its
// save button: the sending waits for an autosave on its way, and no autosave starts once the form is
// sent, so the two never race (one of them would be refused as an edit conflict).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.hasAttribute("hx-post")) return;
  if (form.classList.contains("htmx-request")) {
    event.preventDefault();
    const submitter = event.submitter;
    form.addEventListener("htmx:afterRequest", () => form.requestSubmit(submitter), { once: true });
    return;
  }
  form.dataset.sent = "true";
});
document.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.elt?.dataset?.sent) event.preventDefault();
});
// Back to a page kept in the browser's memory: its form saves itself again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sent]").forEach((form) => delete form.dataset.sent);
});

// The phone's menu: the header's menu button opens and closes the navigation (on a wide screen the button is
// hidden and the navigation always shown). aria-expanded says which; Escape closes it and returns to the button.
function setMenu(button, open) {
  button.setAttribute("aria-expanded", String(open));
  document.body.classList.toggle("menu-open", open);
}
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-menu-toggle]");
  if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
});
document.addEventListener("keydown", (event) => {
  const button = document.querySelector("[data-menu-toggle][aria-expanded='true']");
  if (event.key === "Escape" && button) {
    setMenu(button, false);
    button.focus();
  }
});

// The member picker (members/_person_picker.html): a suggestion ticked joins the chosen people above the
// search box, so that the next search, which replaces the suggestions, does not take it away.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches?.("[data-picker-choose]") || !box.checked) return;
  const picker = box.closest("[data-picker]");
  const chosen = picker?.querySelector("[data-picker-chosen]");
  if (!chosen) return;
  const item = box.closest("li");
  delete box.dataset.pickerChoose;
  const already = [...chosen.querySelectorAll("input[type=checkbox]")].find((other) => other.value === box.value);
  if (box.type === "radio") {
    chosen.replaceChildren(item); // one person: the new choice replaces the last
  } else if (already) {
    already.checked = true;
    item.remove();
  } else {
    chosen.append(item);
  }
  const search = picker.querySelector(".picker-search");
  if (search) {
    search.value = "";
    search.focus();
  }
});
