// Activities: a type-to-filter box above a long multiple choice (the association's members).
// Options that do not match are hidden; chosen ones always stay in view.
document.querySelectorAll("input.list-filter").forEach((input) => {
  const select = document.getElementById(input.dataset.for);
  if (!select) return;
  input.hidden = false;
  input.addEventListener("input", () => {
    const query = input.value.trim().toLowerCase();
    for (const option of select.options) {
      option.hidden = Boolean(query) && !option.selected && !option.text.toLowerCase().includes(query);
    }
  });
});
