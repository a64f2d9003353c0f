// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // A form marked data-autosubmit submits when one of its selects changes (the button stays
  // for keyboards and for browsers without JavaScript).
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => form.requestSubmit());
    }
    const button = form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
  }
});
